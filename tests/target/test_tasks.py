# SPDX-License-Identifier: Apache-2.0
"""python as a task: Ctrl-C, one CPython at a time, kill -2, the boot script."""

import re
import time

import pytest

from nxqemu import BOOT_BANNER_RE, PROMPT, has_line
from ways_out import start_loop


def test_ctrl_c_interrupts_a_script(nsh, firmware):
    if not firmware.has("TTY_SIGINT"):
        pytest.skip("the firmware has no CONFIG_TTY_SIGINT")
    start_loop(nsh.board, nsh.fw.progname)
    time.sleep(0.5)
    nsh.board.send("\x03")
    assert "KeyboardInterrupt" in nsh.board.expect(PROMPT, 20)
    nsh.alive()


def test_one_python_at_a_time(nsh):
    """A second python while one runs is refused with a message naming the
    task; kill -2 ends the first cleanly and the next run works."""
    start, _ = start_loop(nsh.board, nsh.fw.progname, background=True)
    nsh.board.sync()
    out, st = nsh.python("-c pass", 60)
    assert st != 0
    m = re.search(r"already runs in task (\d+)", out)
    if m is None:
        nsh.board.dead = True  # the loop may still run: boot again for the next tests
    assert m, out
    nsh.sh(f"kill -2 {m.group(1)}", 20)
    nsh.board.wait_printed(re.compile("KeyboardInterrupt"), start, 30)
    nsh.board.sync()
    out, st = nsh.python('-c "print(6*7)"')
    assert has_line(out, "42") and st == 0, out


def test_boot_script(fresh_board, firmware):
    """The boot script starts at boot beside NSH; a key during the wait
    skips it (safe mode)."""
    if not firmware.boot_script:
        pytest.skip("the firmware starts no boot script (BOOT_SCRIPT is empty)")
    b = fresh_board
    m = BOOT_BANNER_RE.search(b.text())
    assert m and m.group(1) == firmware.boot_script, b.text()[-600:]
    want = expected_output(firmware)
    # boot() waited for the boot task to end.
    text = b.text()
    assert "cannot start the boot script" not in text
    if want is not None:
        assert want in text, text[-600:]
    b.run("echo ok", 20)
    b.boot(answer=(BOOT_BANNER_RE, "x"))
    assert "boot script skipped (safe mode)" in b.text(), b.text()[-600:]
    if want is not None:
        b.sync(20)
        assert want not in b.text()
    assert has_line(b.run("echo ok", 20), "ok")


def expected_output(firmware):
    """The boot script's NAME.expected beside it in SCRIPTS_DIR, or None."""
    prefix = f"{firmware.mountpoint}/scripts/"
    script = firmware.boot_script
    if not firmware.scripts_dir or not script.startswith(prefix) or not script.endswith(".py"):
        return None
    try:
        with open(f"{firmware.scripts_dir}/{script[len(prefix):-3]}.expected", encoding="utf-8") as f:
            return f.read().rstrip("\n")
    except FileNotFoundError:
        return None
