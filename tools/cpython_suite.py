#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""CPython's own tests on the board: run test modules one `python -m test`
at a time, read what regrtest printed, and sum it up.

Used by tests/target/test_cpython_suite.py (the runner of the on-target
suite) and unit-tested by tools/test_cpython_suite.py. A module is run as

    cd /tmp && python -m test -v MODULE

with regrtest's default resources (none: tests that need the network, a
GUI, audio, lots of CPU or disk are skipped as CPython's own offline runs
skip them). `-v` makes unittest print a line per test and its summary
("Ran N tests", "FAILED (failures=F, errors=E, skipped=S)"), which is what
the counts are read from; regrtest's own total does not count errors.
"""

import re
from dataclasses import dataclass, field

RAN_RE = re.compile(r"^Ran (\d+) tests? in ", re.M)
SUMMARY_RE = re.compile(r"^(OK|FAILED)(?: \(([^)]*)\))?\s*$", re.M)
RESULT_RE = re.compile(r"^== Tests result: ([A-Z ,]+?) ==", re.M)
MODULE_SKIPPED_RE = re.compile(r"^(test_\w+) skipped -- (.*?)\s*$", re.M)
# `test_x (test.test_mod.Class.test_x) ... skipped 'reason'`; a docstring
# line may come between the name and the dots.
TEST_SKIPPED_RE = re.compile(r"\.\.\. skipped (['\"])(.*?)\1\s*$", re.M)
# A test's verdict in -v output: after its "... ", or alone on a line when
# the test printed something itself.
TEST_VERDICT_RE = re.compile(r"(?:\.\.\. |^)(ok|FAIL|ERROR|skipped (['\"]).*?\2|expected failure|"
                             r"unexpected success)\s*$", re.M)

# States of a module's run, worst first: what the table's result column says.
CRASH, TIMEOUT, NO_RESULT, FAILED, PASSED, SKIPPED = (
    "crash", "timeout", "no result", "failed", "passed", "skipped")


@dataclass
class ModuleResult:
    module: str
    state: str
    ran: int = 0
    failures: int = 0
    errors: int = 0
    skipped: int = 0
    expected_failures: int = 0
    skip_reasons: dict = field(default_factory=dict)
    # The last line of each failure's or error's traceback, with counts.
    failure_lines: dict = field(default_factory=dict)
    note: str = ""

    @property
    def passed(self):
        """Tests that ran and did what they test: not failed, not in error,
        not skipped (an expected failure is CPython's own marking and
        counts as passed, as unittest does)."""
        return max(self.ran - self.failures - self.errors - self.skipped, 0)


def _summary_counts(text):
    counts = {}
    for part in (text or "").split(","):
        key, _, value = part.strip().partition("=")
        if value.strip().isdigit():
            counts[key.strip()] = counts.get(key.strip(), 0) + int(value)
    return counts


def failure_lines(output):
    """"test_name: exception line" for each FAIL/ERROR report of unittest,
    the line being the exception that ends the report, with numbers and
    temporary names made alike."""
    lines = []
    text = output.replace("\r", "")
    for block in re.split(r"^={70}\n", text, flags=re.M)[1:]:
        test = re.match(r"(?:FAIL|ERROR): (\w+)", block)
        if not test:
            continue
        body = block.split("-" * 70 + "\n", 1)[-1].split("\n" + "-" * 70, 1)[0]
        last = ""
        for line in body.splitlines():
            if line and not line[0].isspace() and not line.startswith("Traceback"):
                last = line
                break
        last = re.sub(r"@test_\d+_tmp\S*|tmp[a-z0-9_]{8}|0x[0-9a-f]+|\d+", "N", last)
        lines.append(f"{test.group(1)}: {last[:120] or '(no exception line)'}")
    return lines


def parse_output(module, output):
    """A ModuleResult from what `python -m test -v MODULE` printed."""
    result = ModuleResult(module, NO_RESULT)
    result.ran = sum(int(n) for n in RAN_RE.findall(output))
    for _, counts in SUMMARY_RE.findall(output):
        c = _summary_counts(counts)
        result.failures += c.get("failures", 0)
        result.errors += c.get("errors", 0)
        result.skipped += c.get("skipped", 0)
        result.expected_failures += c.get("expected failures", 0)
    for _, reason in TEST_SKIPPED_RE.findall(output):
        result.skip_reasons[reason] = result.skip_reasons.get(reason, 0) + 1
    for line in failure_lines(output):
        result.failure_lines[line] = result.failure_lines.get(line, 0) + 1
    skipped_module = MODULE_SKIPPED_RE.search(output)
    verdict = RESULT_RE.search(output)
    if verdict is None:
        _add_unfinished(result, output)
    if skipped_module and result.ran == 0:
        result.state = SKIPPED
        result.note = skipped_module.group(2)
    elif verdict is None:
        result.note = "regrtest printed no result"
    elif result.failures or result.errors or "FAILURE" in verdict.group(1):
        result.state = FAILED
        if result.ran == 0:
            result.note = "did not import or load" if "uncaught exception" in output \
                else verdict.group(1).strip()
    else:
        result.state = PASSED
    return result


def _add_unfinished(result, output):
    """Count the tests that ended after the last "Ran N tests" line: what a
    module that ran out of time or crashed the board got through (unittest
    prints no summary for them)."""
    last_ran = None
    for last_ran in RAN_RE.finditer(output):
        pass
    tail = output[last_ran.end():] if last_ran else output
    for m in TEST_VERDICT_RE.finditer(tail):
        verdict = m.group(1)
        result.ran += 1
        if verdict == "FAIL":
            result.failures += 1
        elif verdict == "ERROR":
            result.errors += 1
        elif verdict.startswith("skipped"):
            result.skipped += 1


# Why a test was skipped, from its reason (first match), and whether that
# is a feature NuttX or the board lacks (or a test for another platform,
# or one CPython's own offline runs leave out): those skips leave the pass
# rate's denominator. Any other skip (a module this build leaves out, a
# third-party tool) counts as not passed.
SKIP_CAUSES = [
    (r"docs/conformance\.md", "a NuttX bug (docs/conformance.md)", False),
    (r"is a builtin module|dynamic loading|not an external binary module", "no shared libraries on NuttX (test modules built in)",
     True),
    (r"^requires os\.link$|hardlink|has os\.path\.islink but not os\.link", "no hard links in NuttX's file systems", True),
    (r"windows|win32|winreg|\bnt specific|macos|mac os|android|emscripten|linux only|"
     r"proactor|code pages|junction|ntfs|altsep|pathext|\*nix buildbots",
     "a test for another platform", True),
    (r"resource '(cpu|network|urlfetch|gui|audio|largefile|tzdata|walltime)'|"
     r"'(cpu|network|urlfetch|gui|audio|largefile|tzdata|walltime)' resource",
     "a resource CPython's offline runs leave out", True),
    (r"not enough memory|no enough memory", "more memory than the board has", True),
    (r"fork|spawn|subprocess|pidfd|shell|pty|tar command|zip command|unzip command|"
     r"requires (ifconfig|ip|arp|netstat|lanscan)$", "no processes on NuttX", True),
    (r"symlink|symbolic link|readlink", "no symbolic links in NuttX's file systems", True),
    (r"chmod|read-only|chflags|s_isgid|cap_dac_override", "no file modes on NuttX", True),
    (r"sendfile|splice|copy_file_range|getrandom|extended attribute|affinity|sendmsg|"
     r"terminal size|/dev/stdin|/dev/fd|kqueue|devpoll|os\.random|fpathconf|tcsetpgrp|"
     r"setdlopenflags|files >4294967295|so_reuseport|pthread_getcpuclockid|thread_time",
     "a system call NuttX lacks", True),
    (r"ipv6", "no IPv6 on the test board (NET_IPv6 off)", True),
    (r"\bpwd\b|\bgrp\b|getpwall|homedir|at least 2 groups|root privilege|non-root account|"
     r"must be named \"root\"", "no user database on NuttX", True),
    (r"locale|tzset|timezone|zoneinfo|datebase", "no locales or time zone data on NuttX", True),
    (r"32-bit|64bit|int_max", "a 32-bit board", True),
    (r"debug build|gettotalrefcount|py_stats|getobjects|ndebug|gil is disabled|-bb option|"
     r"pure python|fast c implementation|not relevant in pure|not appropriate for subclasses|"
     r"total reference count",
     "a test for another build of CPython", True),
    (r"docstrings", "built without docstrings (size)", False),
    (r"bz2|lzma|ssl|openssl|_hashlib|_sha256|_uuid|uuid_generate|_ctypes|_multiprocessing|"
     r"resource module|'resource'|_testsinglephase|generate_time_safe|multiprocessing",
     "a module this build leaves out", False),
    (r"hypothesis|pyfakefs", "a third-party package not installed", False),
    (r"i18n directory", "a file of CPython's source tree not in the image", False),
    (r"^$|incompatible format|case-insensitive file ?system|os\.link to be missing|os\.link\(\) is present|short float repr|"
     r"path parser is supported|no longer supported|_recursion_count|desired but not supported|"
     r"downcasting|backward compat|decimal_point|dir_fd is supported|no_value is allowed|"
     r"inner classes|text mode not available|to-do|utf-8 mode is enabled|"
     r"posix-flavoured|too much memory on a 64-bit", "skipped on Linux too, or by this "
     "configuration", True),
    (r"Transport endpoint is not connected", "NuttX's connect() racing an accept: ENOTCONN "
     "(the test skips itself)", False),
]


def skip_cause(reason):
    """(cause, excluded) for a skip reason."""
    for pattern, cause, excluded in SKIP_CAUSES:
        if re.search(pattern, reason, re.I):
            return cause, excluded
    return "other", False


# Why a test failed or errored, from "test_name: exception line" (first
# match; docs/conformance.md tells each cause at length). Only causes seen
# on the board are named; a failure no pattern names is "not analysed".
FAILURE_CAUSES = [
    (r"tokenize_tests-|inspect_stringized",
     "a test data file named longer than CONFIG_NAME_MAX (32): NuttX cannot open it"),
    (r"LookupError: unknown encoding", "CJK codecs left out of this build (size)"),
    (r"ZIP does not support timestamps|test_utime",
     "tmpfs keeps no file times (every mtime is 1970)"),
    (r"_named_pipe|test_is_fifo_true|test_fifo", "NuttX makes FIFOs only in its pseudo file "
     "system, not in tmpfs (mkfifo: FileExistsError)"),
    (r"test_mode|test_mkdir_parents|test_open_mode", "no file modes on tmpfs"),
    (r"test_timerfd", "NuttX's timers count in system ticks (10 ms) and accept negative times"),
    (r"fromtimestamp|test_(insane|negative|timestamp)|must be in N\.\.N|year N is out of range",
     "NuttX's gmtime()/localtime() give negative fields for times before 1970 "
     "(docs/conformance.md)"),
    (r"test_(strftime|localtime|ctime|asctime)\b|%Z|offset-naive",
     "no time zone data on NuttX"),
    (r"OverflowError not raised by ldexp",
     "the ARM toolchain's ldexp() wraps its exponent at INT_MAX (32-bit long)"),
    (r"test_fma_|FMATests|testHypotAccuracy|test_sqrtprod",
     "newlib's fma() rounds twice on a board without a double-precision FPU"),
    (r"test_log2|testLog2|test_mtestfile|test_testfile|: AssertionError: .*ulp", "the board's libm (newlib) "
     "differs in the last bits"),
    (r": MemoryError|test_lru_recursion|test_recursion_limit",
     "memory or C stack beyond what the board gives a Python task"),
    (r"Invalid cross-device link|other_fs|move_.*special", "rename() across file systems: EXDEV"),
    (r"test_getcwd_long_path|Device or resource busy", "NuttX refuses to remove a directory "
     "that is open or the working directory (EBUSY)"),
    (r"Invalid initialization option",
     "NuttX's zlib is built with a smaller memLevel (LIB_ZLIB_MAX_MEM_LEVEL)"),
    (r"test_exit_exception_traceback|SourcelessFileLoader|\.pyc' doesn't end with|"
     r"test_from_import_missing_attr_has_name_and_path|test_implicit_files_|"
     r"test_(clearcache|getline|memoryerror): AssertionError|could not get source code",
     "the image holds the standard library as .pyc: no .py files, no source lines in "
     "tracebacks, __file__ ends in .pyc"),
    (r"test_recursive_glob", "patch 0013 resolves '.' against the working directory also "
     "when a dir_fd is given (glob with dir_fd)"),
    (r"test_glob_dotdot", "patch 0013 gives scandir('a/..') entries the resolved path "
     "('x', not 'a/../x')"),
    (r"test_seek0|test_sparse_file", "NuttX's tmpfs: open() with O_RDWR|O_TRUNC does not "
     "truncate, a write past the end leaves garbage in the gap (docs/conformance.md)"),
    (r"test_strptime: ValueError: time data .* does not match format '%x'|test_vilnius_1941",
     "NuttX's strftime(): %x prints the month from 0, %c prints nothing"),
    (r"test_listen_(config_\w+_ok|verify)", "NuttX's accept() of a connection whose peer "
     "already sent its data and closed fails with ENOTCONN"),
    (r"test_should_not_rollover", "NuttX's lseek(SEEK_END) on /dev/null answers ENOSYS: "
     "open('/dev/null', 'a') fails"),
    (r"test_create_server_(sock|addr_in_use)|test_start_server:", "NuttX's listen() on a "
     "socket that already listens fails with EADDRINUSE (loop.create_server(sock=...) "
     "listens again)"),
    (r"test_unclosed_resource_warnings", "a socket that test_start_server's failure (listen "
     "twice, above) left open warns in this test's gc.collect(): 2 warnings, not 1 (passes "
     "alone)"),
    (r"test_create_unix_server_existing_path_nonsock", "NuttX's bind() of a Unix socket "
     "succeeds over an existing regular file (Linux: EADDRINUSE)"),
    (r"Message too long", "a UDP datagram longer than the link's MTU (4096 bytes over "
     "loopback): NuttX fragments IP packets only with CONFIG_NET_IPFRAG (off here): EMSGSIZE"),
    (r"test_signal_handling_(args|while_selecting)", "NuttX's select() is not woken by a "
     "signal: it returns at its timeout (poll() and epoll wake)"),
    (r"test_eventfd_select", "NuttX's eventfd stays writable at 2**64-2 (Linux stops one lower)"),
    (r"test_fpathconf", "NuttX's fpathconf() ignores the descriptor: no EBADF"),
    (r"test_memfd_create", "NuttX's memfd_create() opens its file without O_CREAT: ENOENT"),
    (r"test_putenv_unsetenv_error", "NuttX's setenv() accepts an empty name"),
    (r"test_errno: AssertionError: exception not raised",
     "NuttX's select() of a closed descriptor does not fail with EBADF"),
    (r"test_dir_fd: OSError: \[Errno N\] Invalid argument", "NuttX's getcwd() is $PWD, "
     "which test_os's environment tests set to /tmp: open() of a mount root answers EINVAL"),
    (r"test_empty_path: AssertionError: FileNotFoundError not raised by scandir",
     "NuttX's opendir(\"\") lists the working directory"),
    (r"test_missing_link", "NuttX's readlink() of a missing path answers EINVAL"),
    (r"test_collision_with_existing_directory",
     "NuttX's open(dir, O_CREAT|O_EXCL) answers EISDIR, not EEXIST"),
    (r"test_dont_move_dir_in_itself", "NuttX's rename() of a directory into itself succeeds"),
    (r"test_set_nodelay", "NuttX has no Nagle algorithm: TCP_NODELAY is always on"),
    (r"test_is_socket_true|test_socket: FileNotFoundError|test_unix_server_cleanup",
     "NuttX's bind() of a Unix socket makes no file system entry"),
    (r"test_register_file: AssertionError: OSError not raised",
     "NuttX's epoll accepts regular files (Linux: EPERM)"),
    (r"test_chown", "no file owners on NuttX: chown answers ENOSYS"),
    (r"test_creation_mode|test_chmod_outside_dir|test_file_mode|test_touch_mode",
     "no file modes on tmpfs"),
    (r"test_extract(all)?_pathlike_dir|test_rollover_at_(midnight|weekday)",
     "tmpfs keeps no file times (every mtime is 1970)"),
    (r"test_pipe: FileExistsError", "NuttX makes FIFOs only in its pseudo file system, not "
     "in tmpfs (mkfifo: FileExistsError)"),
    (r"_testsinglephase|_testmultiphase|create_dynamic|setUpClass: AssertionError$|"
     r"test_type_check_in_subinterp", "no shared libraries on NuttX: the test extension "
     "modules are built into libpython (no __file__, no _imp.create_dynamic)"),
    (r"no symbol table of the program",
     "NuttX keeps no symbol table of the program: ctypes.pythonapi finds no symbol"),
    (r"gb2312", "CJK codecs left out of this build (size)"),
    (r"no signature found for builtin", "this build leaves the docstrings of C functions out "
     "(--without-doc-strings), and with them the signatures of builtins"),
    (r"AssertionError not raised by _(loop_reading|write_send)", "the standard library is "
     "compiled with -O (PYC_OPTIMIZE 1): asyncio's own assert statements are gone"),
    (r"close_peer_in_the_middle_of_receiving: OSError: \[Errno N\] Transport endpoint",
     "NuttX's send() to a peer that closed answers ENOTCONN (Linux: EPIPE, a ConnectionError)"),
    (r"test_strftime_trailing_percent", "NuttX's strftime() reads past a format that ends in "
     "'%' (garbage on rv64)"),
]


def failure_cause(key):
    """The cause of a failure or error, from "test_name: exception line"."""
    for pattern, cause in FAILURE_CAUSES:
        if re.search(pattern, key, re.I):
            return cause
    return "not analysed"


def pass_rate(results):
    """passed / (ran - skips for features NuttX or the board lacks)."""
    t = totals(results)
    excluded = sum(n for r in results for reason, n in r.skip_reasons.items()
                   if skip_cause(reason)[1])
    base = t.ran - excluded
    return t.passed / base if base > 0 else 0.0


MARK_RE = re.compile(r"^=== test \S*test_cpython_module\[(\w+)\] ===$", re.M)
PANIC_RE = re.compile(r"riscv_exception: EXCEPTION|PANIC!!!|up_assert|Assertion failed")


def results_from_log(text):
    """ModuleResults from a console log the runner wrote (--console-log): a
    module whose part has no regrtest verdict crashed (a panic dump) or
    timed out."""
    marks = list(MARK_RE.finditer(text))
    results = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        part = text[m.end():end]
        r = parse_output(m.group(1), part)
        if r.state == NO_RESULT:
            r.state = CRASH if PANIC_RE.search(part) else TIMEOUT
        results.append(r)
    return results


def report(results):
    """The whole report: summary, per-module table, skips, failures."""
    return (summary(results) + "\n\n" + markdown_table(results)
            + "\n\nSkip reasons:\n\n" + skip_table(results)
            + "\n\nFailures and errors:\n\n" + failure_table(results) + "\n")


def main(argv):
    if len(argv) != 2:
        print("usage: cpython_suite.py CONSOLE_LOG  (the report of a run, from its --console-log)")
        return 2
    with open(argv[1], encoding="utf-8", errors="replace") as f:
        print(report(results_from_log(f.read())), end="")
    return 0


def command(module):
    return f"python -m test -v {module}"


def read_modules(path):
    """Module names from a list file: one a line, # comments, blank lines."""
    names = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            name = line.split("#", 1)[0].strip()
            if name:
                names.append(name)
    return names


def totals(results):
    t = ModuleResult("total", "")
    for r in results:
        t.ran += r.ran
        t.failures += r.failures
        t.errors += r.errors
        t.skipped += r.skipped
        t.expected_failures += r.expected_failures
    return t


def markdown_table(results):
    """The table of docs/conformance.md: a row per module and the total."""
    rows = ["| module | ran | passed | failed | errors | skipped | result | note |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for r in list(results) + [totals(results)]:
        rows.append(f"| {r.module} | {r.ran} | {r.passed} | {r.failures} | {r.errors} | "
                    f"{r.skipped} | {r.state} | {r.note} |")
    return "\n".join(rows)


def _summed(results, counts_of):
    """(key, count, modules) over all modules for the per-module counts
    `counts_of(result)` gives, most frequent first."""
    summed = {}
    for r in results:
        for key, n in counts_of(r).items():
            entry = summed.setdefault(key, [0, set()])
            entry[0] += n
            entry[1].add(r.module)
    return sorted(((k, n, ", ".join(sorted(m))) for k, (n, m) in summed.items()),
                  key=lambda row: (-row[1], row[0]))


def skip_table(results):
    """Skip reasons over all modules, most frequent first, with their cause."""
    rows = ["| skips | reason | cause | left out of the rate | modules |",
            "| ---: | --- | --- | --- | --- |"]
    for reason, n, modules in _summed(results, lambda r: r.skip_reasons):
        cause, excluded = skip_cause(reason)
        rows.append(f"| {n} | {reason.replace('|', '/')} | {cause} | {'yes' if excluded else 'no'} | "
                    f"{modules} |")
    return "\n".join(rows)


def failure_table(results):
    """Failures and errors over all modules by cause, most frequent first,
    with the exceptions they ended in."""
    by_cause = {}
    for key, n, modules in _summed(results, lambda r: r.failure_lines):
        entry = by_cause.setdefault(failure_cause(key), [0, set(), set()])
        entry[0] += n
        entry[1].add(key.split(": ", 1)[1])
        entry[2].update(modules.split(", "))
    rows = ["| failures and errors | cause | exceptions | modules |", "| ---: | --- | --- | --- |"]
    for cause, (n, lines, modules) in sorted(by_cause.items(), key=lambda c: (-c[1][0], c[0])):
        shown = "; ".join(sorted(lines)[:3]) + ("; ..." if len(lines) > 3 else "")
        rows.append(f"| {n} | {cause} | {shown.replace('|', '/')} | {', '.join(sorted(modules))} |")
    return "\n".join(rows)


def summary(results):
    """One paragraph: totals, modules that hang or crash, the pass rate."""
    t = totals(results)
    bad = [f"{r.module} ({r.state})" for r in results if r.state in (CRASH, TIMEOUT)]
    return (f"{len(results)} modules: {t.ran} tests ran, {t.passed} passed, {t.failures} failed, "
            f"{t.errors} errors, {t.skipped} skipped; hung or crashed: {', '.join(bad) or 'none'}; "
            f"pass rate {100 * pass_rate(results):.1f} % (passed / (ran - skips for features "
            f"NuttX or the board lacks)).")


if __name__ == "__main__":
    import sys
    sys.exit(main(sys.argv))
