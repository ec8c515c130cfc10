# SPDX-License-Identifier: Apache-2.0
"""On-target tests: boot a NuttX firmware in QEMU and drive `python` at the
NSH prompt, as NuttX tests its own firmwares (pytest + pexpect).

    pytest tests/target --firmware PATH/nuttx [--config PATH/.config]
                        [--icount] [--timeout-scale F] [--console-log FILE]

Without a firmware (no --firmware and no PYTHON_RS_FIRMWARE) every test that
needs the board is skipped.  The firmware's `.config` (by default the one
beside the firmware, as a NuttX tree leaves it) says the QEMU machine, the
command name, the mount point, the scripts folder, the boot script and which
console features the firmware has.  The firmware is copied first, so a
rebuild under a running suite cannot change what is tested.

Fixtures: `firmware` (path and configuration), `board` (booted; booted again
when an earlier test left it without a prompt), `fresh_board` (nothing typed
since boot), `nsh` (the board with python/sh/alive helpers), `hostfs` (a host
folder of test files at /mnt/host over semihosting), `fatfs` (a FAT RAM disk
at /mnt/fat).
"""

import os
import pathlib
import shutil
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "tools"))
import cpython_suite  # noqa: E402
import nxqemu  # noqa: E402

HOST_MNT = "/mnt/host"
FAT_MNT = "/mnt/fat"
FAT_DEV = "/dev/ram2"
PY = "CONFIG_INTERPRETERS_PYTHON_RS_"

# The files of the host folder mounted at /mnt/host.
# deep.py KIND DEPTH [thread]: source or data nested DEPTH deep through the
# parser, the compiler passes or marshal; prints the result or the exception.
DEEP_SCRIPT = """\
import ast, marshal, sys, threading
kind, depth = sys.argv[1], int(sys.argv[2])

def nested_tuple():
    t = ()
    for _ in range(depth):
        t = (t,)
    return t

WORK = {
    "unary": lambda: eval("-" * depth + "1"),
    "sum": lambda: eval("1" + "+1" * depth),
    "ast": lambda: type(ast.parse("1" + "+1" * depth)).__name__,
    "marshal": lambda: len(marshal.dumps(nested_tuple())),
}

def attempt():
    try:
        print("deep", kind, depth, "=", WORK[kind]())
    except (MemoryError, RecursionError, ValueError) as e:
        print("deep", kind, depth, "raised", type(e).__name__, e)

if sys.argv[3:] == ["thread"]:
    threading.stack_size(32768)
    t = threading.Thread(target=attempt)
    t.start()
    t.join()
else:
    attempt()
"""

# paths.py BASE: what a program does with files in a folder of BASE, with
# "." and ".." in paths and shutil's copies (mode and times); one line
# `name = repr(result)` each, compared with PATHS_EXPECTED (test_paths.py).
PATHS_SCRIPT = """\
import glob, os, pathlib, shutil, sys
work = os.path.join(sys.argv[1], "paths_case")
shutil.rmtree(work, ignore_errors=True)
os.makedirs(os.path.join(work, "sub"))
os.chdir(work)
with open("./a.txt", "w") as f:
    f.write("data")
checks = {
    "listdir()": sorted(os.listdir()),
    "listdir(.)": sorted(os.listdir(".")),
    "scandir()": sorted(e.name for e in os.scandir()),
    "scandir(.)": sorted(e.name for e in os.scandir(".")),
    "glob(*)": sorted(glob.glob("*")),
    "walk(.)": sorted(d for d, _, _ in os.walk(".")),
    "iterdir(.)": sorted(p.name for p in pathlib.Path(".").iterdir()),
    "isdir(sub/..)": os.path.isdir("sub/.."),
    "read(./sub/../a.txt)": open("./sub/../a.txt").read(),
    "stat(.) is dir": os.path.isdir(os.getcwd() + "/."),
}
os.chdir("sub")
os.chdir("..")
checks["cwd after chdir(..)"] = os.getcwd() == work
shutil.copy("a.txt", "b.txt")
checks["shutil.copy"] = open("b.txt").read()
shutil.copy2("a.txt", "c.txt")
checks["shutil.copy2"] = open("c.txt").read()
with open("b.txt", "w") as f:
    f.write("old")
shutil.copy("a.txt", "b.txt")
checks["shutil.copy over a file"] = open("b.txt").read()
checks["samefile(a.txt, b.txt)"] = os.path.samefile("a.txt", "b.txt")
checks["samefile(a.txt, sub/../a.txt)"] = os.path.samefile("a.txt", os.path.join(work, "sub/../a.txt"))
fd = os.open("a.txt", os.O_RDONLY)
checks["fstat, stat and DirEntry agree"] = (
    os.fstat(fd).st_ino == os.stat("a.txt").st_ino
    == next(e for e in os.scandir(".") if e.name == "a.txt").inode())
os.close(fd)
os.chmod("a.txt", 0o600)
os.utime("a.txt", (1, 2))
checks["chmod, utime"] = "ok"
def error(call, *args):
    try:
        call(*args)
    except OSError as e:
        return type(e).__name__
missing = os.path.join(work, "missing")
checks["chmod, utime of a missing file"] = [error(os.chmod, missing, 0o600),
                                            error(os.utime, missing)]
pathlib.Path("t.txt").touch()
checks["Path.touch creates the file"] = os.path.exists("t.txt")
entry = next(e for e in os.scandir(".") if e.name == "t.txt")
ino = os.stat("t.txt").st_ino
os.remove("t.txt")
checks["DirEntry.inode after remove"] = entry.inode() == ino
shutil.rmtree(work)
checks["rmtree"] = os.path.exists(work)
for name, result in checks.items():
    print(name, "=", repr(result))
"""

HOST_FILES = {
    "args.py": "import sys\nprint(ascii(sys.argv))\n",
    "arglen.py": "import sys\nprint('arglen', [len(a) for a in sys.argv[1:]])\n",
    "exit3.py": "import sys\nsys.exit(3)\n",
    "syntax_error.py": "def f(:\n    pass\n",
    "recurse.py": "def f(n):\n    return f(n + 1)\n\nf(0)\n",
    "deep.py": DEEP_SCRIPT,
    "paths.py": PATHS_SCRIPT,
    "data.json": '{"b": [1, 2], "a": "x"}\n',
    "subdir/readme.txt": "a directory without __main__.py\n",
}
NON_UTF8_SCRIPT = ("nonutf8.py", b"print('\xff')\n")


def pytest_addoption(parser):
    group = parser.getgroup("python-rs on target")
    group.addoption("--firmware", default=os.environ.get("PYTHON_RS_FIRMWARE", ""),
                    help="the NuttX ELF (`nuttx`) to boot; default $PYTHON_RS_FIRMWARE; none: skip")
    group.addoption("--config", default="",
                    help="the firmware's .config (default: .config beside the firmware)")
    group.addoption("--icount", action="store_true", help="boot with -icount shift=0,sleep=off")
    group.addoption("--timeout-scale", type=float, default=1.0, metavar="F",
                    help="multiply every timeout by F (slow machines)")
    group.addoption("--console-log", default="", metavar="FILE",
                    help="write everything the console printed here")
    group.addoption("--cpython-modules", default=str(HERE / "cpython_modules.txt"),
                    metavar="FILE|LIST", help="CPython test modules to run (a list file, or names "
                    "separated by commas); firmwares with INTERPRETERS_PYTHON_RS_TEST_SUITE only")
    group.addoption("--cpython-timeout", type=float, default=900, metavar="S",
                    help="seconds each CPython test module may take")
    group.addoption("--cpython-report", default="", metavar="FILE",
                    help="write the CPython test table (Markdown) here")


class Firmware:
    """A firmware to test and what its configuration says."""

    def __init__(self, path, config):
        self.path = path
        self.config = config
        self.arch = nxqemu.board_arch(config)
        self.progname = config.get(PY + "PROGNAME", "python")
        self.mountpoint = config.get(PY + "MOUNTPOINT", "/usr/local/lib")
        self.scripts_dir = config.get(PY + "SCRIPTS_DIR", "")
        self.boot_script = config.get(PY + "BOOT_SCRIPT", "")
        self.ram_size = nxqemu.ram_needed(config, self.arch) if self.arch else 0

    def has(self, option):
        return self.config.get("CONFIG_" + option) == "y"


def pytest_configure(config):
    path = config.getoption("--firmware")
    if not path:
        return
    if not os.path.isfile(path):
        raise pytest.UsageError(f"--firmware {path}: no such file")
    cfg = config.getoption("--config") or os.path.join(os.path.dirname(path), ".config")
    if not os.path.isfile(cfg):
        raise pytest.UsageError(f"{cfg}: no such file; the firmware's .config is needed (--config)")
    with open(cfg, encoding="utf-8") as f:
        fw = Firmware(path, nxqemu.read_config(f.read()))
    if fw.arch is None:
        raise pytest.UsageError(f"{cfg}: no QEMU machine known for this board "
                                f"(known: {', '.join(nxqemu.QEMU_MACHINES)})")
    if PY + "PROGNAME" not in fw.config:
        raise pytest.UsageError(f"{cfg}: CONFIG_INTERPRETERS_PYTHON_RS is not enabled")
    qemu = nxqemu.QEMU_MACHINES[fw.arch][0]
    if shutil.which(qemu) is None:
        raise pytest.UsageError(f"{qemu} not found (Debian: apt-get install "
                                f"{nxqemu.QEMU_PACKAGES[qemu]})")
    config.python_rs_firmware = fw


@pytest.fixture(scope="session")
def firmware(request, tmp_path_factory):
    fw = getattr(request.config, "python_rs_firmware", None)
    if fw is None:
        pytest.skip("no firmware given (--firmware PATH or PYTHON_RS_FIRMWARE)")
    copy = tmp_path_factory.mktemp("firmware") / "nuttx"
    shutil.copyfile(fw.path, copy)
    return Firmware(str(copy), fw.config)


@pytest.fixture(scope="session")
def _board(request, firmware):
    log_path = request.config.getoption("--console-log")
    log = open(log_path, "wb") if log_path else None
    board = nxqemu.Board(
        nxqemu.qemu_command(firmware.path, firmware.arch, request.config.getoption("--icount"),
                            firmware.ram_size),
        log, request.config.getoption("--timeout-scale"))
    board.boot_failures = 0
    yield board
    board.stop()
    if log:
        log.close()


def boot(board):
    if board.boot_failures >= 2:
        pytest.exit("the firmware did not boot to an NSH prompt (twice)", returncode=1)
    try:
        board.boot()
    except nxqemu.BoardDead:
        board.boot_failures += 1
        raise
    board.boot_failures = 0


@pytest.fixture
def board(_board, request):
    """The booted board; booted again when an earlier test left it dead."""
    if _board.child is None or _board.dead:
        boot(_board)
    _board.logmark(f"test {request.node.nodeid}")
    return _board


@pytest.fixture
def fresh_board(_board, request):
    """A board on which nothing was typed since boot."""
    if _board.child is None or _board.dead or _board.typed:
        boot(_board)
    _board.logmark(f"test {request.node.nodeid}")
    return _board


class Nsh:
    """The board's shell, with the firmware's command name for python."""

    def __init__(self, board, firmware):
        self.board = board
        self.fw = firmware

    def sh(self, cmd, timeout=60):
        """(output, status) of an NSH command."""
        return self.board.sh(cmd, timeout)

    def python(self, args, timeout=120):
        """(output, status) of `python ARGS`."""
        out, st = self.board.sh(f"{self.fw.progname} {args}", timeout)
        self.board.state.add("stdlib")
        return out, st

    def alive(self):
        """Assert that NSH still answers."""
        out = self.board.run("echo ok", 20)
        assert nxqemu.has_line(out, "ok"), f"the board does not answer `echo ok`: {out!r}"

    def stdlib_mounted(self):
        if "stdlib" not in self.board.state:
            self.python("-c pass")


@pytest.fixture
def nsh(board, firmware):
    return Nsh(board, firmware)


# Scripts kept as files (host/), copied with HOST_FILES.
HOST_SCRIPTS = pathlib.Path(__file__).parent / "host"


def make_host_dir(path):
    for script in HOST_SCRIPTS.iterdir():
        shutil.copy(script, path / script.name)
    for name, text in HOST_FILES.items():
        p = path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    name, data = NON_UTF8_SCRIPT
    (path / name).write_bytes(data)


@pytest.fixture(scope="session")
def host_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("host")
    make_host_dir(path)
    return path


@pytest.fixture
def hostfs(nsh, host_dir):
    """Where the host folder of test files is mounted on the board."""
    if "host" not in nsh.board.state:
        out, st = nsh.sh(f"mount -t hostfs -o fs={host_dir} {HOST_MNT}", 30)
        assert st == 0, f"cannot mount the host folder over semihosting: status {st}, {out!r}"
        nsh.board.state.add("host")
    return HOST_MNT


@pytest.fixture
def fatfs(nsh):
    """Where a FAT RAM disk is mounted on the board."""
    if "fat" not in nsh.board.state:
        for cmd in ("mkrd -m 2 -s 512 640", f"mkfatfs {FAT_DEV}", f"mount -t vfat {FAT_DEV} {FAT_MNT}"):
            out, st = nsh.sh(cmd, 60)
            assert st == 0, f"`{cmd}`: status {st}, {out!r}"
        nsh.board.state.add("fat")
    return FAT_MNT


def pytest_terminal_summary(terminalreporter, config):
    """The CPython test table, when test_cpython_suite ran modules."""
    results = getattr(config, "cpython_results", None)
    if not results:
        return
    text = cpython_suite.report(results)
    terminalreporter.write_sep("=", "CPython's tests on the board")
    terminalreporter.write(text)
    path = config.getoption("--cpython-report")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
