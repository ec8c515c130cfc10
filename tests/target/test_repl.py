# SPDX-License-Identifier: Apache-2.0
"""The REPL: prompt and exit, line editing, Ctrl-C."""

import re
import time

import pytest

from nxqemu import PROMPT, REPL_PROMPT, command_output, has_line, strip_ansi


def start_repl(nsh):
    nsh.board.send(f"{nsh.fw.progname}\n")
    nsh.board.expect(REPL_PROMPT, 120)


def leave_repl(nsh):
    nsh.board.send("exit()\n")
    nsh.board.expect(PROMPT, 30)
    nsh.alive()


def test_repl(nsh):
    start_repl(nsh)
    nsh.board.send("1+1\n")
    out = "\n".join(strip_ansi(nsh.board.expect(REPL_PROMPT, 30)).splitlines()[1:])
    assert has_line(out, "2"), out
    leave_repl(nsh)


def test_repl_line_editing(nsh, firmware):
    """NuttX's readline: up-arrow recalls the last line, left-arrow moves to insert."""
    if not (firmware.has("SYSTEM_READLINE") and firmware.has("READLINE_CMD_HISTORY")):
        pytest.skip("the firmware has no CONFIG_SYSTEM_READLINE with READLINE_CMD_HISTORY")
    b = nsh.board
    start_repl(nsh)

    def line(keys):
        # The editor redraws the prompt while recalling a line: wait for
        # the console to go quiet rather than for the next prompt.
        start = b.mark()
        b.send(keys)
        b.quiet(1.0, limit=20)
        return strip_ansi(b.text(start))

    def printed(text, value):
        return re.search(r"(?m)^" + value + r"\r?$", text) is not None

    assert printed(line("6*7\n"), "42")
    recalled = line("\x1b[A\n")
    edited = line("4*5\x1b[D\x1b[D1\n")
    leave_repl(nsh)
    assert printed(recalled, "42"), recalled
    assert printed(edited, "205"), edited


def test_repl_ctrl_c(nsh, firmware):
    """A loop run from the REPL stops with KeyboardInterrupt; at the prompt
    Ctrl-C drops the line typed so far (the console delivers it on Enter)."""
    if not firmware.has("TTY_SIGINT"):
        pytest.skip("the firmware has no CONFIG_TTY_SIGINT")
    b = nsh.board
    start_repl(nsh)
    b.send("while True: pass\n")
    b.expect("... ", 20)
    b.send("\n")
    time.sleep(1)
    b.send("\x03")
    assert "KeyboardInterrupt" in b.expect(REPL_PROMPT, 20)
    b.send("1+")
    time.sleep(0.3)
    b.send("\x03")
    time.sleep(0.3)
    b.send("\n")
    before = b.expect(REPL_PROMPT, 20)
    assert "KeyboardInterrupt" in before and "SyntaxError" not in before, before
    b.send("6*7\n")
    before = b.expect(REPL_PROMPT, 20)
    assert has_line(command_output(before, REPL_PROMPT), "42") or "42" in before, before
    leave_repl(nsh)
