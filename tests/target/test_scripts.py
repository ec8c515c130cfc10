# SPDX-License-Identifier: Apache-2.0
"""Scripts from each file system: hostfs (semihosting), FAT, the image."""

import os

import pytest

from nxqemu import has_line

JSON_PRETTY = '{\n    "b": [\n        1,\n        2\n    ],\n    "a": "x"\n}'


def test_hostfs_script_keeps_argv(nsh, hostfs):
    out, st = nsh.python(f'{hostfs}/args.py a "b c" \u00e9')
    assert has_line(out, ascii([f"{hostfs}/args.py", "a", "b c", "\u00e9"])), out
    assert st == 0


def test_fat_script(nsh, fatfs):
    out, st = nsh.sh(f"echo \"print('fat ok')\" > {fatfs}/t.py", 20)
    assert st == 0, out
    out, st = nsh.python(f"{fatfs}/t.py")
    assert has_line(out, "fat ok"), out
    assert st == 0


def test_romfs_script(nsh, firmware):
    """The first script of SCRIPTS_DIR runs from the image; with
    NAME.expected beside it, its output is that text."""
    d = firmware.scripts_dir
    if not d or not os.path.isdir(d):
        pytest.skip(f"the firmware packs no scripts folder this machine has (SCRIPTS_DIR={d!r})")
    scripts = sorted(n for n in os.listdir(d) if n.endswith(".py") and os.path.isfile(os.path.join(d, n)))
    if not scripts:
        pytest.skip(f"no *.py in {d}")
    nsh.stdlib_mounted()
    listing = nsh.board.run(f"ls {firmware.mountpoint}/scripts", 20)
    names = {w.strip().rstrip("/") for w in listing.split()}
    assert set(os.listdir(d)) <= names, listing
    name = scripts[0]
    out, st = nsh.python(f"{firmware.mountpoint}/scripts/{name}")
    assert st == 0, out
    assert "Traceback" not in out
    expected = os.path.join(d, name[:-3] + ".expected")
    if os.path.isfile(expected):
        with open(expected, encoding="utf-8") as f:
            assert out == f.read().rstrip("\n")


def test_json_tool(nsh, hostfs):
    out, st = nsh.python(f"-m json.tool {hostfs}/data.json")
    assert out == JSON_PRETTY
    assert st == 0
