# SPDX-License-Identifier: Apache-2.0
"""Sockets over loopback as asyncio, timeouts and non-blocking programs use
them: a send the peer does not take gives way instead of blocking the
program (NuttX needs TCP write buffers for that; the app selects them)."""

import pytest

from nxqemu import has_line

# What CPython on Linux prints for host/sockets.py (test_selftest runs it).
SOCKETS_EXPECTED = [
    "nonblocking send = 'BlockingIOError'",
    "send timeout = 'TimeoutError'",
    "asyncio echo = True",
]


def test_sends_give_way(nsh, firmware, hostfs):
    if not (firmware.has("NET_TCP") and firmware.has("NET_LOOPBACK")):
        pytest.skip("the firmware has no TCP over loopback (NET_TCP, NET_LOOPBACK)")
    out, st = nsh.python(f"{hostfs}/sockets.py", timeout=180)
    missing = [line for line in SOCKETS_EXPECTED if not has_line(out, line)]
    assert not missing, f"missing {missing} in:\n{out}"
    assert st == 0, out
    nsh.alive()
