# SPDX-License-Identifier: Apache-2.0
"""The suite's own checks, on the host (no firmware needed): the host files
are what the tests assume."""

import json

import pytest
from conftest import HOST_FILES, make_host_dir
from test_scripts import JSON_PRETTY


def test_host_files(tmp_path):
    make_host_dir(tmp_path)
    assert (tmp_path / "subdir").is_dir()
    assert b"\xff" in (tmp_path / "nonutf8.py").read_bytes()
    with pytest.raises(SyntaxError):
        compile(HOST_FILES["syntax_error.py"], "syntax_error.py", "exec")
    assert json.dumps(json.loads((tmp_path / "data.json").read_text()), indent=4) == JSON_PRETTY
