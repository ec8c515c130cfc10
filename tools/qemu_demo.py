#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""From a NuttX tree and an apps tree to `nsh>` in QEMU where `python` works.

    tools/qemu_demo.py [--board rv-virt-32] [--archives DIR] NUTTX APPS
    tools/qemu_demo.py ... --run 'python -c "print(6*7)"'

Puts this app into APPS/interpreters/python-rs, configures NUTTX from NuttX's
rv-virt:python defconfig with the fragments in configs/, feeds the source
archives in DIR to the builds that would download them (CPython, libffi,
newlib, zlib, wheels), builds, and boots QEMU: an interactive console, or,
with --run, each command typed at `nsh>` and its output printed.  A second
run reuses the configuration and the build.  NUTTX and APPS may also be git
URLs with a commit (URL@COMMIT), cloned into --work when missing.
"""

import argparse
import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
from sitepackages import sha256  # noqa: E402
APP_DIR = "interpreters/python-rs"


class DemoError(Exception):
    """A message for the user; the demo stops."""


@dataclass(frozen=True)
class Board:
    base: str           # NuttX's defconfig the fragments apply to
    fragments: tuple    # files in configs/, applied in order
    qemu_arch: str      # nxqemu.QEMU_MACHINES key
    compiler: tuple     # (the C compiler NuttX calls, its Debian package)
    libgcc_flags: tuple  # GCC flags naming the board's libgcc multilib, or ()
    newlib: bool        # its libm is NuttX's build of newlib (downloaded)
    tls_script: str = ""  # the board's linker script, which lacks thread-local sections
    python_modules: tuple = ()  # (module, pip package) its NuttX build imports


RISCV_GCC = ("riscv64-unknown-elf-gcc", "gcc-riscv64-unknown-elf")
BOARDS = {
    "rv-virt-32": Board("rv-virt:python", ("python-rs.config", "rv-virt.config",
                                           "rv-virt-32.config"), "rv32", RISCV_GCC,
                        # Debian's GCC 12 does not map NuttX's -march string to its
                        # rv32imafdc/ilp32d multilib and would link the rv64 libgcc.
                        ("-march=rv32imafdc", "-mabi=ilp32d"), True),
    "rv-virt-64": Board("rv-virt:python", ("python-rs.config", "rv-virt.config",
                                           "rv-virt-64.config"), "rv64", RISCV_GCC, (), True),
    "qemu-armv7a": Board("qemu-armv7a:nsh", ("python-rs.config", "qemu-armv7a.config"),
                         "armv7a", ("arm-none-eabi-gcc", "gcc-arm-none-eabi"), (), False,
                         "boards/arm/qemu/qemu-armv7a/scripts/dramboot.ld",
                         # NuttX's ALLSYMS step, on in qemu-armv7a:nsh.
                         (("elftools", "pyelftools"), ("cxxfilt", "cxxfilt"))),
}

# (program, Debian package that has it)
TOOLS = [
    ("make", "make"), ("tar", "tar"), ("patch", "patch"), ("cargo", "rustup"),
    # NuttX's olddefconfig runs kconfig-frontends' kconfig-conf or kconfiglib's olddefconfig.
    ("kconfig-conf|olddefconfig", "kconfig-frontends"),
]


def say(text):
    print(f"qemu-demo: {text}", flush=True)


# --------------------------------------------------------------------------
# Kconfig fragments
# --------------------------------------------------------------------------

SET_RE = re.compile(r"^(CONFIG_\w+)=(.*)$")
UNSET_RE = re.compile(r"^# (CONFIG_\w+) is not set$")


def parse_fragment(text, name="fragment"):
    """{"CONFIG_X": value} from `CONFIG_X=value` and `# CONFIG_X is not set`
    (value None) lines; other `#` lines are comments."""
    settings = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        m = SET_RE.match(line) or UNSET_RE.match(line)
        if m:
            settings[m.group(1)] = m.group(2) if m.re is SET_RE else None
        elif line and not line.startswith("#"):
            raise DemoError(f"{name}:{number}: not a Kconfig setting: {line!r}")
    return settings


def quoted(value):
    """A Kconfig string value, quoted as .config writes it."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def config_line(name, value):
    return f"# {name} is not set" if value is None else f"{name}={value}"


def apply_settings(config_text, settings):
    """.config text with each setting replacing its line, or appended."""
    left = dict(settings)
    lines = []
    for line in config_text.splitlines():
        m = SET_RE.match(line) or UNSET_RE.match(line)
        if m and m.group(1) in left:
            lines.append(config_line(m.group(1), left.pop(m.group(1))))
        else:
            lines.append(line)
    lines += [config_line(name, value) for name, value in left.items()]
    return "\n".join(lines) + "\n"


def unmet_settings(config_text, settings):
    """The settings a .config does not hold (olddefconfig drops an option
    whose dependencies are off), as "CONFIG_X=wanted (is: ...)" lines."""
    have = {}
    for line in config_text.splitlines():
        m = SET_RE.match(line)
        if m:
            have[m.group(1)] = m.group(2)
    unmet = []
    for name, value in settings.items():
        if have.get(name) != value:
            unmet.append(f"{config_line(name, value)} (is: {have.get(name, 'not set')})")
    return unmet


def board_settings(board):
    settings = {}
    for fragment in board.fragments:
        path = REPO / "configs" / fragment
        settings.update(parse_fragment(path.read_text(), str(path)))
    return settings


# --------------------------------------------------------------------------
# Source archives
# --------------------------------------------------------------------------


def kconfig_default(symbol):
    """The default of one of this app's string options, from its Kconfig."""
    text = (REPO / "Kconfig").read_text()
    m = re.search(rf"^config {symbol}\n(?:\t.*\n)*?\tdefault \"([^\"]*)\"", text, re.M)
    if not m:
        raise DemoError(f"Kconfig has no default for {symbol}")
    return m.group(1)


def find_archive(directory, names, what, hint):
    for name in names:
        if (directory / name).is_file():
            return directory / name
    raise DemoError(f"no {what} archive in {directory}: give {' or '.join(names)} ({hint})")


def verified(path, expected, what):
    digest = sha256(path)
    if digest != expected:
        raise DemoError(f"{path}: SHA-256 {digest}, but {what} is {expected}: "
                        f"not the pinned archive")
    return path


def pinned_archives(directory):
    """Settings naming the CPython and libffi archives in `directory`,
    checked against the pinned SHA-256 before any build starts."""
    version = kconfig_default("INTERPRETERS_PYTHON_RS_VERSION")
    short = ".".join(version.split(".")[:2])
    cpython = find_archive(directory, [f"Python-{version}.tar.xz",
                                       f"python{short}_{version}.orig.tar.xz"],
                           "CPython", "tools/fetch-cpython.sh gets it")
    settings = {"CONFIG_INTERPRETERS_PYTHON_RS_ARCHIVE": quoted(str(verified(
        cpython, kconfig_default("INTERPRETERS_PYTHON_RS_SHA256"), f"CPython {version}'s")))}
    version = kconfig_default("INTERPRETERS_PYTHON_RS_LIBFFI_VERSION")
    libffi = find_archive(directory, [f"libffi_{version}.orig.tar.gz"], "libffi",
                          "apt-get source --download-only libffi")
    settings["CONFIG_INTERPRETERS_PYTHON_RS_LIBFFI_ARCHIVE"] = quoted(str(verified(
        libffi, kconfig_default("INTERPRETERS_PYTHON_RS_LIBFFI_SHA256"), f"libffi {version}'s")))
    if any(directory.glob("*.whl")):
        settings["CONFIG_INTERPRETERS_PYTHON_RS_WHEEL_DIR"] = quoted(str(directory))
    return settings


def unpack_one_folder(archive, into, must_have, what):
    """Unpack `archive` (one top folder) to the new folder `into`."""
    with tempfile.TemporaryDirectory(dir=into.parent) as tmp:
        done = subprocess.run(["tar", "-xf", str(archive), "-C", tmp], capture_output=True,
                              text=True)
        if done.returncode != 0:
            raise DemoError(f"{archive}: cannot unpack it: {done.stderr.strip()}")
        tops = list(Path(tmp).iterdir())
        if len(tops) != 1 or not (tops[0] / must_have).exists():
            raise DemoError(f"{archive}: not a {what} source archive (no {must_have})")
        tops[0].rename(into)


def feed_archive(directory, own, own_folder, debian_glob, into, must_have, what, hints):
    """A NuttX or apps Make.defs downloads `own` into `own_folder` unless a
    `.git` marks `into` as a source tree given by hand: copy `own` from
    `directory`, or unpack Debian's archive into `into`.  True when Debian's
    was unpacked; the caller edits it and then leaves the marker."""
    if (into / ".git").exists() or (own_folder / own).exists():
        return False
    if (directory / own).is_file():
        shutil.copy2(directory / own, own_folder / own)
        return False
    debian = sorted(directory.glob(debian_glob))
    if not debian:
        raise DemoError(f"no {what} archive in {directory}: give {own} ({hints[0]}) or "
                        f"Debian's {debian_glob} ({hints[1]})")
    say(f"{what} from {debian[-1].name}")
    unpack_one_folder(debian[-1], into, must_have, what)
    return True


def feed_newlib(nuttx, directory):
    """NuttX downloads newlib for its libm.  Debian's newer one takes
    NuttX's patches and three edits (world.md)."""
    libm = nuttx / "libs/libm"
    source = libm / "newlib/newlib"
    text = (libm / "newlib/Make.defs").read_text()
    version = re.findall(r"^\s*NEWLIB_VERSION=(\S+)", text, re.M)[-1]
    if not feed_archive(directory, f"newlib-{version}.tar.gz", libm / "newlib",
                        "newlib_*.orig.tar.*", source, "newlib/libm", "newlib",
                        ("NuttX's, from sourceware.org", "apt-get source --download-only newlib")):
        return
    for patch in sorted((libm / "newlib").glob("*.patch")):
        run(["patch", "-s", "-p0", "-i", str(patch)], cwd=libm)
    m = source / "newlib/libm"
    for c in m.glob("complex/cproj*.c"):
        c.write_text(c.read_text().replace("#include <sys/cdefs.h>\n", ""))
    # These need a C library's fenv.h and reent.h, which NuttX has not.
    for c in [*m.glob("machine/*/fe*.c"), *m.glob("fenv/*.c"), m / "math/signgam.c"]:
        c.unlink(missing_ok=True)
    (source / ".git").write_text("unpacked by tools/qemu_demo.py\n")


def feed_zlib(apps, directory):
    """nuttx-apps' system/zlib downloads zlib13.zip."""
    zlib = apps / "system/zlib"
    if feed_archive(directory, "zlib13.zip", zlib, "zlib_*.orig.tar.*", zlib / "zlib",
                    "contrib/minizip/unzip.c", "zlib",
                    ("nuttx-apps', from github.com/madler/zlib",
                     "apt-get source --download-only zlib")):
        (zlib / "zlib/.git").write_text("unpacked by tools/qemu_demo.py\n")


# --------------------------------------------------------------------------
# Trees, the app, the build
# --------------------------------------------------------------------------


def run(argv, cwd=None, log=None, env=None):
    try:
        done = subprocess.run(argv, cwd=cwd, stdout=log, stderr=subprocess.STDOUT if log else None,
                              env=env)
    except OSError as e:
        raise DemoError(f"cannot run {argv[0]}: {e}") from e
    if done.returncode != 0:
        raise DemoError(f"`{' '.join(argv)}` failed (status {done.returncode})"
                        + (f"; its output is in {log.name}" if log else ""))


def nxqemu_module():
    """tools/nxqemu.py, which needs pexpect."""
    try:
        import nxqemu
    except ImportError as e:
        raise DemoError(f"booting needs pexpect ({e}): pip install pexpect, or Debian's "
                        f"python3-pexpect") from e
    return nxqemu


def check_tools(board):
    nxqemu = nxqemu_module()
    qemu = nxqemu.QEMU_MACHINES[board.qemu_arch][0]
    missing = [f"{tool.split('|')[0]} (Debian: {package})"
               for tool, package in TOOLS + [board.compiler, (qemu, nxqemu.QEMU_PACKAGES[qemu])]
               if not any(shutil.which(program) for program in tool.split("|"))]
    missing += [f"the Python module {module} (pip install {package})"
                for module, package in board.python_modules
                if importlib.util.find_spec(module) is None]
    if missing:
        raise DemoError("missing tools: " + ", ".join(missing))


def tree(spec, work, name, marker):
    """A tree's folder: `spec` itself, or a clone of URL@COMMIT in `work`."""
    url, _, commit = spec.rpartition("@")
    if "://" in spec and url and commit:
        folder = work / name
        if not folder.exists():
            say(f"cloning {url} at {commit} into {folder}")
            run(["git", "clone", "-q", url, str(folder)])
            run(["git", "-C", str(folder), "checkout", "-q", commit])
    else:
        folder = Path(spec)
    folder = folder.resolve()
    if not (folder / marker).is_file():
        raise DemoError(f"{spec}: not a {name} tree (no {marker})")
    return folder


def ignored(relative, patterns):
    """Whether this repository's .gitignore ignores a path (its patterns are
    names or /anchored names, some with a * wildcard)."""
    parts = relative.parts
    for pattern in patterns:
        anchored = pattern.startswith("/")
        pattern = pattern.strip("/")
        candidates = parts[:1] if anchored else parts
        if any(Path(p).match(pattern) for p in candidates):
            return True
    return False


def app_files(root, patterns):
    """The files under `root` that .gitignore's `patterns` keep, as paths
    relative to it; ignored folders (build/, target/) are not entered."""
    files = set()
    for folder, dirs, names in os.walk(root):
        here = Path(folder).relative_to(root)
        dirs[:] = [d for d in dirs if not ignored(here / d, patterns)]
        files.update(here / n for n in names if not ignored(here / n, patterns))
    return files


def install_app(apps):
    """Copy this app into the apps tree: changed files only, with their
    times, so a second run rebuilds nothing; files the app no longer has
    go too."""
    dest = apps / APP_DIR
    if dest.resolve() == REPO:
        return
    kconfig = dest / "Kconfig"
    if dest.exists() and not (kconfig.is_file() and "INTERPRETERS_PYTHON_RS" in kconfig.read_text(
            errors="replace")):
        raise DemoError(f"{dest} exists and is not this app: move it away")
    patterns = [p.strip() for p in (REPO / ".gitignore").read_text().splitlines()
                if p.strip() and not p.startswith("#")] + [".git"]
    wanted = app_files(REPO, patterns)
    if not dest.exists():
        say(f"app into {dest}")
        # The apps tree's generated Kconfig files list its folders: made again.
        for generated in (apps / "Kconfig", apps / "interpreters/Kconfig"):
            generated.unlink(missing_ok=True)
    for relative in sorted(wanted):
        source, target = REPO / relative, dest / relative
        s = source.stat()
        if target.exists():
            t = target.stat()
            if (t.st_size, t.st_mtime_ns) == (s.st_size, s.st_mtime_ns):
                continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    for relative in app_files(dest, patterns) - wanted:
        (dest / relative).unlink()


TLS_SECTIONS = """\
  .tdata : {
      _stdata = ABSOLUTE(.);
      *(.tdata .tdata.* .gnu.linkonce.td.*);
      _etdata = ABSOLUTE(.);
  } > ROM

  .tbss : {
      _stbss = ABSOLUTE(.);
      *(.tbss .tbss.* .gnu.linkonce.tb.* .tcommon);
      _etbss = ABSOLUTE(.);
  } > ROM

"""


def add_tls_sections(script):
    """NuttX sets up each task's thread-locals (CPython's thread state is
    one) from the block the linker script bounds with _stdata.._etbss; the
    board's script places no such sections, so the firmware cannot link.
    Add them, in flash after the read-only data, as 32 other ARM boards'
    scripts do."""
    text = script.read_text()
    if "_stdata" in text:
        return
    anchor = re.search(r"^\s*_eronly\s*=", text, re.M)
    if not anchor:
        raise DemoError(f"{script}: no `_eronly =` line to put the thread-local sections before")
    say(f"adding the thread-local sections NuttX needs to {script}")
    script.write_text(text[:anchor.start()] + TLS_SECTIONS + text[anchor.start():])


def configure(nuttx, apps, board, settings, log):
    """Configure NUTTX for the board unless its .config already holds every
    setting; fail naming the settings Kconfig dropped."""
    config = nuttx / ".config"
    # What the last configuration was made from: this app's options and the
    # settings.  olddefconfig makes NuttX build everything again, so it runs
    # only when they changed (a new option would be missing from .config).
    stamp = nuttx / ".qemu-demo-options"
    options = hashlib.sha256((apps / APP_DIR / "Kconfig").read_bytes()
                             + repr(sorted(settings.items())).encode()).hexdigest()
    if config.exists():
        if not stamp.exists() or stamp.read_text() != options:
            say("options changed since the last run: make olddefconfig")
            config.write_text(apply_settings(config.read_text(), settings))
            run(["make", "olddefconfig"], cwd=nuttx, log=log)
        if not unmet_settings(config.read_text(), settings):
            stamp.write_text(options)
            return
        say("the NuttX tree is configured otherwise: configure.sh cleans it (make distclean)")
    say(f"configure {board.base} with {', '.join(board.fragments)}")
    # configure.sh takes the apps folder relative to the NuttX tree.
    run(["tools/configure.sh", "-E", "-l", "-a", os.path.relpath(apps, nuttx), board.base],
        cwd=nuttx, log=log)
    config.write_text(apply_settings(config.read_text(), settings))
    run(["make", "olddefconfig"], cwd=nuttx, log=log)
    unmet = unmet_settings(config.read_text(), settings)
    if unmet:
        raise DemoError("Kconfig did not take these settings (an option they depend on is "
                        "off?): " + "; ".join(unmet))
    stamp.write_text(options)


def build(nuttx, board, jobs, log):
    argv = ["make", f"-j{jobs}"]
    if board.libgcc_flags:
        libgcc = subprocess.run([board.compiler[0], *board.libgcc_flags,
                                 "-print-libgcc-file-name"], capture_output=True, text=True)
        argv.append(f"COMPILER_RT_LIB={libgcc.stdout.strip()}")
    say(f"build (the first one takes about 10 minutes on 2 cores; output in {log.name})")
    run(argv, cwd=nuttx, log=log)


def boot(nuttx, board, commands):
    nxqemu = nxqemu_module()
    config = nxqemu.read_config((nuttx / ".config").read_text())
    argv = nxqemu.qemu_command(str(nuttx / "nuttx"), board.qemu_arch,
                               ram=nxqemu.ram_needed(config, board.qemu_arch))
    if not commands:
        say("boot: " + " ".join(argv) + "   (quit with Ctrl-A x)")
        os.execvp(argv[0], argv)
    say("boot and run " + "; ".join(commands))
    qemu = nxqemu.Board(argv)
    try:
        qemu.boot()
        for command in commands:
            print("nsh> " + command)
            print(qemu.run(command, timeout=120).rstrip("\n"), flush=True)
    except nxqemu.BoardDead as e:
        raise DemoError(f"the board did not answer: {e}") from e
    finally:
        qemu.stop()


def main(argv):
    parser = argparse.ArgumentParser(prog="tools/qemu_demo.py", description=__doc__.split("\n")[0])
    parser.add_argument("nuttx", help="NuttX tree (a folder, or URL@COMMIT)")
    parser.add_argument("apps", help="nuttx-apps tree (a folder, or URL@COMMIT)")
    parser.add_argument("--board", choices=sorted(BOARDS), default="rv-virt-32")
    parser.add_argument("--archives", type=Path, help="folder with the source archives and wheels "
                        "(offline); without it the builds download them")
    parser.add_argument("--run", action="append", default=[], metavar="COMMAND",
                        help="type COMMAND at nsh> and print its output, then stop QEMU "
                        "(repeatable); without it the console is yours")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=Path("qemu-demo"),
                        help="where URL@COMMIT trees are cloned (default ./qemu-demo)")
    args = parser.parse_args(argv)
    try:
        board = BOARDS[args.board]
        check_tools(board)
        nuttx = tree(args.nuttx, args.work, "nuttx", "tools/configure.sh")
        apps = tree(args.apps, args.work, "apps", "Application.mk")
        settings = board_settings(board)
        if args.archives:
            archives = args.archives.resolve()
            if not archives.is_dir():
                raise DemoError(f"{args.archives}: no such folder")
            settings.update(pinned_archives(archives))
            if board.newlib:
                feed_newlib(nuttx, archives)
            feed_zlib(apps, archives)
        install_app(apps)
        if board.tls_script:
            add_tls_sections(nuttx / board.tls_script)
        with open(nuttx / "qemu-demo.log", "w") as log:
            configure(nuttx, apps, board, settings, log)
            build(nuttx, board, args.jobs, log)
        boot(nuttx, board, args.run)
    except DemoError as e:
        print(f"qemu-demo: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
