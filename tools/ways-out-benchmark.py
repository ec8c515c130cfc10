#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""What each way a `python` run can end (tools/ways_out.py) leaves behind:
ours against the upstream C app, in QEMU with -icount (repeatable virtual
time).

Usage: tools/ways-out-benchmark.py OURS_ELF [--upstream UPSTREAM_ELF]
                                   [--arch rv32|rv64] [--progname NAME]

For every way out, on a new boot of each firmware: `python -c pass` (the
first run), NSH `free`; the way out; `free` again; then `time 'python -c
-c "print(6*7)"'`. It prints a Markdown table, one row per way: the user
heap used after the way, as the change against after the first run, and
the virtual start-to-end time of the next run, which must print 42 (else
what it printed instead, or why the board gave no answer). Without a
firmware it prints `ways-out benchmark: no firmware given, skipped`.
"""

import argparse
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nxqemu  # noqa: E402
from benchmark import MeasureError, free_heap, icount_board, other_lines, seconds_of  # noqa: E402
from ways_out import WAYS_OUT, end_run  # noqa: E402


def next_run(board, progname):
    """The virtual seconds of the next run, or what it did instead."""
    out = board.run(f"time '{progname} -c \"print(6*7)\"'", 300)
    printed = other_lines(out)
    if printed != ["42"]:
        return "printed " + (repr(nxqemu.shorten(" / ".join(printed), 60)) if printed else "nothing")
    return f"{seconds_of(out):.4f} s"


def measure(firmware, arch, progname, way):
    """(heap change after the way, the next run) on a new boot."""
    board = icount_board(firmware, arch)
    try:
        board.boot()
        board.run(f"{progname} -c pass", 300)
        first = free_heap(board)[0]
        end_run(board, progname, way)
        change = free_heap(board)[0] - first
        return f"{change:+,} B", next_run(board, progname)
    except (nxqemu.BoardDead, MeasureError) as e:
        return "n/a", nxqemu.shorten(str(e), 70)
    finally:
        board.stop()


def main(argv=None):
    p = argparse.ArgumentParser(prog="ways-out-benchmark.py", description=__doc__.split("\n")[0])
    p.add_argument("firmware", nargs="?", default="")
    p.add_argument("--upstream", metavar="ELF")
    p.add_argument("--arch", choices=sorted(nxqemu.QEMU_MACHINES), default="rv32")
    p.add_argument("--progname", default="python")
    args = p.parse_args(argv)
    if not args.firmware:
        print("ways-out benchmark: no firmware given, skipped")
        return 0
    sides = [("ours", args.firmware)] + ([("upstream", args.upstream)] if args.upstream else [])
    tmp = tempfile.mkdtemp(prefix="ways-out-")
    try:
        copies = []
        for name, path in sides:
            copies.append(os.path.join(tmp, name))
            shutil.copyfile(path, copies[-1])
        header = ["way out"] + [f"{name}: {what}" for name, _ in sides
                                for what in ("heap after it", "next run")]
        print("| " + " | ".join(header) + " |")
        print("|---" * len(header) + "|")
        for way in WAYS_OUT:
            cells = [way.name]
            for copy in copies:
                cells += measure(copy, args.arch, args.progname, way)
            print("| " + " | ".join(cells) + " |", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
