# SPDX-License-Identifier: Apache-2.0
"""The suite's own checks, on the host (no firmware needed): the host files
are what the tests assume."""

import json
import subprocess
import sys

import pytest
from conftest import HOST_FILES, PATHS_SCRIPT, make_host_dir
from test_paths import expected_lines
from test_scripts import JSON_PRETTY
from test_signals import SIGNALS_EXPECTED
from test_sockets import SOCKETS_EXPECTED


def test_host_files(tmp_path):
    make_host_dir(tmp_path)
    assert (tmp_path / "subdir").is_dir()
    assert b"\xff" in (tmp_path / "nonutf8.py").read_bytes()
    with pytest.raises(SyntaxError):
        compile(HOST_FILES["syntax_error.py"], "syntax_error.py", "exec")
    assert json.dumps(json.loads((tmp_path / "data.json").read_text()), indent=4) == JSON_PRETTY


def test_paths_script_expectations_are_cpythons(tmp_path):
    """paths.py on the host's CPython prints exactly what test_paths expects
    of the board."""
    script = tmp_path / "paths.py"
    script.write_text(PATHS_SCRIPT)
    out = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True,
                         text=True, check=True).stdout
    assert out.splitlines() == expected_lines()


def test_sockets_script_expectations_are_cpythons(tmp_path):
    """host/sockets.py on the host's CPython prints what test_sockets
    expects of the board."""
    make_host_dir(tmp_path)
    out = subprocess.run([sys.executable, str(tmp_path / "sockets.py")], capture_output=True,
                         text=True, check=True, timeout=120).stdout
    assert out.splitlines() == SOCKETS_EXPECTED


def test_signals_script_expectations_are_cpythons(tmp_path):
    """host/signals.py on the host's CPython prints what test_signals
    expects of the board."""
    make_host_dir(tmp_path)
    out = subprocess.run([sys.executable, str(tmp_path / "signals.py"), "asyncio"],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    assert out.splitlines() == SIGNALS_EXPECTED
