# SPDX-License-Identifier: Apache-2.0
"""Python that reaches the board: ctypes (built with libffi) and the
nuttx-periphery package from the image driving rv-virt's user LEDs, whose
driver logs every change on the console."""

import pytest

from nxqemu import has_line

# What host/ctypes_check.py prints on the board besides the pointer size
# (test_selftest checks them on the host's CPython, but find_library,
# which finds the host's libc there).
CTYPES_EXPECTED = [
    "memmove = b'hello world'",
    "cast = b'o'",
    "string_at = b'hello'",
    "structure = 8 -4",
    "callback = 42",
    "compare = True",
]

USERLED_EXPECTED = [
    "led 0 after on = 1",
    "led 0 after off = 0",
]


def needs_ctypes(firmware):
    if not firmware.has("INTERPRETERS_PYTHON_RS_CTYPES"):
        pytest.skip("the firmware was built without ctypes (INTERPRETERS_PYTHON_RS_CTYPES)")


def test_ctypes_calls_through_libffi(nsh, firmware, hostfs):
    needs_ctypes(firmware)
    out, st = nsh.python(f"{hostfs}/ctypes_check.py")
    pointer = 8 if firmware.has("ARCH_RV64") or firmware.has("ARCH_ARM64") else 4
    expected = [f"pointer size = {pointer}", *CTYPES_EXPECTED, "find_library = None"]
    missing = [line for line in expected if not has_line(out, line)]
    assert not missing, f"missing {missing} in:\n{out}"
    assert st == 0, out


def test_libraries_are_refused_with_the_reason(nsh, firmware, hostfs):
    needs_ctypes(firmware)
    out, st = nsh.python(f"{hostfs}/ctypes_refusals.py")
    assert "pythonapi: NuttX keeps no symbol table of the program" in out, out
    reason = "No such file" if firmware.has("LIBC_DLFCN") else "CONFIG_LIBC_DLFCN is off"
    assert "CDLL:" in out and reason in out, out
    assert st == 0, out
    nsh.alive()


def test_user_led_from_python(nsh, firmware, hostfs):
    needs_ctypes(firmware)
    if "nuttx-periphery" not in firmware.config.get("CONFIG_INTERPRETERS_PYTHON_RS_PACKAGES", ""):
        pytest.skip("the image has no nuttx-periphery (INTERPRETERS_PYTHON_RS_PACKAGES)")
    if not firmware.has("USERLED"):
        pytest.skip("the board has no user LED driver (USERLED)")
    mark = nsh.board.mark()
    out, st = nsh.python(f"{hostfs}/userled.py")
    missing = [line for line in USERLED_EXPECTED if not has_line(out, line)]
    assert not missing, f"missing {missing} in:\n{out}"
    # rv-virt's driver logs each change to syslog (the console), LEDs
    # counted from 1; command output comes without syslog records.
    console = nsh.board.text(mark)
    assert "board_userled: LED 1 set to 1" in console, console
    assert "board_userled: LED 1 set to 0" in console, console
    supported = int(out.split("supported = ")[1].split()[0], 2)
    assert supported & 1, out
    assert st == 0, out
