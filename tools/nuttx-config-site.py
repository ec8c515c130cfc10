#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Write an autoconf config.site for cross-building CPython for NuttX.

Why: with a bare cross compiler (no C library of its own) every autoconf
link test fails, so configure answers "no" to every AC_CHECK_FUNCS probe,
even for functions NuttX has (uname, strftime, ...).  Compile-only probes
(PY_CHECK_FUNC, header checks) work once CPPFLAGS has the NuttX include
directory, so only the link-test answers are preseeded here.

How: the functions configure probes by linking are read from CPython's
configure.ac.  NuttX lists the functions its C library and system calls
export, each with the preprocessor condition under which it is built
(libs/libc/libc.csv, libs/libm/libm.csv, syscall/syscall.csv).  Every condition is evaluated
by the cross preprocessor against the configured include/nuttx/config.h,
so the answers follow the NuttX configuration, not a fixed list.  A few
functions NuttX always provides but does not list are added (ALWAYS), and
a few are forced off because CPython's use of them does not fit NuttX
(NEVER, also when configure probes them by compiling only).  Extra
settings that are not function probes follow, and the order of a double's
words, from the compiler.

Usage: nuttx-config-site.py --topdir NUTTX --configure-ac FILE
                            --cpp "CC -E FLAGS..." --out FILE
"""

import argparse
import csv
import os
import re
import shlex
import subprocess
import sys

# Present in every NuttX build but missing from the two tables.
ALWAYS = [
    "getpid", "clock_gettime", "clock_getres", "clock_settime", "nanosleep",
    "clock_nanosleep", "realpath", "getcwd", "fsync", "utimes", "timegm",
    "mktime", "dup3", "fdopendir", "getpagesize",
    # libs/libc builds these in every configuration (the tables list the
    # user-identity ones under SCHED_USER_IDENTITY only because that option
    # moves them into the kernel; without it libc has single-user stubs).
    "getuid", "getgid", "geteuid", "getegid", "getgroups", "setuid",
    "setgid", "seteuid", "setegid", "setreuid", "setregid", "getresuid",
    "getresgid", "setresuid", "setresgid", "setgroups", "umask", "times",
    "pathconf",
    "confstr", "getentropy", "getrusage", "getpgrp", "getpgid", "getsid",
    "setpgid", "setsid", "lockf", "flock", "futimes", "lutimes",
    "fchmodat", "fchownat", "fstatat", "openat", "mkdirat", "linkat",
    "readlinkat", "symlinkat", "unlinkat", "utimensat",
    # C99 libm, which CPython requires; the app depends on a full libm
    # (newlib, openlibm or the toolchain's), not NuttX's small one.
    "acosh", "asinh", "atanh", "erf", "erfc", "expm1", "log1p", "log2",
]

# Built by NuttX's libc under a condition (its Make.defs), but missing
# from the tables; without them asyncio's add_signal_handler() failed
# (signal.siginterrupt) and signal, os lacked calls NuttX has.
UNLISTED = {
    "siginterrupt": "defined(CONFIG_ENABLE_ALL_SIGNALS)",
    "sigwait": "!defined(CONFIG_DISABLE_ALL_SIGNALS)",
    "pause": "!defined(CONFIG_DISABLE_ALL_SIGNALS)",
    "killpg": "!defined(CONFIG_DISABLE_ALL_SIGNALS)",
    "pthread_kill": "!defined(CONFIG_DISABLE_PTHREAD)",
    "strsignal": "",
    "fpathconf": "",
    "faccessat": "",
    "renameat": "",
    "mkfifoat": "defined(CONFIG_PIPES)",
}

# Listed by NuttX, but CPython must not use them here.
NEVER = {
    "fork1": "no such call",
    "lchmod": "the tmpfs/ROMFS/FAT file systems have no symlink modes",
    "link": "no NuttX file system makes hard links (tmpfs answers ENOSYS); "
            "without os.link, shutil, tarfile and the tests go their ways "
            "for platforms without it",
    "sigaltstack": "no alternate signal stacks",
    "mmap": "only anonymous/ROM mappings; the mmap module would mislead",
    "sendfile": "needs a socket source; os.sendfile is not useful here",
    "wcsftime": "NuttX's wcsftime() hands wide strings to strftime(), so "
                "time.strftime() would return ''",
}

# Headers NuttX installs whatever its configuration: configure would find
# them and CPython would call what they declare.
HEADERS = {
    "libintl.h": "defined(CONFIG_LIBC_LOCALE_GETTEXT)",
}

# Settings that are not link-test answers.
FIXED = [
    ("MODULE_BUILDTYPE", "static",
     "link every extension module into libpython"),
    ("ac_cv_file__dev_ptmx", "no", "cross build: no pseudo terminals"),
    ("ac_cv_file__dev_ptc", "no", "cross build: no pseudo terminals"),
    ("ac_cv_buggy_getaddrinfo", "no", "cross build: cannot run the test"),
    ("ac_cv_pthread_is_default", "yes", "pthreads are in the C library"),
    ("ac_cv_header_sys_syscall_h", "no", "not a Linux syscall ABI"),
    ("ac_cv_header_linux_random_h", "no", "Linux only"),
    ("ac_cv_header_sys_xattr_h", "no", "no extended attributes"),
    ("ac_cv_enable_strict_prototypes_warning", "no",
     "NuttX headers use old-style prototypes in places"),
]


def probed_functions(configure_ac):
    """Names passed to AC_CHECK_FUNCS and AC_REPLACE_FUNCS in configure.ac
    (link tests; a replaced function that NuttX has would otherwise be
    compiled from CPython's fallback and clash with NuttX's at link time)."""
    text = open(configure_ac, encoding="utf-8").read()
    names = []
    for m in re.finditer(r"AC_(?:CHECK|REPLACE)_FUNCS\(\s*\[([^\]]*)\]", text):
        for name in m.group(1).replace("\\", " ").split():
            if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                names.append(name)
    # Link tests written out by hand, cached as ac_cv_func_NAME.
    for m in re.finditer(r"AC_CACHE_CHECK\(\[[^\]]*\],\s*\[ac_cv_func_(\w+)\]",
                         text):
        names.append(m.group(1))
    return sorted(set(names))


def compiled_functions(configure_ac):
    """Names configure probes by compiling only (PY_CHECK_FUNC, cached as
    ac_cv_func_NAME): NuttX's headers declare them whether or not the
    configuration builds them, so the answer must come from the table too
    (qemu-armv7a:nsh has no EVENT_FD or TIMER_FD: eventfd and timerfd_create
    compiled, and the firmware's link failed)."""
    text = open(configure_ac, encoding="utf-8").read()
    return sorted(set(re.findall(r"PY_CHECK_FUNC\(\[(\w+)\]", text)))


def nuttx_table(topdir):
    """name -> list of preprocessor conditions ("" = always built), from
    NuttX's tables and UNLISTED."""
    table = {}
    for rel in ("libs/libc/libc.csv", "libs/libm/libm.csv",
                "syscall/syscall.csv"):
        path = os.path.join(topdir, rel)
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.reader(f):
                if len(row) >= 3 and not row[0].startswith("#"):
                    table.setdefault(row[0], []).append(row[2].strip())
    for name, cond in UNLISTED.items():
        table.setdefault(name, []).append(cond)
    return table


def evaluate(conditions, cpp, topdir):
    """Ask the cross preprocessor which conditions hold; returns a set."""
    lines = ["#include <nuttx/config.h>"]
    for i, cond in enumerate(conditions):
        if cond:
            lines += ["#if %s" % cond, "PYRS_TRUE_%d" % i, "#endif"]
        else:
            lines.append("PYRS_TRUE_%d" % i)
    src = "\n".join(lines) + "\n"
    cmd = shlex.split(cpp) + ["-P", "-x", "c", "-"]
    res = subprocess.run(cmd, input=src, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit("nuttx-config-site: preprocessor failed:\n" + res.stderr)
    return {int(m) for m in re.findall(r"PYRS_TRUE_(\d+)", res.stdout)}


def float_words_bigendian(cpp, topdir):
    """configure's answer for the order of a double's words: "yes", "no", or
    None when the compiler does not say.  configure finds it by linking a
    program and searching the binary, which a bare cross compiler cannot
    link; without an answer CPython has no correctly rounded float <->
    string conversion of its own and falls back to the C library's printf
    and strtod (sys.float_repr_style 'legacy': on NuttX repr(2 ** 0.5) lost
    four digits and -0.0 its sign).  GCC and clang define
    __FLOAT_WORD_ORDER__."""
    known = "defined(__FLOAT_WORD_ORDER__) && __FLOAT_WORD_ORDER__ == "
    true = evaluate([known + "__ORDER_BIG_ENDIAN__", known + "__ORDER_LITTLE_ENDIAN__"],
                    cpp, topdir)
    if 0 in true:
        return "yes"
    if 1 in true:
        return "no"
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--topdir", required=True)
    ap.add_argument("--configure-ac", required=True)
    ap.add_argument("--cpp", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--set", action="append", default=[],
                    metavar="VAR=VALUE", help="extra cache settings")
    args = ap.parse_args()

    table = nuttx_table(args.topdir)
    # Link probes always; compile-only probes where NuttX lists the function.
    funcs = sorted(set(probed_functions(args.configure_ac)) |
                   {name for name in compiled_functions(args.configure_ac)
                    if name in table})

    conds, owners = [], []
    for name in funcs:
        for cond in table.get(name, []):
            conds.append(cond)
            owners.append(name)
    true = evaluate(conds, args.cpp, args.topdir)
    present = {owners[i] for i in true}
    present |= set(ALWAYS) & set(funcs)

    out = ["# Generated by tools/nuttx-config-site.py from the NuttX",
           "# configuration in %s; do not edit." % args.topdir, ""]
    for var, value, why in FIXED:
        out.append("%s=%s  # %s" % (var, shlex.quote(value), why))
    order = float_words_bigendian(args.cpp, args.topdir)
    if order is not None:
        out.append("ax_cv_c_float_words_bigendian=%s  # from the compiler: "
                   "CPython's own float repr" % order)
    built = evaluate(list(HEADERS.values()), args.cpp, args.topdir)
    for i, header in enumerate(HEADERS):
        if i not in built:
            var = "ac_cv_header_" + re.sub(r"\W", "_", header)
            out.append("%s=no  # NuttX builds what it declares only with %s" %
                       (var, HEADERS[header]))
    out.append("")
    for name in funcs:
        if name not in NEVER:
            out.append("ac_cv_func_%s=%s" %
                       (name, "yes" if name in present else "no"))
    # Also the ones configure probes by compiling only (PY_CHECK_FUNC),
    # which the headers would answer "yes".
    for name, why in NEVER.items():
        out.append("ac_cv_func_%s=no  # %s" % (name, why))
    if args.set:
        out += ["", "# Settings from the NuttX configuration (Makefile)"]
        for item in args.set:
            var, _, value = item.partition("=")
            out.append("%s=%s" % (var, shlex.quote(value)))
    text = "\n".join(out) + "\n"
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
