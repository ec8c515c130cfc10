# SPDX-License-Identifier: Apache-2.0
"""Running python: the first run after boot, exit statuses, repeated runs and
the mount they share."""

from nxqemu import count_mounts, has_line, heap_used

REPEATED_RUNS = 20
HEAP_TOLERANCE = 4096


def test_first_run_prints_42(fresh_board, firmware):
    out, st = fresh_board.sh(f'{firmware.progname} -c "print(6*7)"', 120)
    assert has_line(out, "42")
    assert st == 0


def test_modules(nsh):
    out, st = nsh.python('-c "import os, sys, math, json, zlib; print(os.uname().sysname)"')
    assert has_line(out, "NuttX")
    assert st == 0


def test_floats_print_as_on_any_cpython(nsh):
    """CPython's own correctly rounded float repr, not the C library's
    printf (which lost digits and the sign of -0.0)."""
    out, st = nsh.python('-c "import sys; print(sys.float_repr_style, repr(2 ** 0.5), -0.0, '
                         '1.1 + 2.2, complex(-0.0, 1), float(repr(0.1)) == 0.1)"')
    assert has_line(out, "short 1.4142135623730951 -0.0 3.3000000000000003 (-0+1j) True"), out
    assert st == 0


def test_time_zone_and_clocks(nsh):
    """NuttX keeps no time zone: local time is UTC, named so in time and
    datetime (a nameless local zone made astimezone(utc) return a naive
    datetime), and every clock time offers answers."""
    out, st = nsh.python(
        '-c "import datetime as d, time; '
        'print(d.datetime(2003, 4, 14, 12).astimezone(d.timezone.utc).tzinfo, time.tzname[0], '
        'time.localtime().tm_zone, [time.get_clock_info(c).resolution > 0 for c in '
        '(\'time\', \'monotonic\', \'process_time\', \'thread_time\') if hasattr(time, c)])"')
    assert has_line(out, "UTC UTC UTC [True, True, True, True]") or \
        has_line(out, "UTC UTC UTC [True, True, True]"), out
    assert st == 0


def test_exit_status(nsh, hostfs):
    out, st = nsh.python('-c "import sys; sys.exit(0)"')
    assert (out, st) == ("", 0)
    out, st = nsh.python('-c "import sys; sys.exit(3)"')
    assert st != 0, "NSH folds a builtin's 3 to 1"
    out, st = nsh.python("-c \"raise ValueError('x')\"")
    assert st == 1
    assert "Traceback" in out and "ValueError: x" in out
    out, st = nsh.python(f"{hostfs}/exit3.py")
    assert st != 0


def test_repeated_runs_keep_the_heap(nsh):
    """20 runs of `python -c pass`: the heap used after run 20 is within
    4 KB of the heap used after run 1."""
    used = {}
    for i in range(1, REPEATED_RUNS + 1):
        out, st = nsh.python("-c pass")
        assert (out, st) == ("", 0), f"run {i}"
        if i in (1, REPEATED_RUNS):
            free = nsh.board.run("free", 20)
            used[i] = heap_used(free)
            assert used[i] is not None, f"`free` printed no heap row: {free!r}"
    growth = used[REPEATED_RUNS] - used[1]
    print(f"heap used after run 1: {used[1]} bytes, after run {REPEATED_RUNS}: "
          f"{used[REPEATED_RUNS]} bytes ({growth / (REPEATED_RUNS - 1):.0f} per run)")
    assert growth <= HEAP_TOLERANCE


def test_runs_share_one_mount(nsh, firmware):
    for i in (1, 2):
        out, st = nsh.python("-c pass")
        assert st == 0, f"run {i}: {out!r}"
    out = nsh.board.run("mount", 20)
    assert count_mounts(out, firmware.mountpoint, "romfs") == 1, out
