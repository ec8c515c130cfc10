# SPDX-License-Identifier: Apache-2.0
"""Bad input: a clear message, a non-zero status, and the board goes on."""

import re

import pytest

from nxqemu import PROMPT, command_output, has_line

# (id, arguments after `python`, message pattern). {host} and {lib} are
# the hostfs mount and the image's mount point.
BAD_RUNS = [
    ("missing-script-tmpfs", "/tmp/no_such_script.py", r"can't open file|No such file"),
    # NuttX's hostfs answers stat() of a missing path with success and a
    # directory mode: the message cannot say "No such file", but names it.
    ("missing-script-hostfs", "{host}/no_such_script.py", r"no_such_script\.py"),
    ("directory-tmpfs", "/tmp/bad_input_dir", r"__main__|[Ii]s a directory"),
    ("directory-romfs", "{lib}", r"__main__|[Ii]s a directory"),
    ("syntax-error", "{host}/syntax_error.py", r"SyntaxError"),
    ("recursion", "{host}/recurse.py", r"RecursionError"),
    # More than any board here has (the Python heap is a Kconfig size).
    ("1-GiB-allocation", '-c "b = bytearray(2**30)"', r"MemoryError"),
]


@pytest.mark.parametrize("args, message", [(a, m) for _, a, m in BAD_RUNS],
                         ids=[i for i, _, _ in BAD_RUNS])
def test_bad_run(nsh, hostfs, firmware, args, message):
    nsh.sh("mkdir -p /tmp/bad_input_dir", 20)
    out, st = nsh.python(args.format(host=hostfs, lib=firmware.mountpoint), timeout=300)
    assert st != 0
    assert re.search(message, out), out or "(nothing)"
    nsh.alive()


def test_directory_on_hostfs(nsh, hostfs):
    """Semihosting has no directories: NuttX's hostfs opens a host directory
    as a regular file that reads as empty, so Python runs an empty script.
    Recorded, not judged: no program on the board can tell it apart."""
    out, st = nsh.python(f"{hostfs}/subdir")
    print(f"directory on hostfs as script: status {st}, output {out!r}")
    nsh.alive()


def test_non_utf8_argument(nsh, hostfs):
    b = nsh.board
    b.send("echo \udcff\n")
    carried = "\n\udcff\r\n" in b.expect(PROMPT, 20)
    if not carried:
        print("the console does not carry a \\xff byte; a script with one in its source is used")
        out, st = nsh.python(f"{hostfs}/nonutf8.py")
        assert st != 0
        assert re.search(r"SyntaxError|UnicodeDecodeError|Non-UTF-8", out), out
        return
    b.send(f"{nsh.fw.progname} -c \"print('\udcff')\"\n")
    out = command_output(b.expect(PROMPT, 120))
    assert b.status() != 0
    assert re.search(r"decode|Unicode(En|De)codeError|SyntaxError", out), out
    nsh.alive()
    # As an argument to a script: surrogateescape, not an error.
    b.send(f"{nsh.fw.progname} {hostfs}/args.py \udcff\n")
    out = command_output(b.expect(PROMPT, 120))
    print(f"a \\xff argument to a script: status {b.status()}, printed {out!r}")
    nsh.alive()


def test_4kb_argument(nsh, hostfs):
    # Typed on the console line: NSH ends a line at CONFIG_LINE_MAX - 1
    # characters and runs the rest as further commands. Recorded.
    b = nsh.board
    start = b.mark()
    b.send(f"{nsh.fw.progname} {hostfs}/arglen.py {'A' * 4096}\n")
    b.sync(180)
    m = re.search(r"arglen \[(\d+)\]", b.text(start))
    print(f"a 4096-byte argument typed on the console: Python saw {m.group(1) if m else 'no run'} characters")
    nsh.alive()
    # Built in NSH variables, past the line limit. (NSH joins `${A}${A}`
    # but reads `$A$A` as one unknown variable.)
    for cmd in (f"set BI_A {'A' * 256}", "set BI_B ${BI_A}${BI_A}${BI_A}${BI_A}",
                "set BI_C ${BI_B}${BI_B}${BI_B}${BI_B}"):
        out, st = nsh.sh(cmd, 20)
        assert st == 0, f"`{cmd[:30]}...`: {out!r}"
    out, st = nsh.python(f"{hostfs}/arglen.py ${{BI_C}}")
    for var in ("BI_A", "BI_B", "BI_C"):
        nsh.sh(f"unset {var}", 20)
    assert has_line(out, "arglen [4096]"), out
    assert st == 0


# deep.py's arguments: nesting deeper than the stack holds, in the parser
# (unary), the compiler passes (sum), ast.parse's conversion (ast) and
# marshal, on the python task and on a 32 KiB thread.
DEEP_RUNS = ["unary 3000", "unary 100000", "sum 100000", "ast 100000", "marshal 3000",
             "unary 100000 thread", "sum 3000 thread", "ast 3000 thread", "marshal 1500 thread"]
DEEP_RESULTS = {"unary": lambda d: str((-1) ** d), "sum": lambda d: str(d + 1),
                "ast": lambda d: "Module", "marshal": lambda d: r"\d+"}


@pytest.mark.parametrize("args", DEEP_RUNS)
def test_deep_nesting(nsh, hostfs, args):
    """Nesting too deep for the stack ends in the result or in CPython's
    exception for it, never in a board panic."""
    out, st = nsh.python(f"{hostfs}/deep.py {args}", timeout=300)
    kind, depth = args.split()[:2]
    result = DEEP_RESULTS[kind](int(depth))
    assert re.search(rf"^deep {kind} {depth} (= {result}|raised (MemoryError|RecursionError|ValueError))",
                     out, re.M), out or "(nothing)"
    assert st == 0, out
    nsh.alive()
