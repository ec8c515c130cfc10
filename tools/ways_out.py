# SPDX-License-Identifier: Apache-2.0
"""Every way a `python` run can end, as NSH commands: shared by the
on-target tests (tests/target/test_fresh.py), which check that the next run
starts like the first, and tools/benchmark.py, which measures what each way
leaves behind.  Each is one line for NSH; none needs a file on the board."""

import re
from typing import NamedTuple

from nxqemu import BoardDead

# An endless loop of bytecode (which checks for signals, unlike a loop in C
# such as any(iter(int, 1))) that says when it runs.
LOOP = "-c \"print('looping', flush=True); exec('while True: pass')\""
LOOPING = re.compile(r"looping\r?\n")  # also after a prompt on the line
# NSH prints "python [5:100]" for a command started with `&`.
BACKGROUND_RE = re.compile(r"\[(\d+):\d+\]")
# repr() of a list nested 100,000 deep, in a thread of 32 KiB: the thread's
# uncaught RecursionError is printed by threading.excepthook; status 0.
THREAD = ("-c \"import threading; threading.stack_size(32768); x = []; "
          "exec('for i in range(100000): x = [x]'); "
          "t = threading.Thread(target=repr, args=(x,)); t.start(); t.join()\"")


class WayOut(NamedTuple):
    name: str
    args: str  # after the command name
    status: int | None  # `echo $?` after the run (NSH folds to 0/1); None: killed
    output: str | None = None  # a pattern the output matches
    kill: int | None = None  # run in the background, then `kill -<n>` it
    home: str | None = None  # PYTHONHOME exported for the run, unset after


WAYS_OUT = [
    WayOut("clean end", "-c pass", 0),
    WayOut("sys.exit(0)", '-c "import sys; sys.exit(0)"', 0),
    WayOut("sys.exit(1)", '-c "import sys; sys.exit(1)"', 1),
    WayOut("sys.exit('msg')", "-c \"import sys; sys.exit('msg')\"", 1, r"(?m)^msg\r?$"),
    WayOut("uncaught exception", "-c \"raise ValueError('x')\"", 1, r"ValueError: x"),
    WayOut("os._exit(3)", '-c "import os; os._exit(3)"', 1),
    WayOut("kill -2", LOOP, None, r"KeyboardInterrupt", kill=2),
    WayOut("kill -9", LOOP, None, kill=9),
    WayOut("MemoryError", '-c "b = bytearray(2**30)"', 1, r"MemoryError"),
    WayOut("RecursionError in Python", '-c "f = lambda: f(); f()"', 1, r"RecursionError"),
    WayOut("RecursionError in C",
           "-c \"x = []; exec('for i in range(100000): x = [x]'); repr(x)\"", 1, r"RecursionError"),
    WayOut("RecursionError in C, 32 KiB thread", THREAD, 0, r"RecursionError"),
    WayOut("fatal error", "-c pass", 1, r"Fatal Python error", home="/nonexistent"),
]


def task_listed(board, pid):
    return re.search(rf"(?m)^\s*{pid}\s", board.run("ps", 20)) is not None


def start_loop(board, progname, background=False):
    """Start `python` on LOOP and wait until it loops; returns the console
    mark where its output starts and, in the background, its task id."""
    start = board.mark()
    board.send(f"{progname} {LOOP}{' &' if background else ''}\n")
    pid = int(board.wait_printed(BACKGROUND_RE, start, 60).group(1)) if background else None
    board.wait_printed(LOOPING, start, 120)
    return start, pid


def end_run(board, progname, way, timeout=300):
    """Run `python` and end it the given way; returns (output, status), the
    status None for a killed run.  A killed run is waited for until `ps`
    no longer lists it (BoardDead if it outlives the wait)."""
    if way.kill is None:
        if way.home is not None:
            board.run(f"export PYTHONHOME {way.home}", 20)
        try:
            return board.sh(f"{progname} {way.args}", timeout)
        finally:
            if way.home is not None:
                board.run("unset PYTHONHOME", 20)
    start, pid = start_loop(board, progname, background=True)
    board.sync()
    board.run(f"kill -{way.kill} {pid}", 20)
    for _ in range(60):
        if not task_listed(board, pid):
            board.sync()
            return board.text(start), None
        board.quiet(0.5, limit=1)
    raise BoardDead(f"task {pid} still runs after kill -{way.kill}")
