# SPDX-License-Identifier: Apache-2.0
"""A stand-in for QEMU running NSH, on stdin/stdout, for the tests of the
console tools (tools/test_nxqemu.py, tools/test_benchmark.py) without a
firmware.  It echoes each line as NSH does (ESC [ K first, CRLF) and answers:

  echo $?            the last status       echo TEXT     TEXT
  false              status 1              hang          no prompt for 60 s
  crash              an assertion dump     exit          QEMU ends
  free               a heap table; `time 'python -c pass'` makes the heap grow
  time '...'         NSH `time` of python -c pass, of an import, of the REPL
                     (which waits for a typed line) and of a failing `broken`
  anything else      a syslog record, then `out 1` and `out 2`
"""

import os
import sys
import time


def w(s):
    os.write(1, s.encode("utf-8", "surrogateescape"))


def free(used, peak):
    w("      total       used       free    maxused    maxfree  nused  nfree name\r\n")
    w(f"   19059104 {used:10d}   18754552 {peak:10d}   17072744    660     20 Umem\r\n")


def main():
    w("ABC[    0.007996] board_userled: LED 1 set to 0\r\n\r\nNuttShell (NSH)\r\nnsh> ")
    status, used, peak, runs = 0, 16336, 16704, 0
    line = b""
    while True:
        c = os.read(0, 1)
        if not c:
            break
        if c != b"\n":
            line += c
            continue
        cmd, line = line.decode("utf-8", "surrogateescape"), b""
        w("\x1b[K" + cmd + "\r\n")
        if cmd == "echo $?":
            w(f"{status}\r\n")
        elif cmd.startswith("echo "):
            w(cmd[5:] + "\r\n")
            status = 0
        elif cmd == "false":
            status = 1
        elif cmd == "hang":
            time.sleep(60)
        elif cmd == "crash":
            w("dump_assert_info: Assertion failed panic: at file: x\r\n")
            time.sleep(60)
        elif cmd == "exit":
            sys.exit(0)
        elif cmd == "free":
            free(used, peak)
        elif cmd == "time 'python -c pass'":
            runs += 1
            used, peak = 304552 + 1000 * (runs - 1), 1986120
            w("[    0.002398] python: standard library mounted\r\n" if runs == 1 else "")
            w(f"\r\n0.{680 - runs:04d} sec\r\n")
        elif cmd == """time 'python -c "import json, re"'""":
            w("\r\n0.1160 sec\r\n")
        elif cmd == "time 'python'":
            w("Python 3.13.5\r\n>>> ")
            typed = b""
            while not typed.endswith(b"\n"):
                typed += os.read(0, 1)
            w(typed.decode().replace("\n", "\r\n") + "\r\n0.1908 sec\r\n")
        elif cmd == "time 'broken -c pass'":
            w("Traceback (most recent call last):\r\n\r\n0.0100 sec\r\n")
        elif cmd:
            w("[    1.000000] syslog: a record\r\nout 1\r\nout 2\r\n")
            status = 0
        w("nsh> ")


if __name__ == "__main__":
    main()
