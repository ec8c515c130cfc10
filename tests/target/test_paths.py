# SPDX-License-Identifier: Apache-2.0
"""Files as programs use them, on each writable file system: paths with "."
and "..", listing the working directory, shutil's copies, which also copy
mode and times (tmpfs has neither), and telling two files apart (NuttX
gives every file st_ino 0); and the errors the read-only image
gives."""

import pytest

from nxqemu import has_line

# What CPython on Linux prints for paths.py (test_selftest runs it there).
PATHS_EXPECTED = {
    "listdir()": ["a.txt", "sub"],
    "listdir(.)": ["a.txt", "sub"],
    "scandir()": ["a.txt", "sub"],
    "scandir(.)": ["a.txt", "sub"],
    "glob(*)": ["a.txt", "sub"],
    "walk(.)": [".", "./sub"],
    "iterdir(.)": ["a.txt", "sub"],
    "isdir(sub/..)": True,
    "read(./sub/../a.txt)": "data",
    "stat(.) is dir": True,
    "cwd after chdir(..)": True,
    "shutil.copy": "data",
    "shutil.copy2": "data",
    "shutil.copy over a file": "data",
    "samefile(a.txt, b.txt)": False,
    "samefile(a.txt, sub/../a.txt)": True,
    "fstat, stat and DirEntry agree": True,
    "chmod, utime": "ok",
    "chmod, utime of a missing file": ["FileNotFoundError", "FileNotFoundError"],
    "Path.touch creates the file": True,
    "DirEntry.inode after remove": True,
    "rmtree": False,
}


def expected_lines():
    return [f"{name} = {result!r}" for name, result in PATHS_EXPECTED.items()]


@pytest.mark.parametrize("fs", ["tmpfs", "fat"])
def test_paths_and_copies(request, nsh, hostfs, fs):
    base = "/tmp" if fs == "tmpfs" else request.getfixturevalue("fatfs")
    out, st = nsh.python(f"{hostfs}/paths.py {base}", timeout=120)
    missing = [line for line in expected_lines() if not has_line(out, line)]
    assert not missing, f"missing {missing} in:\n{out}"
    assert st == 0, out


def test_dots_in_the_image(nsh, firmware):
    """The standard library's own mount (ROMFS) resolves them too."""
    lib = f"{firmware.mountpoint}/python3.13"
    out, st = nsh.python(f"-c \"import os; print(sorted(os.listdir('{lib}/./json/..')) == "
                         f"sorted(os.listdir('{lib}')), os.path.isfile('{lib}/json/../os.pyc'))\"")
    assert has_line(out, "True True"), out
    assert st == 0


READ_ONLY_EXPECTED = [
    "remove missing = 'FileNotFoundError'",
    "rmdir missing = 'FileNotFoundError'",
    "mkdir existing = 'FileExistsError'",
    "makedirs exist_ok = 'ok'",
    "Path.mkdir exist_ok = 'ok'",
    "remove existing = 'EROFS'",
    "rename existing = 'EROFS'",
    "mkdir new = 'EROFS'",
]


def test_image_answers_as_a_read_only_file_system(nsh, firmware, hostfs):
    """NuttX's ROMFS answers ENOSYS to all of these (patch 0018)."""
    existing = firmware.mountpoint + "/python3.13/os.pyc"
    out, st = nsh.python(f"{hostfs}/read_only.py {firmware.mountpoint} {existing}")
    missing = [line for line in READ_ONLY_EXPECTED if not has_line(out, line)]
    assert not missing, f"missing {missing} in:\n{out}"
    assert st == 0, out
