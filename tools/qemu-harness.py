#!/usr/bin/env python3
"""On-target acceptance cases: boot a NuttX firmware in QEMU rv-virt and
drive `python` at the NSH prompt.

Usage: tools/qemu-harness.py [FIRMWARE_ELF] [--arch rv32|rv64] [--case NAME ...]
                             [--keep-log FILE] [--scripts-dir DIR] [--icount]
                             [--no-sigint] [--timeout-scale F] [--list]

Without a firmware (no argument, or an empty string, as `tools/test.sh` passes
when PYTHON_RS_FIRMWARE is unset) it prints `qemu harness: no firmware given,
skipped` and exits 0.  It never builds anything: the firmware is one you built.

The firmware is copied to a private temporary folder first (a rebuild under a
running harness cannot change what is tested), and booted with

    qemu-system-riscv32 -semihosting -M virt,aclint=on -cpu rv32 -smp 1
                        -bios none -kernel FIRMWARE -nographic

(riscv64 and -cpu rv64 for --arch rv64; --icount adds -icount shift=0,sleep=off).
The console is driven through stdin/stdout pipes by a small expect loop;
`echo $?` after a command gives its status, which NSH folds to 0 or 1 for a
builtin.  A host folder of test scripts is mounted over semihosting at
/mnt/host (`mount -t hostfs`), and a FAT RAM disk at /mnt/fat.

Every case prints PASS, FAIL (with what was expected and what was seen) or
SKIP; a case that leaves the board without a prompt is a failure, and QEMU is
booted again for the cases after it.  The last line is exactly
`N passed, N failed` (followed by `, N skipped` when some were skipped).
Exit status: 0 when no case failed, 1 otherwise.

--scripts-dir DIR names the folder that was packed into the image
(CONFIG_INTERPRETERS_PYTHON_RS_SCRIPTS_DIR); its scripts are expected under
/usr/local/lib/scripts/.  The first *.py in it (sorted) is run and must exit 0
without a traceback; when DIR holds NAME.expected beside NAME.py, the output
must equal that file's text.  Without --scripts-dir that case is skipped.

--no-sigint: for a firmware without CONFIG_TTY_SIGINT, Ctrl-C that does not
interrupt a running script counts as skipped instead of failed.
"""

import argparse
import os
import re
import shutil
import sys
import tempfile
import time

# nxqemu.py lies beside this file, which tools/test_qemu_harness.py also
# loads by its path, from wherever the tests are started.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# Some names are here only for tools/test_qemu_harness.py, which tests them
# through this module.
from nxqemu import (
    BOOT_BANNER_RE, CRASH_RE, PROMPT, REPL_PROMPT, Board, BoardDead, clean_lines, command_output,
    end_on_termination_signals, find_prompt, heap_used, parse_free, parse_status,
    qemu_command, shorten, strip_ansi,
)

MOUNTPOINT = "/usr/local/lib"
HOST_MNT = "/mnt/host"
FAT_MNT = "/mnt/fat"
FAT_DEV = "/dev/ram2"
HEAP_TOLERANCE = 4096
REPEATED_RUNS = 20

# --------------------------------------------------------------------------
# Pure parts: NSH output formats, counting.  (The console text, the prompts,
# `echo $?`, `free` and the board are in nxqemu.py, shared with
# tools/benchmark.py.  Unit-tested by tools/test_qemu_harness.py.)
# --------------------------------------------------------------------------

def parse_mounts(output):
    """NSH `mount` lines "  /usr/local/lib type romfs" -> [(mountpoint, type)]."""
    mounts = []
    for line in clean_lines(output):
        m = re.match(r"^\s*(/\S*) type (\S+)\s*$", line)
        if m:
            mounts.append((m.group(1), m.group(2)))
    return mounts


def count_mounts(output, mountpoint, fstype):
    return sum(1 for mp, t in parse_mounts(output) if mp == mountpoint and t == fstype)


def has_line(output, expected):
    """True when one line of output equals expected (ignoring trailing blanks)."""
    return any(ln.rstrip() == expected for ln in output.split("\n"))


def summary_line(passed, failed, skipped=0):
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    return line


def count_results(results):
    """results: iterable of objects with .outcome in pass/fail/skip."""
    counts = {"pass": 0, "fail": 0, "skip": 0}
    for r in results:
        counts[r.outcome] += 1
    return counts["pass"], counts["fail"], counts["skip"]


# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------


class Skip(Exception):
    pass


class Result:
    def __init__(self, name, title):
        self.name = name
        self.title = title
        self.failures = []  # (what, expected, seen)
        self.notes = []
        self.outcome = "pass"
        self.skip_reason = ""


class Ctx:
    def __init__(self, board, hostdir, args, result):
        self.board = board
        self.hostdir = hostdir
        self.args = args
        self.r = result

    # soft assertions: record and go on
    def check(self, ok, what, expected, seen):
        if not ok:
            self.r.failures.append((what, expected, seen))
        return ok

    def note(self, text):
        self.r.notes.append(text)

    def sh(self, cmd, timeout=60):
        return self.board.sh(cmd, timeout)

    def alive(self, what):
        out = self.board.run("echo ok", 20)
        return self.check(has_line(out, "ok"), f"{what}: board alive (`echo ok`)", "ok", out)

    def need_host(self):
        if "host" in self.board.state:
            return
        out, st = self.sh(f"mount -t hostfs -o fs={self.hostdir} {HOST_MNT}", 30)
        if st != 0:
            raise BoardDead(f"cannot mount the host folder over semihosting: status {st}, {out!r}")
        self.board.state.add("host")

    def need_python_mounted(self):
        if "pyran" in self.board.state:
            return
        self.sh("python -c pass", 120)
        self.board.state.add("pyran")


def case_first_run(c):
    """first `python -c "print(6*7)"` on a fresh boot prints 42, status 0"""
    if c.board.typed:
        c.board.boot()
    out, st = c.sh('python -c "print(6*7)"', 120)
    c.board.state.add("pyran")
    c.check(has_line(out, "42"), "output", "a line `42`", out)
    c.check(st == 0, "status", 0, st)


def case_modules(c):
    """import os, sys, math, json, zlib; os.uname().sysname is NuttX"""
    out, st = c.sh('python -c "import os, sys, math, json, zlib; print(os.uname().sysname)"', 120)
    c.check(has_line(out, "NuttX"), "output", "a line `NuttX`", out)
    c.check(st == 0, "status", 0, st)


def case_exit_status(c):
    """sys.exit(0) -> 0, sys.exit(3) -> nonzero, raise ValueError -> 1 + traceback"""
    out, st = c.sh('python -c "import sys; sys.exit(0)"', 120)
    c.check(st == 0, "sys.exit(0): status", 0, st)
    c.check(out == "", "sys.exit(0): output", "nothing", out)
    out, st = c.sh('python -c "import sys; sys.exit(3)"', 120)
    c.check(st != 0, "sys.exit(3): status", "nonzero (NSH folds 3 to 1)", st)
    c.note(f"sys.exit(3) reads {st} at `echo $?`")
    out, st = c.sh("python -c \"raise ValueError('x')\"", 120)
    c.check(st == 1, "raise ValueError: status", 1, st)
    c.check("Traceback" in out and "ValueError: x" in out, "raise ValueError: output",
            "a traceback ending in `ValueError: x`", out)
    c.need_host()
    out, st = c.sh(f"python {HOST_MNT}/exit3.py", 120)
    c.check(st != 0, "script calling sys.exit(3): status", "nonzero", st)


def case_repeated_runs(c):
    # docstring set below CASES (it names REPEATED_RUNS and HEAP_TOLERANCE)
    used = {}
    for i in range(1, REPEATED_RUNS + 1):
        out, st = c.sh("python -c pass", 120)
        if not c.check(st == 0 and out == "", f"run {i}", "no output, status 0", f"status {st}, {out!r}"):
            return
        if i in (1, REPEATED_RUNS):
            free = c.board.run("free", 20)
            used[i] = heap_used(free)
            if not c.check(used[i] is not None, f"`free` after run {i}", "a heap row with a used column", free):
                return
    c.board.state.add("pyran")
    first, last = used[1], used[REPEATED_RUNS]
    c.note(f"heap used after run 1: {first} bytes, after run {REPEATED_RUNS}: {last} bytes "
           f"(growth {last - first} bytes, {(last - first) / (REPEATED_RUNS - 1):.0f} per run)")
    c.check(last - first <= HEAP_TOLERANCE, f"heap growth from run 1 to run {REPEATED_RUNS}",
            f"at most {HEAP_TOLERANCE} bytes", f"{last - first} bytes ({first} -> {last})")


def case_hostfs_script(c):
    """python /mnt/host/args.py a "b c" é keeps sys.argv intact"""
    c.need_host()
    out, st = c.sh(f'python {HOST_MNT}/args.py a "b c" \u00e9', 120)
    want = ascii([f"{HOST_MNT}/args.py", "a", "b c", "\u00e9"])
    c.check(has_line(out, want), "sys.argv", want, out)
    c.check(st == 0, "status", 0, st)


def case_fat_script(c):
    """a script written to a FAT RAM disk runs"""
    if "fat" not in c.board.state:
        for cmd in (f"mkrd -m 2 -s 512 640", f"mkfatfs {FAT_DEV}",
                    f"mount -t vfat {FAT_DEV} {FAT_MNT}"):
            out, st = c.sh(cmd, 60)
            if not c.check(st == 0, f"`{cmd}`", "status 0", f"status {st}, {out!r}"):
                return
        c.board.state.add("fat")
    out, st = c.sh(f"echo \"print('fat ok')\" > {FAT_MNT}/t.py", 20)
    c.check(st == 0, "writing t.py", "status 0", f"status {st}, {out!r}")
    out, st = c.sh(f"python {FAT_MNT}/t.py", 120)
    c.check(has_line(out, "fat ok"), "output", "fat ok", out)
    c.check(st == 0, "status", 0, st)


def case_romfs_script(c):
    """a user script packed into the image runs from /usr/local/lib/scripts"""
    d = c.args.scripts_dir
    if not d:
        raise Skip("no --scripts-dir given")
    scripts = sorted(n for n in os.listdir(d) if n.endswith(".py") and os.path.isfile(os.path.join(d, n)))
    if not scripts:
        raise Skip(f"no *.py in {d}")
    c.need_python_mounted()
    listing = c.board.run(f"ls {MOUNTPOINT}/scripts", 20)
    names = {w.strip().rstrip("/") for w in listing.split()}
    missing = [n for n in sorted(os.listdir(d)) if n not in names]
    c.check(not missing, f"`ls {MOUNTPOINT}/scripts`", f"all of {sorted(os.listdir(d))}", listing)
    name = scripts[0]
    out, st = c.sh(f"python {MOUNTPOINT}/scripts/{name}", 120)
    c.note(f"ran {MOUNTPOINT}/scripts/{name}")
    c.check(st == 0, f"{name}: status", 0, st)
    c.check("Traceback" not in out, f"{name}: output", "no traceback", out)
    exp = os.path.join(d, name[:-3] + ".expected")
    if os.path.isfile(exp):
        with open(exp, encoding="utf-8") as f:
            want = f.read().rstrip("\n")
        c.check(out == want, f"{name}: output", want, out)


JSON_PRETTY = '{\n    "b": [\n        1,\n        2\n    ],\n    "a": "x"\n}'


def case_json_tool(c):
    """python -m json.tool /mnt/host/data.json pretty-prints"""
    c.need_host()
    out, st = c.sh(f"python -m json.tool {HOST_MNT}/data.json", 120)
    c.check(out == JSON_PRETTY, "output", JSON_PRETTY, out)
    c.check(st == 0, "status", 0, st)


def case_bad_input(c):
    """bad input: a clear message, nonzero status, and the board goes on"""
    c.need_host()

    def bad(what, cmd, message_re, expect_text, timeout=120):
        out, st = c.sh(cmd, timeout)
        c.check(st != 0, f"{what}: status", "nonzero", st)
        c.check(re.search(message_re, out) is not None, f"{what}: message", expect_text, out or "(nothing)")
        c.alive(what)

    # Missing script and directory, on tmpfs, ROMFS and the semihosting
    # hostfs. NuttX's hostfs answers stat() of a missing path with success
    # and a directory mode, so there the missing-script message cannot say
    # "No such file"; it must still fail and name the path.
    bad("missing script (tmpfs)", "python /tmp/no_such_script.py",
        r"can't open file|No such file", "can't open file ... No such file or directory")
    bad("missing script (hostfs)", f"python {HOST_MNT}/no_such_script.py",
        r"no_such_script\.py", "a message naming no_such_script.py")
    out, st = c.sh("mkdir -p /tmp/qh_dir", 20)
    c.check(st == 0, "mkdir -p /tmp/qh_dir", "status 0", f"status {st}, {out!r}")
    bad("directory as script (tmpfs)", "python /tmp/qh_dir",
        r"__main__|[Ii]s a directory", "can't find '__main__' module (or: is a directory)")
    bad("directory as script (ROMFS)", f"python {MOUNTPOINT}",
        r"__main__|[Ii]s a directory", "can't find '__main__' module (or: is a directory)")
    # Semihosting has no directories: NuttX's hostfs opens a host directory
    # as a regular file that reads as empty, so Python runs an empty script.
    # Recorded, not judged: no program on the board can tell it apart.
    out, st = c.sh(f"python {HOST_MNT}/subdir", 120)
    c.note(f"directory on hostfs as script (semihosting shows it as an empty file): "
           f"status {st}, output {out!r}")
    c.alive("directory on hostfs as script")
    bad("syntax error", f"python {HOST_MNT}/syntax_error.py", r"SyntaxError", "SyntaxError")

    # Non-UTF-8 byte on the command line: does the console carry it?
    start = len(c.board.buf)
    c.board.send(b"echo \xff\n")
    c.board.expect(PROMPT, start, 20)
    carried = b"\n\xff\r\n" in bytes(c.board.buf[start:])
    if carried:
        c.note("NSH passes a \\xff byte typed on the console through to argv")
        start = len(c.board.buf)
        c.board.send(b"python -c \"print('\xff')\"\n")
        before, _ = c.board.expect(PROMPT, start, 120)
        out = command_output(before)
        st = c.board.status()
        c.check(st != 0, "non-UTF-8 -c argument: status", "nonzero", st)
        c.check(re.search(r"decode|Unicode(En|De)codeError|SyntaxError", out) is not None,
                "non-UTF-8 -c argument: message", "unable to decode the command ... UnicodeEncodeError", out)
        c.alive("non-UTF-8 -c argument")
        # and as an argument to a script: surrogateescape, not an error
        start = len(c.board.buf)
        c.board.send(f"python {HOST_MNT}/args.py ".encode() + b"\xff\n")
        before, _ = c.board.expect(PROMPT, start, 120)
        out = command_output(before)
        st = c.board.status()
        c.note(f"a \\xff argument to a script: status {st}, printed {out!r}")
        c.alive("non-UTF-8 script argument")
    else:
        c.note("the console does not carry a \\xff byte; a script with a \\xff byte in its source is used")
        bad("non-UTF-8 source", f"python {HOST_MNT}/nonutf8.py", r"SyntaxError|UnicodeDecodeError|Non-UTF-8",
            "SyntaxError: Non-UTF-8 code")

    # A 4 KB argument typed on the console line.
    long_arg = "A" * 4096
    start = len(c.board.buf)
    c.board.send(f"python {HOST_MNT}/arglen.py {long_arg}\n")
    c.board.sync(180)
    text = c.board.text(start)
    m = re.search(r"arglen \[(\d+)\]", text)
    if m and int(m.group(1)) == 4096:
        c.note("a 4096-byte argument typed on the console reached Python whole")
    else:
        seen = m.group(1) if m else "no run"
        c.note(f"typed 4096-byte argument: NSH ends a console line at CONFIG_LINE_MAX-1 characters "
               f"and runs the rest as further commands; Python saw {seen} characters")
    c.alive("4 KB argument typed on the console")
    # The same 4 KB argument built in NSH variables, past the line limit.
    # (NSH joins `${A}${A}` but reads `$A$A` as one unknown variable.)
    for cmd in (f"set QH_A {'A' * 256}", "set QH_B ${QH_A}${QH_A}${QH_A}${QH_A}",
                "set QH_C ${QH_B}${QH_B}${QH_B}${QH_B}"):
        out, st = c.sh(cmd, 20)
        c.check(st == 0, f"`{cmd[:30]}...`", "status 0", f"status {st}, {out!r}")
    out, st = c.sh(f"python {HOST_MNT}/arglen.py ${{QH_C}}", 120)
    c.check(has_line(out, "arglen [4096]"), "4 KB argument (built in NSH variables)", "arglen [4096]", out)
    c.check(st == 0, "4 KB argument: status", 0, st)
    c.alive("4 KB argument")
    for var in ("QH_A", "QH_B", "QH_C"):
        c.sh(f"unset {var}", 20)

    # (about 55 s of wall time under TCG with the upstream app)
    bad("deep recursion", f"python {HOST_MNT}/recurse.py", r"RecursionError", "RecursionError",
        timeout=300)
    bad("64 MB allocation", 'python -c "b = bytearray(64*1024*1024)"', r"MemoryError", "MemoryError")


def start_repl(b):
    """Type `python` and wait for the REPL's first prompt."""
    start = len(b.buf)
    b.send("python\n")
    b.expect(REPL_PROMPT, start, 120)


def case_repl(c):
    """REPL: 1+1 gives 2, exit() returns to NSH"""
    b = c.board
    start_repl(b)
    start = len(b.buf)
    b.send("1+1\n")
    before, _ = b.expect(REPL_PROMPT, start, 30)
    out = "\n".join(clean_lines(before)[1:]).strip()
    c.check(has_line(out, "2"), "1+1", "2", out)
    start = len(b.buf)
    b.send("exit()\n")
    b.expect(PROMPT, start, 30)
    c.alive("after exit()")


def start_loop(c, background=False):
    """Start `python loop.py` (an endless loop) and wait until it runs;
    returns where its console output starts."""
    c.need_host()
    b = c.board
    start = len(b.buf)
    b.send(f"python {HOST_MNT}/loop.py{' &' if background else ''}\n")
    b.expect(re.compile(r"(?m)^looping\r?\n"), start, 120)
    return start


def case_ctrl_c(c):
    """Ctrl-C interrupts a running loop: KeyboardInterrupt, back at the prompt"""
    b = c.board
    start_loop(c)
    time.sleep(0.5)
    start = len(b.buf)
    b.send(b"\x03")
    try:
        before, _ = b.expect(PROMPT, start, 20)
    except BoardDead:
        seen = b.text(start)
        b.dead = True  # the loop still runs: boot again for the next cases
        if c.args.no_sigint and "KeyboardInterrupt" not in seen:
            raise Skip("Ctrl-C did not interrupt the loop (--no-sigint: firmware without TTY_SIGINT)")
        c.check(False, "Ctrl-C", "KeyboardInterrupt and the NSH prompt", seen or "(nothing; the loop kept running)")
        return
    c.check("KeyboardInterrupt" in before, "Ctrl-C output", "KeyboardInterrupt", before)
    c.alive("after Ctrl-C")


def boot_script_expected(c, script):
    """The expected output of the boot script, when it is one of the
    --scripts-dir scripts with a NAME.expected beside it; else None."""
    prefix = f"{MOUNTPOINT}/scripts/"
    if not c.args.scripts_dir or not script.startswith(prefix) or not script.endswith(".py"):
        return None
    exp = os.path.join(c.args.scripts_dir, script[len(prefix):-3] + ".expected")
    if not os.path.isfile(exp):
        return None
    with open(exp, encoding="utf-8") as f:
        return f.read().rstrip("\n")


def case_boot_script(c):
    """boot script: starts at boot beside NSH; a key during the wait skips it (safe mode)"""
    b = c.board
    if b.typed:
        b.boot()
    m = BOOT_BANNER_RE.search(b.text(0))
    if not m:
        raise Skip("the firmware starts no boot script (CONFIG_INTERPRETERS_PYTHON_RS_BOOT_SCRIPT is empty)")
    script = m.group(1)
    want = boot_script_expected(c, script)
    # The script ran in its own task beside NSH; boot() waited for it to end.
    text = b.text(0)
    c.check("cannot start the boot script" not in text, "boot script task", "started", text[-600:])
    if want is not None:
        c.check(want in text, f"{script}: output", want, text[-600:])
    else:
        c.note(f"{script} has no NAME.expected in --scripts-dir; its output is not judged")
    c.alive("after the boot script")
    c.board.state.add("pyran")
    # Safe mode: a key during the wait skips the script.
    b.boot(answer=(BOOT_BANNER_RE, b"x"))
    before = b.text(0)
    c.check("boot script skipped (safe mode)" in before, "safe mode", "boot script skipped (safe mode)",
            before[-600:])
    if want is not None:
        b.sync(20)
        c.check(want not in b.text(0), "safe mode: script output", "none", b.text(0)[-600:])
    c.alive("after a skipped boot script")


def case_one_at_a_time(c):
    """a second python while one runs is refused with a message; kill -2 ends the first cleanly"""
    b = c.board
    start = start_loop(c, background=True)
    b.sync()
    out, st = c.sh("python -c pass", 60)
    c.check(st != 0, "second python: status", "nonzero", st)
    m = re.search(r"already runs in task (\d+)", out)
    c.check(m is not None, "second python: message", "CPython already runs in task N ...", out)
    if m is None:
        b.dead = True  # the loop may still run: boot again for the next cases
        return
    c.sh(f"kill -2 {m.group(1)}", 20)
    b.expect("KeyboardInterrupt", start, 30)
    b.sync()
    out, st = c.sh('python -c "print(6*7)"', 120)
    c.check(has_line(out, "42") and st == 0, "python after kill -2", "42, status 0", f"{out!r}, status {st}")


def case_repl_editing(c):
    """REPL line editing (NuttX readline): up-arrow recalls the last line, left-arrow moves to insert"""
    b = c.board
    start_repl(b)

    def line(keys):
        # The editor redraws the prompt while recalling a line, so wait for
        # the console to go quiet rather than for the next prompt.
        start = len(b.buf)
        b.send(keys)
        b.quiet(1.0, limit=20)
        return strip_ansi(b.text(start))

    def printed(text, value):
        return re.search(r"(?m)^" + value + r"\r?$", text) is not None

    first = line("6*7\n")
    recalled = line("\x1b[A\n")
    edited = line("4*5\x1b[D\x1b[D1\n")
    start = len(b.buf)
    b.send("exit()\n")
    b.expect(PROMPT, start, 30)
    if printed(first, "42") and "SyntaxError" in recalled:
        raise Skip("no line editing: the firmware has no CONFIG_SYSTEM_READLINE / READLINE_CMD_HISTORY")
    c.check(printed(recalled, "42"), "up-arrow, Enter", "the last line again: 42", recalled)
    c.check(printed(edited, "205"), "4*5, left, left, 1, Enter", "41*5 = 205", edited)
    c.alive("after the REPL")


def case_repl_ctrl_c(c):
    """REPL and Ctrl-C: a running loop stops with KeyboardInterrupt, a line at the prompt is dropped"""
    b = c.board
    start_repl(b)
    start = len(b.buf)
    b.send("while True: pass\n")
    b.expect("... ", start, 20)
    b.send("\n")
    time.sleep(1)
    start = len(b.buf)
    b.send(b"\x03")
    try:
        before, _ = b.expect(REPL_PROMPT, start, 20)
    except BoardDead:
        c.check(False, "Ctrl-C in a loop run from the REPL", "KeyboardInterrupt and `>>> `", b.text(start))
        b.dead = True
        return
    c.check("KeyboardInterrupt" in before, "Ctrl-C in a loop run from the REPL", "KeyboardInterrupt", before)
    # At the prompt the console delivers the line on Enter: Ctrl-C then
    # drops the line typed so far.
    start = len(b.buf)
    b.send("1+")
    time.sleep(0.3)
    b.send(b"\x03")
    time.sleep(0.3)
    b.send("\n")
    before, _ = b.expect(REPL_PROMPT, start, 20)
    c.check("KeyboardInterrupt" in before and "SyntaxError" not in before,
            "Ctrl-C at the prompt, then Enter", "KeyboardInterrupt, no SyntaxError", before)
    start = len(b.buf)
    b.send("6*7\n")
    before, _ = b.expect(REPL_PROMPT, start, 20)
    c.check(has_line(command_output(before, REPL_PROMPT), "42") or "42" in before,
            "the next line", "42", before)
    start = len(b.buf)
    b.send("exit()\n")
    b.expect(PROMPT, start, 30)
    c.alive("after the REPL")


def case_mount_reuse(c):
    """two runs, then `mount` lists exactly one romfs at /usr/local/lib"""
    for i in (1, 2):
        out, st = c.sh("python -c pass", 120)
        c.check(st == 0, f"run {i}: status", 0, st)
    c.board.state.add("pyran")
    out = c.board.run("mount", 20)
    n = count_mounts(out, MOUNTPOINT, "romfs")
    c.check(n == 1, f"romfs mounts at {MOUNTPOINT}", 1, f"{n}:\n{out}")


CASES = [
    ("first-run", case_first_run),
    ("modules", case_modules),
    ("exit-status", case_exit_status),
    ("repeated-runs", case_repeated_runs),
    ("hostfs-script", case_hostfs_script),
    ("fat-script", case_fat_script),
    ("romfs-script", case_romfs_script),
    ("json-tool", case_json_tool),
    ("bad-input", case_bad_input),
    ("repl", case_repl),
    ("ctrl-c", case_ctrl_c),
    ("repl-editing", case_repl_editing),
    ("repl-ctrl-c", case_repl_ctrl_c),
    ("one-at-a-time", case_one_at_a_time),
    ("mount-reuse", case_mount_reuse),
    ("boot-script", case_boot_script),
]
case_repeated_runs.__doc__ = (f"{REPEATED_RUNS} runs of `python -c pass`; used heap after run "
                              f"{REPEATED_RUNS} within {HEAP_TOLERANCE} bytes of after run 1")


def select_cases(names):
    """--case values (names or 1-based numbers) -> [(number, name, fn)]."""
    numbered = [(i + 1, n, f) for i, (n, f) in enumerate(CASES)]
    if not names:
        return numbered
    chosen = []
    for want in names:
        for num, n, f in numbered:
            if want == n or want == str(num):
                if (num, n, f) not in chosen:
                    chosen.append((num, n, f))
                break
        else:
            raise ValueError(f"unknown case {want!r}; cases: {', '.join(n for n, _ in CASES)}")
    return sorted(chosen)


HOST_FILES = {
    "args.py": "import sys\nprint(ascii(sys.argv))\n",
    "arglen.py": "import sys\nprint('arglen', [len(a) for a in sys.argv[1:]])\n",
    "exit3.py": "import sys\nsys.exit(3)\n",
    "syntax_error.py": "def f(:\n    pass\n",
    "recurse.py": "def f(n):\n    return f(n + 1)\n\nf(0)\n",
    "loop.py": "print('looping', flush=True)\nwhile True:\n    pass\n",
    "data.json": '{"b": [1, 2], "a": "x"}\n',
    "subdir/readme.txt": "a directory without __main__.py\n",
}


def make_host_dir(path):
    for name, text in HOST_FILES.items():
        p = os.path.join(path, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)
    with open(os.path.join(path, "nonutf8.py"), "wb") as f:
        f.write(b"print('\xff')\n")


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="qemu-harness.py",
        description="Boot a NuttX firmware in QEMU rv-virt and run the python acceptance cases.",
    )
    p.add_argument("firmware", nargs="?", default="",
                   help="the NuttX ELF (`nuttx`); missing or empty: skip")
    p.add_argument("--arch", choices=("rv32", "rv64"), default="rv32")
    p.add_argument("--case", action="append", default=[], metavar="NAME",
                   help="run only this case (name or number; repeatable)")
    p.add_argument("--keep-log", metavar="FILE", help="write the whole console output here")
    p.add_argument("--scripts-dir", metavar="DIR",
                   help="the folder packed into the image as scripts/ (enables romfs-script)")
    p.add_argument("--icount", action="store_true", help="add -icount shift=0,sleep=off")
    p.add_argument("--no-sigint", action="store_true",
                   help="Ctrl-C without KeyboardInterrupt is skipped, not failed")
    p.add_argument("--timeout-scale", type=float, default=1.0, metavar="F",
                   help="multiply every timeout by F (slow machines)")
    p.add_argument("--list", action="store_true", help="list the cases and exit")
    return p.parse_args(argv)


def print_result(num, r):
    tag = {"pass": "PASS", "fail": "FAIL", "skip": "SKIP"}[r.outcome]
    line = f"{tag} {num:2d} {r.name}: {r.title}"
    if r.outcome == "skip":
        line += f" ({r.skip_reason})"
    print(line, flush=True)
    for what, expected, seen in r.failures:
        print(f"     {what}", flush=True)
        print(f"       expected: {shorten(str(expected))}", flush=True)
        print(f"       seen:     {shorten(str(seen))}", flush=True)
    for n in r.notes:
        print(f"     note: {n}", flush=True)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.list:
        for i, (n, f) in enumerate(CASES):
            print(f"{i + 1:2d} {n}: {f.__doc__}")
        return 0
    try:
        cases = select_cases(args.case)
    except ValueError as e:
        print(f"qemu harness: {e}", file=sys.stderr)
        return 1
    if not args.firmware:
        print("qemu harness: no firmware given, skipped")
        return 0
    if not os.path.isfile(args.firmware):
        print(f"qemu harness: firmware {args.firmware}: no such file", file=sys.stderr)
        return 1
    if args.scripts_dir and not os.path.isdir(args.scripts_dir):
        print(f"qemu harness: --scripts-dir {args.scripts_dir}: not a directory", file=sys.stderr)
        return 1
    qemu = qemu_command("FW", args.arch)[0]
    if shutil.which(qemu) is None:
        print(f"qemu harness: {qemu} not found (Debian: apt-get install qemu-system-misc)", file=sys.stderr)
        return 1

    # SIGTERM/SIGHUP end the run through the finally below, which kills QEMU.
    end_on_termination_signals()

    tmp = tempfile.mkdtemp(prefix="qemu-harness-")
    log = open(args.keep_log, "wb") if args.keep_log else None
    board = None
    results = []
    boot_failures = 0
    try:
        fw = os.path.join(tmp, "nuttx")
        shutil.copyfile(args.firmware, fw)
        hostdir = os.path.join(tmp, "host")
        os.mkdir(hostdir)
        make_host_dir(hostdir)
        board = Board(qemu_command(fw, args.arch, args.icount), log, args.timeout_scale)
        print(f"qemu harness: {args.firmware} ({args.arch}), {len(cases)} case(s)", flush=True)
        for num, name, fn in cases:
            title = (fn.__doc__ or "").strip().splitlines()[0]
            r = Result(name, title)
            t0 = time.monotonic()
            try:
                if boot_failures >= 2:
                    raise BoardDead("the firmware did not boot to an NSH prompt (twice); not tried again")
                if board.proc is None or board.dead:
                    try:
                        board.boot()
                    except BoardDead:
                        boot_failures += 1
                        raise
                    boot_failures = 0
                board.logmark(f"case {num} {name}")
                fn(Ctx(board, hostdir, args, r))
            except Skip as e:
                r.outcome = "skip"
                r.skip_reason = str(e)
            except BoardDead as e:
                board.dead = True
                r.failures.append(("board", "a prompt", str(e)))
            if r.outcome != "skip" and r.failures:
                r.outcome = "fail"
            if r.outcome != "skip":
                r.notes.append(f"took {time.monotonic() - t0:.1f} s")
            results.append(r)
            print_result(num, r)
    except KeyboardInterrupt:
        print("qemu harness: interrupted", file=sys.stderr)
        if board:
            board.stop()
        return 1
    finally:
        if board:
            board.stop()
        if log:
            log.close()
        shutil.rmtree(tmp, ignore_errors=True)
    passed, failed, skipped = count_results(results)
    print(summary_line(passed, failed, skipped))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
