#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Measure the Rust launcher against the upstream C app (nuttx-apps'
interpreters/python, python_wrapper.c): code size, ROMFS image, firmware
sections, heap, and the virtual time of python runs in QEMU.

Usage: tools/benchmark.py [OURS_ELF] [--upstream UPSTREAM_ELF] [--arch rv32|rv64|armv7a|armv8a]
                          [--runs N] [--progname NAME]
                          [--launcher-archive PATH] [--upstream-object PATH]
                          [--build-seconds OURS:UPSTREAM] [--markdown]

Without a firmware (no argument, or an empty string) it prints `benchmark: no
firmware given, skipped` and exits 0.  It never builds anything: it measures
firmwares you built, and the build time only comes from --build-seconds (timed
by hand).  Every input file is copied to a private temporary folder first, so
a rebuild under a running benchmark cannot mix two builds; stderr names each
input with the start of its sha256.

It prints one table: metric, ours, upstream, ours/upstream (2 decimals).
Without --upstream the last two columns are `-`; with --markdown the table is
Markdown.  A measurement that fails reads `n/a`, with the reason on stderr,
and the exit status is then 1; `-` in the ratio column means that there is
nothing to divide by (no upstream, or an upstream figure of 0).

The rows:
- launcher code in the firmware: st_size of the launcher's symbols (`nm -S`).
  Ours: the Rust symbols (v0 `_R...` and legacy `_ZN...17h<hash>E`), the
  pieces LLVM's machine outliner cut out of them (`OUTLINED_FUNCTION_N`; the
  C in the firmware is built by GCC, which makes no such symbols) and the NSH
  entry PROGNAME_main.  Upstream: PROGNAME_main and check_and_mount_romfs.
- launcher alone: ours is --launcher-archive (default build/lib/libpython_rs.a
  when it exists) linked by itself with `ld --gc-sections -e PROGNAME_main
  --unresolved-symbols=ignore-all`; upstream is --upstream-object
  (python_wrapper.o), less the section of the ROMFS array it also holds.
  Two rows: .text only, and .text + .rodata + .data.
- ROMFS image: ours python_rs_romfs_end - python_rs_romfs_start; upstream the
  st_size of romfs_cpython_modules_img.
- firmware sections (`size -A`): .text*; .rodata* + .srodata*; .data* +
  .sdata*; .bss* + .sbss*.
- heap: the used and maxused columns of the user heap in NSH `free`, at boot,
  after the first `python -c pass` and after N (--runs, default 20); growth
  per run is (used after N - used after 1) / (N - 1).  maxused is the most
  the heap held at any time since boot.
- virtual time, printed by NSH `time`: `python -c pass` (the first run after
  boot and run N), `python -c "import json, re"`, and the REPL: `time
  'python'` with `exit()` typed ahead, so the time covers startup up to the
  `>>> ` prompt, the exit() and the shutdown, with no wait for the console.

The firmwares boot with `-icount shift=0,sleep=off` (see tools/nxqemu.py for
the whole QEMU command line): one guest instruction is one nanosecond of
virtual time and an idle guest skips ahead to its next timer, so the times do
not depend on the host and are the same from one run to the next.  The
commands run in the order above on one boot per firmware.

Tools: the board's QEMU, riscv64-unknown-elf-{nm,size} and the board's ld
(LINKERS).
"""

import argparse
import functools
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

# nxqemu.py lies beside this file, also when this file is loaded by its path.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nxqemu

# nm and size of any binutils read every ELF; these are the ones CI has.
TOOL_PREFIX = "riscv64-unknown-elf-"
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_ARCHIVE = os.path.join(REPO_ROOT, "build", "lib", "libpython_rs.a")
DEFAULT_RUNS = 20
OURS_ROMFS_START = "python_rs_romfs_start"
OURS_ROMFS_END = "python_rs_romfs_end"
UPSTREAM_ROMFS = "romfs_cpython_modules_img"
UPSTREAM_HELPER = "check_and_mount_romfs"
# The linker and its emulation for each board (archive_alone links for the
# board; nm and size read any ELF).
LINKERS = {"rv32": ("riscv64-unknown-elf-ld", "elf32lriscv"),
           "rv64": ("riscv64-unknown-elf-ld", "elf64lriscv"),
           "armv7a": ("arm-none-eabi-ld", "armelf"),
           "armv8a": ("aarch64-linux-gnu-ld", "aarch64elf")}
RUN_TIMEOUT = 120

# Rust symbol names.  v0 mangling is "_R", an optional version number, a
# path, which starts with one of the tags CMXYNIB and holds a crate root "C"
# (with a disambiguator "s..._") and a length-prefixed crate name; that tells
# it from C names such as CPython's _RAISE_SYNTAX_ERROR_INVALID_TARGET.
# Legacy mangling is "_ZN...E" like C++, but always ends in a hash, which
# tells it from NuttX's C++.
RUST_V0_RE = re.compile(r"^_R[0-9]*[CMXYNIB][0-9A-Za-z_]*C(s[0-9A-Za-z]*_)?[0-9]+[A-Za-z_]")
RUST_LEGACY_RE = re.compile(r"^_ZN.*17h[0-9a-f]{16}E")
OUTLINED_RE = re.compile(r"^OUTLINED_FUNCTION_\d+$")
NSH_TIME_RE = re.compile(r"^\s*(\d+\.\d+) sec\s*$")
SECTION_KINDS = {
    "text": (".text",),
    "rodata": (".rodata", ".srodata"),
    # The upstream app puts CPython's runtime state in a section of its own.
    "data": (".data", ".sdata", ".PyRuntime"),
    "bss": (".bss", ".sbss"),
}


class MeasureError(Exception):
    """A figure could not be measured; the message says why."""


# --------------------------------------------------------------------------
# Pure parts: tool output, NSH output, figures, the table.
# (Unit-tested by tools/test_benchmark.py.)
# --------------------------------------------------------------------------


def parse_nm(text):
    """`nm -S` lines ("80055562 00000068 T python_main", or without the size
    column for a symbol without a size) -> [(address, size or None, name)].
    Undefined symbols (no address) are left out."""
    symbols = []
    for line in text.splitlines():
        words = line.split()
        if len(words) == 4:
            address, size, _, name = words
        elif len(words) == 3:
            (address, _, name), size = words, None
        else:
            continue
        try:
            symbols.append((int(address, 16), None if size is None else int(size, 16), name))
        except ValueError:
            continue
    return symbols


def is_launcher_code(name, entry):
    """True for a symbol of our launcher: its NSH entry, Rust, or outlined
    from Rust by LLVM."""
    return (name == entry or RUST_V0_RE.match(name) is not None
            or RUST_LEGACY_RE.match(name) is not None or OUTLINED_RE.match(name) is not None)


def symbol_bytes(symbols, wanted):
    """Sum of the sizes of the symbols whose name `wanted` accepts; a place
    with two names (an alias) counts once."""
    sizes = {}
    for address, size, name in symbols:
        if size is not None and wanted(name):
            sizes[address] = max(size, sizes.get(address, 0))
    return sum(sizes.values())


def find_symbol(symbols, name):
    """(address, size) of the symbol `name`; MeasureError when missing."""
    for address, size, n in symbols:
        if n == name:
            return address, size
    raise MeasureError(f"no symbol {name}")


def parse_size_sections(text):
    """`size -A` lines ("  .text   2460882   2147483648") -> [(section, size)]."""
    sections = []
    for line in text.splitlines():
        words = line.split()
        if len(words) == 3 and words[0].startswith(".") and words[1].isdigit():
            sections.append((words[0], int(words[1])))
    return sections


def section_totals(sections, leave_out=()):
    """{"text": n, "rodata": n, "data": n, "bss": n}: the sizes of the sections
    whose names start with the prefixes of SECTION_KINDS, summed."""
    totals = dict.fromkeys(SECTION_KINDS, 0)
    for name, size in sections:
        if name in leave_out:
            continue
        for kind, prefixes in SECTION_KINDS.items():
            if name.startswith(prefixes):
                totals[kind] += size
    return totals


def parse_nsh_time(output):
    """Seconds from NSH `time` output ("0.0680 sec" on a line of its own;
    the last such line, as the timed command prints first), or None."""
    seconds = None
    for line in output.splitlines():
        m = NSH_TIME_RE.match(line)
        if m:
            seconds = float(m.group(1))
    return seconds


def other_lines(output):
    """The non-blank lines of NSH `time` output besides the time itself:
    what the timed command printed."""
    return [ln for ln in output.splitlines() if ln.strip() and not NSH_TIME_RE.match(ln)]


def growth_per_run(used_after_first, used_after_last, runs):
    return (used_after_last - used_after_first) / (runs - 1)


def parse_build_seconds(text):
    """--build-seconds "OURS:UPSTREAM" -> (ours, upstream) in seconds."""
    parts = text.split(":")
    try:
        if len(parts) != 2:
            raise ValueError
        ours, upstream = float(parts[0]), float(parts[1])
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not OURS:UPSTREAM in seconds") from None
    return ours, upstream


# How each kind of figure is printed.
FORMATS = {
    "bytes": "{:.0f}",
    "bytes/run": "{:.1f}",
    "s": "{:.4f}",  # as NSH `time` prints it
    "build s": "{:g}",
}


def format_value(value, kind):
    return "n/a" if value is None else FORMATS[kind].format(value)


def ratio_text(ours, upstream):
    """ours/upstream with 2 decimals; n/a when a figure is missing, - when
    there is nothing to divide by."""
    if ours is None or upstream is None:
        return "n/a"
    if upstream == 0:
        return "-"
    return f"{ours / upstream:.2f}"


def table_rows(rows, ours, upstream):
    """rows: [(key, label, kind)]; ours, upstream: {key: figure, or None when
    it failed}, upstream None when no upstream was given.  -> [(label, ours,
    upstream, ratio)] as text.  A key that a side lacks was not asked for (no
    archive, no --build-seconds): its cell reads -, and a key that both lack
    is no row."""
    sides = [ours, upstream or {}]
    table = []
    for key, label, kind in rows:
        if all(key not in side for side in sides):
            continue
        cells = [format_value(side[key], kind) if key in side else "-" for side in sides]
        if all(key in side for side in sides):
            ratio = ratio_text(ours[key], upstream[key])
        else:
            ratio = "-"
        table.append((label, *cells, ratio))
    return table


TABLE_HEADER = ("metric", "ours", "upstream", "ours/upstream")


def format_table(table, markdown=False):
    """The table as text: aligned columns, or Markdown."""
    if markdown:
        lines = ["| " + " | ".join(TABLE_HEADER) + " |", "|---|---:|---:|---:|"]
        lines += ["| " + " | ".join(row) + " |" for row in table]
        return "\n".join(lines)
    rows = [TABLE_HEADER] + list(table)
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [row[i].rjust(widths[i]) for i in range(1, 4)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def metric_rows(runs):
    """[(key, label, kind)] in table order.  (No `|` in a label: Markdown.)"""
    return [
        ("launcher_symbols", "launcher code in the firmware (bytes)", "bytes"),
        ("alone_text", "launcher alone, .text (bytes)", "bytes"),
        ("alone_all", "launcher alone, .text + .rodata + .data (bytes)", "bytes"),
        ("romfs", "ROMFS image (bytes)", "bytes"),
        ("fw_text", "firmware .text (bytes)", "bytes"),
        ("fw_rodata", "firmware .rodata + .srodata (bytes)", "bytes"),
        ("fw_data", "firmware .data + .sdata + .PyRuntime (bytes)", "bytes"),
        ("fw_bss", "firmware .bss + .sbss (bytes)", "bytes"),
        ("heap_boot", "heap used at boot (bytes)", "bytes"),
        ("heap_first", "heap used after 1 run of python -c pass (bytes)", "bytes"),
        ("heap_last", f"heap used after {runs} runs (bytes)", "bytes"),
        ("heap_growth", f"heap growth per run, runs 2..{runs} (bytes)", "bytes/run"),
        ("peak_first", "peak heap (maxused) after 1 run (bytes)", "bytes"),
        ("peak_last", f"peak heap (maxused) after {runs} runs (bytes)", "bytes"),
        ("time_first", "python -c pass, first run after boot (virtual s)", "s"),
        ("time_last", f"python -c pass, run {runs} (virtual s)", "s"),
        ("time_import", 'python -c "import json, re" (virtual s)', "s"),
        ("time_repl", "python REPL: start to >>>, exit() typed ahead (virtual s)", "s"),
        ("build", "clean build of the app (s)", "build s"),
        ("static", "static RAM: firmware data and bss sections above (bytes)", "bytes"),
    ] + [row for key, label in PEAK_COMMANDS for row in (
        (f"peak_{key}", f"peak heap (maxused), fresh boot, {label} (bytes)", "bytes"),
        (f"ram_{key}", f"RAM at peak (static + peak heap), {label} (bytes)", "bytes"),
        (f"pyheap_{key}", f"Python heap high-water mark, {label} (bytes)", "bytes"),
        (f"ramhw_{key}", f"RAM at peak, Python heap by its high-water mark, {label} (bytes)",
         "bytes"),
    )]


# --------------------------------------------------------------------------
# Measuring: binutils on the ELF files, NSH in QEMU.
# --------------------------------------------------------------------------


def warn(text):
    print(f"benchmark: {text}", file=sys.stderr, flush=True)


class Figures(dict):
    """{key: figure or None} of one side; a failed figure is None, and its
    reason goes to stderr."""

    def __init__(self, side):
        super().__init__()
        self.side = side
        self.failed = False

    def attempt(self, keys, measure):
        """Store measure()'s figures (one per key, a tuple for several keys);
        on MeasureError store None for each key and say why."""
        try:
            values = measure()
        except MeasureError as e:
            self.fail(keys, str(e))
            return
        if len(keys) == 1:
            values = (values,)
        self.update(zip(keys, values))

    def fail(self, keys, reason):
        for key in keys:
            self[key] = None
        self.failed = True
        warn(f"{self.side}: {', '.join(keys)}: n/a: {reason}")


def binutil(program, *args):
    """Run a binutils program; its stdout, or MeasureError."""
    argv = [program, *args]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, errors="replace")
    except OSError as e:
        raise MeasureError(f"cannot run {argv[0]}: {e}") from None
    if done.returncode != 0:
        raise MeasureError(f"{' '.join(argv)} failed: {done.stderr.strip()[-300:]}")
    return done.stdout


@functools.lru_cache
def symbols_of(elf):
    # Without --size-sort, which would drop the romfs end marker (no size).
    return parse_nm(binutil(TOOL_PREFIX + "nm", "-S", "--defined-only", elf))


def sections_of(elf):
    return section_totals(parse_size_sections(binutil(TOOL_PREFIX + "size", "-A", elf)))


def firmware_sections(figures, elf):
    figures.attempt(("fw_text", "fw_rodata", "fw_data", "fw_bss"),
                    lambda: tuple(sections_of(elf)[k] for k in ("text", "rodata", "data", "bss")))


def ours_symbols(figures, elf, entry):
    def launcher():
        symbols = symbols_of(elf)
        find_symbol(symbols, entry)
        return symbol_bytes(symbols, lambda name: is_launcher_code(name, entry))

    def romfs():
        symbols = symbols_of(elf)
        return find_symbol(symbols, OURS_ROMFS_END)[0] - find_symbol(symbols, OURS_ROMFS_START)[0]

    figures.attempt(("launcher_symbols",), launcher)
    figures.attempt(("romfs",), romfs)


def upstream_symbols(figures, elf, entry):
    def launcher():
        symbols = symbols_of(elf)
        wanted = {entry, UPSTREAM_HELPER}
        for name in wanted:
            find_symbol(symbols, name)
        return symbol_bytes(symbols, lambda name: name in wanted)

    def romfs():
        size = find_symbol(symbols_of(elf), UPSTREAM_ROMFS)[1]
        if size is None:
            raise MeasureError(f"{UPSTREAM_ROMFS} has no size")
        return size

    figures.attempt(("launcher_symbols",), launcher)
    figures.attempt(("romfs",), romfs)


def text_and_all(totals):
    return totals["text"], totals["text"] + totals["rodata"] + totals["data"]


def archive_alone(figures, archive, entry, arch, tmp):
    """Our launcher by itself: the archive linked with only what the entry
    reaches (CPython and NuttX are left unresolved)."""
    def measure():
        elf = os.path.join(tmp, "launcher-alone.elf")
        linker, emulation = LINKERS[arch]
        binutil(linker, "-m", emulation, "--gc-sections", "-e", entry,
                "--unresolved-symbols=ignore-all", "-o", elf, archive)
        return text_and_all(sections_of(elf))

    figures.attempt(("alone_text", "alone_all"), measure)


def object_alone(figures, obj):
    """The upstream C app by itself, without the ROMFS array it also holds
    (in a section of its own: -fdata-sections)."""
    def measure():
        sections = parse_size_sections(binutil(TOOL_PREFIX + "size", "-A", obj))
        image = ".rodata." + UPSTREAM_ROMFS
        if image not in (name for name, _ in sections):
            raise MeasureError(f"no section {image} in {obj}; the ROMFS array cannot be told apart")
        return text_and_all(section_totals(sections, leave_out=(image,)))

    figures.attempt(("alone_text", "alone_all"), measure)


def free_heap(board):
    """(used, maxused or None) of the user heap, from NSH `free`."""
    out = board.run("free", 20)
    row = nxqemu.user_heap(out)
    if row is None or "used" not in row:
        raise MeasureError(f"`free` printed no heap row: {out!r}")
    return row["used"], row.get("maxused")


def seconds_of(out):
    seconds = parse_nsh_time(out)
    if seconds is None:
        raise MeasureError(f"`time` printed no time: {out!r}")
    return seconds


def timed(board, command):
    """Virtual seconds of `command` by NSH `time`; it must print nothing (a
    traceback would make the time meaningless)."""
    out = board.run(f"time '{command}'", RUN_TIMEOUT)
    printed = other_lines(out)
    if printed:
        raise MeasureError(f"`{command}` printed {printed!r}")
    return seconds_of(out)


def timed_repl(board, prog):
    """Virtual seconds of the REPL from start to exit, with `exit()` typed
    ahead: it waits in the console's receive buffer, so the REPL reads it at
    its first prompt without idling (an idle guest's clock skips ahead)."""
    board.send(f"time '{prog}'\nexit()\n")
    out = nxqemu.command_output(board.expect(nxqemu.PROMPT, RUN_TIMEOUT))
    if nxqemu.REPL_PROMPT not in out:
        raise MeasureError(f"no REPL prompt: {out!r}")
    return seconds_of(out)


def store_heap(figures, used_key, peak_key, heap):
    used, peak = heap
    figures[used_key] = used
    if peak is None:
        figures.fail((peak_key,), "`free` has no maxused column")
    else:
        figures[peak_key] = peak


# The commands whose peak RAM is measured, each on a boot of its own (NuttX
# keeps one high-water mark per heap since boot): key, label.
PEAK_COMMANDS = (
    ("pass", "python -c pass"),
    ("import", 'python -c "import json, re"'),
    ("repl", "python REPL to >>> and exit()"),
)


def python_heap(output):
    """(total, maxused) of the Python heap's row ("python") in `free`
    output, or None: the upstream app has no heap of its own."""
    row = nxqemu.parse_free(output).get("python")
    return None if row is None else (row.get("total"), row.get("maxused"))


def peak_figures(static, umem_peak, heap):
    """(peak heap, RAM at peak, Python heap high-water mark, RAM at peak
    with the Python heap counted by its high-water mark) from the user
    heap's maxused and the Python heap's (total, maxused) or None. The
    Python heap is one block of the user heap: counted whole in the first
    RAM figure, by what it held at most in the second."""
    ram = None if static is None else static + umem_peak
    if heap is None:
        return umem_peak, ram, None, ram
    total, high = heap
    return umem_peak, ram, high, None if ram is None else ram - total + high


def peak_of(firmware, arch, prog, key):
    """maxused of the user heap, and the Python heap's (total, maxused) or
    None, after one command on a fresh boot."""
    board = icount_board(firmware, arch)
    try:
        board.boot()
        if key == "repl":
            timed_repl(board, prog)
        else:
            command = dict(PEAK_COMMANDS)[key].replace("python", prog, 1)
            timed(board, command)
        out = board.run("free", 20)
        row = nxqemu.user_heap(out)
        if row is None or row.get("maxused") is None:
            raise MeasureError(f"`free` printed no maxused: {out!r}")
        return row["maxused"], python_heap(out)
    except nxqemu.BoardDead as e:
        raise MeasureError(str(e)) from e
    finally:
        board.stop()


def peaks(figures, firmware, arch, prog):
    """Static RAM, and peak heap and RAM at peak of each PEAK_COMMANDS."""
    static = None
    if figures.get("fw_data") is not None and figures.get("fw_bss") is not None:
        static = figures["static"] = figures["fw_data"] + figures["fw_bss"]
    for key, _ in PEAK_COMMANDS:
        def measure(key=key):
            return peak_figures(static, *peak_of(firmware, arch, prog, key))
        figures.attempt((f"peak_{key}", f"ram_{key}", f"pyheap_{key}", f"ramhw_{key}"), measure)
        if figures[f"peak_{key}"] is not None and figures[f"pyheap_{key}"] is None:
            del figures[f"pyheap_{key}"]  # measured: the app has no heap of its own


RUNTIME_KEYS = ("heap_boot", "heap_first", "heap_last", "heap_growth", "peak_first",
                "peak_last", "time_first", "time_last", "time_import", "time_repl")


def icount_board(firmware, arch):
    """A board whose clock counts guest instructions: repeatable times."""
    return nxqemu.Board(nxqemu.qemu_command(firmware, arch, icount=True))


def runtime(figures, board, prog, runs):
    """Boot once and run the commands in order; after a failure the
    remaining figures are n/a."""
    try:
        board.boot()
        figures["heap_boot"] = free_heap(board)[0]
        figures["time_first"] = timed(board, f"{prog} -c pass")
        store_heap(figures, "heap_first", "peak_first", free_heap(board))
        for _ in range(runs - 1):
            figures["time_last"] = timed(board, f"{prog} -c pass")
        store_heap(figures, "heap_last", "peak_last", free_heap(board))
        figures["heap_growth"] = growth_per_run(figures["heap_first"], figures["heap_last"], runs)
        figures["time_import"] = timed(board, f'{prog} -c "import json, re"')
        figures["time_repl"] = timed_repl(board, prog)
    except (nxqemu.BoardDead, MeasureError) as e:
        figures.fail([k for k in RUNTIME_KEYS if k not in figures], str(e))
    finally:
        board.stop()


def sha256_prefix(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:12]


def private_copy(path, tmp, name):
    """Copy an input into the private folder and say which file it was."""
    copy = os.path.join(tmp, name)
    shutil.copyfile(path, copy)
    warn(f"{name}: {path} (sha256 {sha256_prefix(copy)})")
    return copy


def measure_ours(args, tmp):
    figures = Figures("ours")
    entry = f"{args.progname}_main"
    firmware = private_copy(args.firmware, tmp, "ours.elf")
    ours_symbols(figures, firmware, entry)
    if args.launcher_archive:
        archive_alone(figures, private_copy(args.launcher_archive, tmp, "ours.a"),
                      entry, args.arch, tmp)
    firmware_sections(figures, firmware)
    warn(f"ours: booting {args.firmware}")
    runtime(figures, icount_board(firmware, args.arch), args.progname, args.runs)
    peaks(figures, firmware, args.arch, args.progname)
    if args.build_seconds:
        figures["build"] = args.build_seconds[0]
    return figures


def measure_upstream(args, tmp):
    figures = Figures("upstream")
    entry = f"{args.progname}_main"
    firmware = private_copy(args.upstream, tmp, "upstream.elf")
    upstream_symbols(figures, firmware, entry)
    if args.upstream_object:
        object_alone(figures, private_copy(args.upstream_object, tmp, "upstream.o"))
    firmware_sections(figures, firmware)
    warn(f"upstream: booting {args.upstream}")
    runtime(figures, icount_board(firmware, args.arch), args.progname, args.runs)
    peaks(figures, firmware, args.arch, args.progname)
    if args.build_seconds:
        figures["build"] = args.build_seconds[1]
    return figures


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="benchmark.py",
        description="Measure the launcher against the upstream C app in QEMU.",
    )
    p.add_argument("firmware", nargs="?", default="",
                   help="our NuttX ELF (`nuttx`); missing or empty: skip")
    p.add_argument("--upstream", metavar="ELF", help="the same NuttX with the upstream C app")
    p.add_argument("--arch", choices=sorted(nxqemu.QEMU_MACHINES), default="rv32")
    p.add_argument("--runs", type=int, default=DEFAULT_RUNS, metavar="N",
                   help=f"runs of `python -c pass` for the heap rows (at least 2; default {DEFAULT_RUNS})")
    p.add_argument("--progname", default="python", metavar="NAME",
                   help="the NSH command; the entry symbol is NAME_main (default python)")
    p.add_argument("--launcher-archive", metavar="PATH",
                   help="our launcher's static library (default build/lib/libpython_rs.a if it exists)")
    p.add_argument("--upstream-object", metavar="PATH", help="python_wrapper.o of the upstream app")
    p.add_argument("--build-seconds", type=parse_build_seconds, metavar="OURS:UPSTREAM",
                   help="clean build times measured by hand, in seconds")
    p.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    return p.parse_args(argv)


def input_problem(args):
    """Why the inputs cannot be measured, or None."""
    if args.runs < 2:
        return "--runs must be at least 2 (growth per run divides by N - 1)"
    for what, path in (("firmware", args.firmware), ("--upstream", args.upstream),
                       ("--launcher-archive", args.launcher_archive),
                       ("--upstream-object", args.upstream_object)):
        if path and not os.path.isfile(path):
            return f"{what} {path}: no such file"
    qemu = nxqemu.qemu_command("FW", args.arch)[0]
    if shutil.which(qemu) is None:
        return f"{qemu} not found (Debian: apt-get install {nxqemu.QEMU_PACKAGES[qemu]})"
    return None


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if not args.firmware:
        print("benchmark: no firmware given, skipped")
        return 0
    if args.launcher_archive is None and os.path.isfile(DEFAULT_ARCHIVE):
        args.launcher_archive = DEFAULT_ARCHIVE
    problem = input_problem(args)
    if problem:
        warn(problem)
        return 1

    # SIGTERM/SIGHUP end the run through the finally blocks, which kill QEMU.
    nxqemu.end_on_termination_signals()
    tmp = tempfile.mkdtemp(prefix="benchmark-")
    try:
        ours = measure_ours(args, tmp)
        upstream = measure_upstream(args, tmp) if args.upstream else None
    except KeyboardInterrupt:
        warn("interrupted")
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rows = metric_rows(args.runs)
    print(format_table(table_rows(rows, ours, upstream), args.markdown))
    return 1 if ours.failed or (upstream is not None and upstream.failed) else 0


if __name__ == "__main__":
    sys.exit(main())
