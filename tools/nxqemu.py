"""QEMU rv-virt and its NSH console, shared by tools/qemu-harness.py (the
acceptance cases) and tools/benchmark.py (the measurements).

qemu_command() is the QEMU command line both tools boot a firmware with;
Board drives the console over stdin/stdout pipes with a small expect loop;
the functions before it parse what NSH prints (prompts, `echo $?`, `free`).
The pure parts are unit-tested by tools/test_qemu_harness.py, through the
harness, which uses them under the same names.
"""

import os
import re
import select
import signal
import subprocess
import time

# --------------------------------------------------------------------------
# Pure parts: console text, prompts, NSH output formats.
# --------------------------------------------------------------------------

PROMPT = "nsh> "
REPL_PROMPT = ">>> "
ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
# NuttX syslog records on the console: "[   19.058494] check_and_mount_romfs: ..."
SYSLOG_RE = re.compile(r"^\[\s*\d+\.\d+\]( |$)")
# Signs that the board died (an assertion or an exception dump) rather than
# just being slow: no prompt will come back.
CRASH_RE = re.compile(
    r"Assertion failed[^\n]*at file|dump_assert_info|EXCEPTION: [^\n]*MCAUSE"
)
STATUS_RE = re.compile(r"^\s*(-?\d+)\s*$")
# What the launcher prints at boot when a boot script is configured.
BOOT_BANNER_RE = re.compile(r"boot script (\S+) starts in (\d+) ms; press any key to skip it")


def strip_ansi(text):
    """Drop terminal control sequences (NSH's readline writes ESC [ K)."""
    return ANSI_RE.sub("", text)


def clean_lines(text, drop_syslog=True):
    """Console text -> list of lines, without CR, ANSI sequences and syslog
    records (which the launcher and the kernel interleave with output)."""
    text = strip_ansi(text).replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if drop_syslog:
        lines = [ln for ln in lines if not SYSLOG_RE.match(ln)]
    return lines


def find_prompt(text, prompt=PROMPT):
    """Index of the first prompt in text, or -1."""
    return text.find(prompt)


def command_output(raw, prompt=PROMPT):
    """What a command printed, from the console text that follows sending it:
    the first line is NSH's echo of the command and the text ends at the next
    prompt.  Returns the output lines joined by '\\n', without a trailing
    empty line and without syslog records."""
    end = find_prompt(raw, prompt)
    if end >= 0:
        raw = raw[:end]
    nl = raw.find("\n")
    body = raw[nl + 1:] if nl >= 0 else ""
    lines = clean_lines(body)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines)


def parse_status(output):
    """The number `echo $?` printed, or None."""
    for line in output.split("\n"):
        m = STATUS_RE.match(line)
        if m:
            return int(m.group(1))
    return None


def parse_free(output):
    """Parse NSH `free` (a cat of procfs meminfo):

          total       used       free    maxused    maxfree  nused  nfree name
       19314368      16336   19298032      16704   19298016     45      2 Umem

    -> {"Umem": {"total": 19314368, "used": 16336, ...}}.  Rows without a
    name (older NuttX) are keyed by their index."""
    heaps = {}
    header = None
    for line in clean_lines(output):
        words = line.split()
        if not words:
            continue
        if "total" in words and "used" in words:
            header = words
            continue
        if header is None or not words[0].isdigit():
            continue
        nums = []
        for w in words:
            if w.isdigit():
                nums.append(int(w))
            else:
                break
        cols = [h for h in header if h != "name"]
        row = dict(zip(cols, nums))
        name = " ".join(words[len(nums):]) or str(len(heaps))
        heaps[name] = row
    return heaps


def user_heap(output):
    """The row of the user heap ("Umem", else the first heap) in `free`
    output, or None when the output has no heap row."""
    heaps = parse_free(output)
    if not heaps:
        return None
    return heaps.get("Umem") or next(iter(heaps.values()))


def heap_used(output):
    """Used bytes of the user heap in `free` output, or None when the output
    has no such row."""
    row = user_heap(output)
    return None if row is None else row.get("used")


def shorten(text, limit=600):
    text = text if isinstance(text, str) else repr(text)
    if len(text) > limit:
        return text[: limit // 2] + f" ...[{len(text) - limit} chars]... " + text[-limit // 2:]
    return text


# --------------------------------------------------------------------------
# The board: QEMU and an expect loop over its console.
# --------------------------------------------------------------------------


def qemu_command(firmware, arch="rv32", icount=False):
    bits = {"rv32": "32", "rv64": "64"}[arch]
    cmd = [
        f"qemu-system-riscv{bits}", "-semihosting",
        "-M", "virt,aclint=on", "-cpu", arch, "-smp", "1",
        "-bios", "none", "-kernel", firmware, "-nographic",
    ]
    if icount:
        cmd += ["-icount", "shift=0,sleep=off"]
    return cmd


def _die_with_parent():
    """In the child before exec: on Linux, have QEMU killed if the tool
    itself is killed (SIGKILL leaves no chance for the cleanup in main)."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class BoardDead(Exception):
    """No prompt came back (timeout, crash dump, or QEMU exited)."""


class Board:
    def __init__(self, argv, log=None, scale=1.0):
        self.argv = argv
        self.log = log
        self.scale = scale
        self.proc = None
        self.buf = bytearray()
        self.boots = 0
        self.typed = False  # anything typed since boot
        self.state = set()  # "host", "fat", ... set up since boot
        self.dead = False

    # -- process ----------------------------------------------------------
    def boot(self, timeout=60, answer=None):
        """Start QEMU and wait for the NSH prompt. `answer` = (pattern,
        data): type `data` as soon as the boot text matches `pattern`,
        before the prompt (to answer a question asked at boot)."""
        self.stop()
        self.boots += 1
        self.buf = bytearray()
        self.typed = False
        self.state = set()
        self.dead = False
        self.logmark(f"boot {self.boots}: {' '.join(self.argv)}")
        self.proc = subprocess.Popen(
            self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        if answer is not None:
            pattern, data = answer
            self.expect(pattern, 0, timeout)
            self.send(data)
        self.expect(PROMPT, 0, timeout)
        self.wait_for_boot_script(timeout)
        self.typed = False

    def wait_for_boot_script(self, timeout):
        """A boot script runs in a task beside NSH, and CPython runs once at
        a time: wait until that task is gone from `ps`."""
        m = BOOT_BANNER_RE.search(self.text(0))
        if m is None:
            return
        deadline = time.monotonic() + timeout * self.scale
        while m.group(1) in self.run("ps", 20):
            if time.monotonic() > deadline:
                raise BoardDead(f"the boot script {m.group(1)} still runs after {timeout} s")
            time.sleep(0.5)

    def stop(self):
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            proc.kill()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for f in (proc.stdin, proc.stdout):
            try:
                f.close()
            except OSError:
                pass

    def logmark(self, text):
        if self.log:
            self.log.write(f"\n=== {text} ===\n".encode())
            self.log.flush()

    # -- I/O ----------------------------------------------------------------
    def _read(self, wait):
        """Read what is available within `wait` seconds. False at EOF."""
        fd = self.proc.stdout.fileno()
        r, _, _ = select.select([fd], [], [], max(0.0, wait))
        if not r:
            return True
        data = os.read(fd, 65536)
        if not data:
            return False
        self.buf += data
        if self.log:
            self.log.write(data)
            self.log.flush()
        return True

    def text(self, start=0):
        return self.buf[start:].decode("utf-8", errors="replace")

    def send(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.typed = True
        # Small chunks: the NuttX UART receive buffer is 256 bytes and drops
        # what does not fit, while QEMU itself would pass a pipe on at once.
        try:
            for i in range(0, len(data), 16):
                self.proc.stdin.write(data[i:i + 16])
                self.proc.stdin.flush()
                if len(data) > 16:
                    time.sleep(0.002)
        except (BrokenPipeError, OSError) as e:
            self.dead = True
            raise BoardDead(f"cannot write to QEMU: {e}") from None

    def expect(self, pattern, start, timeout, crash_check=True):
        """Wait until `pattern` (str or compiled regex) occurs in the console
        text from byte offset `start`. Returns (text_before, match_end_text)
        where text_before is the text up to the match. Raises BoardDead."""
        timeout *= self.scale
        deadline = time.monotonic() + timeout
        while True:
            text = self.text(start)
            if isinstance(pattern, str):
                i = text.find(pattern)
                if i >= 0:
                    return text[:i], text[i:i + len(pattern)]
            else:
                m = pattern.search(text)
                if m:
                    return text[:m.start()], m.group(0)
            if crash_check and CRASH_RE.search(text):
                # Collect the dump for the log, then give up on this boot.
                end = time.monotonic() + 2
                while time.monotonic() < end and self._read(end - time.monotonic()):
                    pass
                self.dead = True
                raise BoardDead("the board crashed: " + shorten(CRASH_RE.search(self.text(start)).group(0)))
            left = deadline - time.monotonic()
            if left <= 0:
                self.dead = True
                raise BoardDead(f"no {pattern if isinstance(pattern, str) else pattern.pattern!r} "
                                f"within {timeout:.0f} s; last output: {shorten(text[-300:])!r}")
            if self.proc.poll() is not None and not self._read(0):
                self.dead = True
                raise BoardDead(f"QEMU exited with status {self.proc.returncode}")
            if not self._read(min(left, 0.5)):
                self.dead = True
                raise BoardDead("QEMU closed its console")

    def quiet(self, seconds, limit=60):
        """Read until nothing arrives for `seconds` (at most `limit` s)."""
        end = time.monotonic() + limit
        while time.monotonic() < end:
            before = len(self.buf)
            if not self._read(seconds):
                return
            if len(self.buf) == before:
                return

    # -- NSH ------------------------------------------------------------------
    def run(self, cmd, timeout=20):
        """Type a command, wait for the next prompt, return its output."""
        if "\n" in cmd or "\r" in cmd:
            raise ValueError(f"one NSH line per command (NSH ends a command at a newline): {cmd!r}")
        start = len(self.buf)
        self.send(cmd + "\n")
        before, _ = self.expect(PROMPT, start, timeout)
        return command_output(before)

    def status(self, timeout=20):
        out = self.run("echo $?", timeout)
        st = parse_status(out)
        if st is None:
            raise BoardDead(f"`echo $?` printed no number: {out!r}")
        return st

    def sh(self, cmd, timeout=60):
        """Run a command; return (output, status from `echo $?`)."""
        out = self.run(cmd, timeout)
        return out, self.status()

    def sync(self, timeout=60):
        """Bring the console back to a known prompt after input that may have
        been split or partly lost: wait for quiet, end any partial line, type
        a marker and wait for it to be printed on a line of its own."""
        self.quiet(2, limit=timeout)
        self.send("\n")
        self.quiet(2, limit=timeout)
        for attempt in range(3):
            marker = f"QHSYNC{int(time.monotonic() * 1000) % 100000}x{attempt}"
            start = len(self.buf)
            self.send(f"echo {marker}\n")
            try:
                self.expect(re.compile(r"(?m)^" + marker + r"\r?\n"), start, 20)
                self.expect(PROMPT, start, 10)
                return
            except BoardDead:
                if attempt == 2 or self.proc.poll() is not None:
                    raise
                self.dead = False
                self.send("\n")
                self.quiet(2, limit=timeout)


def end_on_termination_signals():
    """Make SIGTERM and SIGHUP raise KeyboardInterrupt, so that a tool's
    cleanup (which kills QEMU) also runs when the tool is told to stop."""
    def on_signal(signum, frame):
        raise KeyboardInterrupt
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)
