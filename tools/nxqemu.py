# SPDX-License-Identifier: Apache-2.0
"""A NuttX firmware in QEMU and its NSH console, shared by the on-target tests
(tests/target) and tools/benchmark.py (the measurements).

read_config() and board_arch() read the firmware's `.config`; qemu_command()
is the QEMU command line a firmware boots with; Board drives the console with
pexpect over stdin/stdout pipes; the functions before it parse what NSH prints
(prompts, `echo $?`, `free`, `mount`).  Unit-tested by tools/test_nxqemu.py.
"""

import re
import signal
import time

import pexpect
import pexpect.popen_spawn

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
    r"|(Data|Prefetch) abort\. PC:|Undefined instruction at|Unhandled user exception"
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


def has_line(output, expected):
    """True when one line of output equals expected (ignoring trailing blanks)."""
    return any(ln.rstrip() == expected for ln in output.split("\n"))


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


def shorten(text, limit=600):
    text = text if isinstance(text, str) else repr(text)
    if len(text) > limit:
        return text[: limit // 2] + f" ...[{len(text) - limit} chars]... " + text[-limit // 2:]
    return text


# --------------------------------------------------------------------------
# The firmware's configuration.
# --------------------------------------------------------------------------


def read_config(text):
    """A NuttX `.config` -> {"CONFIG_NAME": value}: "y", a number as text,
    or a string without its quotes.  `# CONFIG_X is not set` is left out."""
    config = {}
    for line in text.splitlines():
        m = re.match(r'^(CONFIG_\w+)=(.*)$', line.strip())
        if not m:
            continue
        value = m.group(2)
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        config[m.group(1)] = value
    return config


# The QEMU machine of each board the tests know: NuttX's qemu-rv (rv-virt),
# qemu-armv7a and qemu-armv8a boards, as their documentation boots them, with
# semihosting for the host folder.  The console is the first UART on stdio.
QEMU_MACHINES = {
    "rv32": ("qemu-system-riscv32", ["-semihosting", "-M", "virt,aclint=on", "-cpu", "rv32",
                                     "-smp", "1", "-bios", "none"]),
    "rv64": ("qemu-system-riscv64", ["-semihosting", "-M", "virt,aclint=on", "-cpu", "rv64",
                                     "-smp", "1", "-bios", "none"]),
    "armv7a": ("qemu-system-arm", ["-semihosting", "-M", "virt,virtualization=off,gic-version=2",
                                   "-cpu", "cortex-a7", "-net", "none"]),
    "armv8a": ("qemu-system-aarch64", ["-semihosting", "-M", "virt,virtualization=on,gic-version=3",
                                       "-cpu", "cortex-a53", "-net", "none"]),
}

# The Debian package of each QEMU program.
QEMU_PACKAGES = {"qemu-system-riscv32": "qemu-system-misc", "qemu-system-riscv64": "qemu-system-misc",
                 "qemu-system-arm": "qemu-system-arm", "qemu-system-aarch64": "qemu-system-arm"}


def board_arch(config):
    """The QEMU_MACHINES key for a firmware's configuration, or None (a board
    or a CPU the table does not have)."""
    if config.get("CONFIG_ARCH_RISCV") == "y":
        return "rv64" if config.get("CONFIG_ARCH_RV64") == "y" else "rv32"
    if config.get("CONFIG_ARCH_CHIP_QEMU_CORTEXA7") == "y":
        return "armv7a"
    if (config.get("CONFIG_ARCH_ARM64") == "y" and config.get("CONFIG_ARCH_CHIP_QEMU_A53") == "y"
            and config.get("CONFIG_ARM64_GIC_VERSION", "3") == "3"):
        return "armv8a"
    return None


# --------------------------------------------------------------------------
# The board: QEMU and its console, through pexpect.
# --------------------------------------------------------------------------


QEMU_DEFAULT_RAM = 128 * 1024 * 1024


# Where each machine's RAM starts: QEMU's -m counts from there.
QEMU_RAM_BASE = {"rv32": 0x80000000, "rv64": 0x80000000,
                 "armv7a": 0x40000000, "armv8a": 0x40000000}


def ram_needed(config, arch):
    """The RAM a firmware uses, counted from the machine's RAM base: its
    CONFIG_RAM_SIZE, plus what lies below its CONFIG_RAM_START (2 MiB on
    NuttX's qemu-armv7a configurations with flash)."""
    size = int(config.get("CONFIG_RAM_SIZE", "0"), 0)
    start = int(config.get("CONFIG_RAM_START", "0"), 0)
    base = QEMU_RAM_BASE[arch]
    return size + (start - base if start > base else 0)


def qemu_command(firmware, arch="rv32", icount=False, ram=0):
    """`ram`: ram_needed(); QEMU gets more than its default 128 MiB when
    the firmware needs it."""
    qemu, machine = QEMU_MACHINES[arch]
    cmd = [qemu] + machine + ["-kernel", firmware, "-nographic"]
    if ram > QEMU_DEFAULT_RAM:
        cmd += ["-m", f"{-(-ram // (1024 * 1024))}M"]
    if icount:
        cmd += ["-icount", "shift=0,sleep=off"]
    return cmd


def _die_with_parent():
    """In the child before exec: on Linux, have QEMU killed if the tool
    itself is killed (SIGKILL leaves no chance for the cleanup)."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class BoardDead(Exception):
    """No prompt came back: `kind` is "timeout", "crash" (a crash dump) or
    "exit" (QEMU ended)."""

    def __init__(self, message, kind="timeout"):
        super().__init__(message)
        self.kind = kind


class _Transcript:
    """pexpect's logfile_read: keeps everything the console printed since
    boot, and copies it to an optional log file."""

    def __init__(self, log=None):
        self.parts = []
        self.size = 0
        self.log = log

    def write(self, text):
        self.parts.append(text)
        self.size += len(text)
        if self.log:
            self.log.write(text.encode("utf-8", "surrogateescape"))

    def flush(self):
        if self.log:
            self.log.flush()

    def text(self):
        if len(self.parts) > 1:
            self.parts = ["".join(self.parts)]
        return self.parts[0] if self.parts else ""


class Board:
    """QEMU with a NuttX firmware, driven over its console.  Text is str;
    bytes that are not UTF-8 travel as surrogate escapes ("\\udcff" is 0xff),
    both ways."""

    def __init__(self, argv, log=None, scale=1.0):
        self.argv = argv
        self.log = log
        self.scale = scale
        self.child = None
        self.transcript = _Transcript(log)
        self.boots = 0
        self.typed = False  # anything typed since boot
        self.state = set()  # "host", "fat", ... set up since boot
        self.dead = False

    @property
    def proc(self):
        return None if self.child is None else self.child.proc

    # -- process ----------------------------------------------------------
    def boot(self, timeout=60, answer=None):
        """Start QEMU and wait for the NSH prompt. `answer` = (pattern,
        data): type `data` as soon as the boot text matches `pattern`,
        before the prompt (to answer a question asked at boot)."""
        self.stop()
        self.boots += 1
        self.transcript = _Transcript(self.log)
        self.typed = False
        self.state = set()
        self.dead = False
        self.logmark(f"boot {self.boots}: {' '.join(self.argv)}")
        self.child = pexpect.popen_spawn.PopenSpawn(
            self.argv, encoding="utf-8", codec_errors="surrogateescape",
            preexec_fn=_die_with_parent,
        )
        self.child.logfile_read = self.transcript
        if answer is not None:
            pattern, data = answer
            self.expect(pattern, timeout)
            self.send(data)
        self.expect(PROMPT, timeout)
        self.wait_for_boot_script(timeout)
        self.typed = False

    def wait_for_boot_script(self, timeout):
        """A boot script runs in a task beside NSH, and CPython runs once at
        a time: wait until that task is gone from `ps`."""
        m = BOOT_BANNER_RE.search(self.text())
        if m is None:
            return
        deadline = time.monotonic() + timeout * self.scale
        while m.group(1) in self.run("ps", 20):
            if time.monotonic() > deadline:
                raise BoardDead(f"the boot script {m.group(1)} still runs after {timeout} s")
            time.sleep(0.5)

    def stop(self):
        if self.child is None:
            return
        child, self.child = self.child, None
        if child.proc.poll() is None:
            child.proc.kill()
        try:
            child.proc.wait(timeout=10)
        except Exception:
            pass
        for f in (child.proc.stdin, child.proc.stdout):
            try:
                f.close()
            except OSError:
                pass

    def logmark(self, text):
        if self.log:
            self.log.write(f"\n=== {text} ===\n".encode())
            self.log.flush()

    # -- I/O ----------------------------------------------------------------
    def mark(self):
        """A position in the console text since boot, for text()."""
        return self.transcript.size

    def text(self, start=0):
        """What the console printed since boot (from `start`, a mark())."""
        return self.transcript.text()[start:]

    def send(self, data):
        self.typed = True
        # Small chunks: the NuttX UART receive buffer is 256 bytes and drops
        # what does not fit, while QEMU itself would pass a pipe on at once.
        try:
            for i in range(0, len(data), 16):
                self.child.send(data[i:i + 16])
                if len(data) > 16:
                    time.sleep(0.002)
        except (BrokenPipeError, OSError, AttributeError) as e:
            self.dead = True
            raise BoardDead(f"cannot write to QEMU: {e}") from None

    def expect(self, pattern, timeout):
        """Wait for `pattern` (str or compiled regex) in what the console
        prints next; return the text before it.  A crash dump, the end of
        QEMU or the timeout raise BoardDead (and mark the board dead)."""
        timeout *= self.scale
        exact = isinstance(pattern, str)
        want = re.compile(re.escape(pattern)) if exact else pattern
        try:
            i = self.child.expect([want, CRASH_RE, pexpect.EOF, pexpect.TIMEOUT], timeout=timeout)
        except AttributeError:
            i = 2
        if i == 0:
            return self.child.before
        self.dead = True
        if i == 1:
            crash = self.child.after
            # Collect the rest of the dump for the log, then give up on this boot.
            self.quiet(1, limit=2)
            raise BoardDead("the board crashed: " + shorten(crash), "crash")
        if i == 2:
            code = None if self.proc is None else self.proc.poll()
            raise BoardDead(f"QEMU exited (status {code})", "exit")
        raise BoardDead(f"no {pattern if exact else pattern.pattern!r} within {timeout:.0f} s; "
                        f"last output: {shorten(self.text()[-300:])!r}")

    def wait_printed(self, pattern, since, timeout):
        """Wait until the console text from `since` (a mark()) matches
        `pattern` (a compiled regex), also when an earlier expect() has
        already read past it; returns the match."""
        deadline = time.monotonic() + timeout * self.scale
        while True:
            m = pattern.search(self.text(since))
            if m:
                self._drop_unmatched()
                return m
            if time.monotonic() > deadline:
                self.dead = True
                raise BoardDead(f"no {pattern.pattern!r} within {timeout:.0f} s; "
                                f"last output: {shorten(self.text()[-300:])!r}")
            if self.child.expect([pexpect.TIMEOUT, pexpect.EOF], timeout=0.5) == 1:
                self.dead = True
                raise BoardDead("QEMU exited")

    def quiet(self, seconds, limit=60):
        """Read until nothing arrives for `seconds` (at most `limit` s).
        What was read counts as seen: the next expect() starts after it."""
        end = time.monotonic() + limit
        while time.monotonic() < end and self.child is not None:
            before = self.transcript.size
            if self.child.expect([pexpect.TIMEOUT, pexpect.EOF], timeout=seconds) == 1:
                break
            if self.transcript.size == before:
                break
        self._drop_unmatched()

    def _drop_unmatched(self):
        """pexpect keeps what a TIMEOUT match read for the next expect()."""
        if self.child is not None:
            self.child.buffer = self.child.string_type()

    # -- NSH ------------------------------------------------------------------
    def run(self, cmd, timeout=20):
        """Type a command, wait for the next prompt, return its output."""
        if "\n" in cmd or "\r" in cmd:
            raise ValueError(f"one NSH line per command (NSH ends a command at a newline): {cmd!r}")
        self.send(cmd + "\n")
        return command_output(self.expect(PROMPT, timeout))

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
            marker = f"NXSYNC{int(time.monotonic() * 1000) % 100000}x{attempt}"
            self.send(f"echo {marker}\n")
            try:
                self.expect(re.compile(r"(?m)^" + marker + r"\r?\n"), 20)
                self.expect(PROMPT, 10)
                return
            except BoardDead:
                if attempt == 2 or self.proc is None or self.proc.poll() is not None:
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
