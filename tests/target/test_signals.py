# SPDX-License-Identifier: Apache-2.0
"""Signals from Python: handlers, sigwait() and asyncio's
loop.add_signal_handler() (which failed while config.site missed
siginterrupt(), a function NuttX's libc.csv does not list)."""

from nxqemu import has_line

# What CPython on Linux prints for `host/signals.py asyncio` (test_selftest runs it).
SIGNALS_EXPECTED = [
    "signal handler = True",
    "sigwait = True",
    "asyncio signal handler = 'handled'",
]


def test_signals_reach_python(nsh, firmware, hostfs):
    # asyncio's event loop wakes itself through a socketpair(AF_UNIX).
    with_asyncio = firmware.has("NET_LOCAL")
    expected = SIGNALS_EXPECTED if with_asyncio else SIGNALS_EXPECTED[:2]
    out, st = nsh.python(f"{hostfs}/signals.py" + (" asyncio" if with_asyncio else ""),
                         timeout=120)
    missing = [line for line in expected if not has_line(out, line)]
    assert not missing, f"missing {missing} in:\n{out}"
    assert st == 0, out
    nsh.alive()
