"""Signals as programs use them: a Python handler runs, sigwait() takes a
blocked signal, and (with the argument `asyncio`) asyncio's loop takes a
handler, which needs signal.siginterrupt()."""
import asyncio
import os
import signal
import sys


def handler_runs():
    got = []
    old = signal.signal(signal.SIGUSR1, lambda signo, frame: got.append(signo))
    try:
        os.kill(os.getpid(), signal.SIGUSR1)
        for _ in range(1000):  # handlers run between bytecodes
            if got:
                break
        return got == [signal.SIGUSR1]
    finally:
        signal.signal(signal.SIGUSR1, old)


def sigwait_takes_a_blocked_signal():
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR2])
    try:
        os.kill(os.getpid(), signal.SIGUSR2)
        return signal.sigwait([signal.SIGUSR2]) == signal.SIGUSR2
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR2])


async def asyncio_handler():
    loop = asyncio.get_running_loop()
    got = loop.create_future()
    loop.add_signal_handler(signal.SIGUSR1, got.set_result, "handled")
    try:
        os.kill(os.getpid(), signal.SIGUSR1)
        return await asyncio.wait_for(got, 10)
    finally:
        loop.remove_signal_handler(signal.SIGUSR1)


print("signal handler =", handler_runs())
print("sigwait =", sigwait_takes_a_blocked_signal())
if sys.argv[1:] == ["asyncio"]:
    print("asyncio signal handler =", repr(asyncio.run(asyncio_handler())))
