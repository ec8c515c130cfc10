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
from test_hardware import CTYPES_EXPECTED
from test_packages import CBOR_EXPECTED
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


def test_ctypes_script_expectations_are_cpythons(tmp_path):
    """host/ctypes_check.py on the host's CPython prints what
    test_hardware expects of the board (but the pointer size and
    find_library, which finds the host's C library)."""
    make_host_dir(tmp_path)
    out = subprocess.run([sys.executable, str(tmp_path / "ctypes_check.py")],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    lines = out.splitlines()
    assert lines[1:-1] == CTYPES_EXPECTED
    assert lines[-1].startswith("find_library = ")


def test_cbor_script_expectations_are_cpythons(tmp_path):
    """host/cbor.py on the host's CPython prints what test_packages expects
    of the board (needs cbor2 on the host)."""
    pytest.importorskip("cbor2")
    make_host_dir(tmp_path)
    out = subprocess.run([sys.executable, str(tmp_path / "cbor.py")], capture_output=True,
                         text=True, check=True, timeout=60).stdout
    assert out.splitlines() == CBOR_EXPECTED
