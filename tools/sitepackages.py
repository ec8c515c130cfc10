#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Fill the image's site-packages: the pure-Python packages of
CONFIG_INTERPRETERS_PYTHON_RS_PACKAGES and the .pth that adds the writable
site directory (CONFIG_INTERPRETERS_PYTHON_RS_SITE_DIR).

Each package is NAME==VERSION --hash=sha256:HASH, as in pip's requirement
files. Its wheel comes from the wheel folder, or is downloaded with the
build machine's pip; the hash is checked before the wheel is opened, a
wheel that is not pure Python is refused, and its files are unpacked into
site-packages, where the Makefile compiles them with the standard library. Dependencies are not followed: the list names
every package, each with its hash, so the image is what the list says.

Usage: sitepackages.py --dest DIR [--packages "SPEC ..."] [--wheel-dir DIR]
                       [--download-dir DIR] [--site-dir PATH] [--no-ctypes]
                       [--pip-python PY]
"""

import argparse
import hashlib
import pathlib
import re
import subprocess
import sys
import zipfile

REQ_RE = re.compile(r"^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)==([A-Za-z0-9.+!_-]+)$")
HASH_RE = re.compile(r"^--hash=sha256:([0-9a-fA-F]{64})$")
OPTION = "CONFIG_INTERPRETERS_PYTHON_RS_PACKAGES"
SITE_PTH = "python-rs-site.pth"


class PackageError(Exception):
    """A package that cannot go into the image, with what to do about it."""


def parse(packages):
    """[(name, version, sha256)] from the option's text: pip's requirement
    syntax, NAME==VERSION --hash=sha256:HASH for each package (no '#': make
    would cut the line there)."""
    specs = []
    tokens = packages.split()
    form = ("write each as NAME==VERSION --hash=sha256:HASH (the SHA-256 of its wheel "
            "file, as PyPI lists it)")
    for i in range(0, len(tokens), 2):
        req = REQ_RE.match(tokens[i])
        digest = HASH_RE.match(tokens[i + 1]) if i + 1 < len(tokens) else None
        if not req or not digest:
            raise PackageError(f"{OPTION}: '{' '.join(tokens[i:i + 2])}' is not a package "
                               f"with its hash; {form}")
        specs.append((req.group(1), req.group(2), digest.group(1).lower()))
    return specs


def wheel_prefix(name, version):
    """How a wheel's file name starts (PEP 427: runs of -_. become _)."""
    return f"{re.sub(r'[-_.]+', '_', name).lower()}-{version}-"


def candidates(folder, name, version):
    prefix = wheel_prefix(name, version).lower()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.name.lower().startswith(prefix) and p.name.endswith(".whl"))


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def download(name, version, folder, pip_python):
    """Fetch the pure-Python wheel with the build machine's pip, without
    dependencies (each must be listed with its own hash). Without the
    platform options pip would pick a wheel compiled for the build machine
    where the package has one."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        found = subprocess.run([pip_python, "-m", "pip", "--version"],
                               capture_output=True).returncode == 0
    except OSError:
        found = False
    if not found:
        raise PackageError(f"{name} {version}: downloading needs pip on the build machine "
                           f"({pip_python} -m pip; Debian: apt-get install python3-pip), or a "
                           "folder with the wheels in CONFIG_INTERPRETERS_PYTHON_RS_WHEEL_DIR.")
    cmd = [pip_python, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
           "--no-deps", "--only-binary=:all:", "--python-version", "3.13",
           "--implementation", "py", "--abi", "none", "--platform", "any",
           "--dest", str(folder), f"{name}=={version}"]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        detail = (res.stderr.strip().splitlines() or ["pip failed"])[-1]
        if "No matching distribution" in detail:
            raise PackageError(f"{name} {version}: the package index has no pure-Python wheel "
                               "(py3-none-any) of it; NuttX cannot load compiled extension "
                               "modules. List a package or version that has one.")
        raise PackageError(f"{name} {version}: downloading the wheel failed ({detail}). "
                           "Offline? Put the wheel into a folder and name it in "
                           "CONFIG_INTERPRETERS_PYTHON_RS_WHEEL_DIR.")


def find_wheel(name, version, digest, wheel_dir, download_dir, pip_python="python3"):
    """The wheel file whose SHA-256 is the one listed."""
    if wheel_dir is not None:
        found = candidates(wheel_dir, name, version)
        if not found:
            raise PackageError(f"{name} {version}: no {wheel_prefix(name, version)}*.whl in "
                               f"{wheel_dir} (CONFIG_INTERPRETERS_PYTHON_RS_WHEEL_DIR). Put it "
                               f"there (pip download --no-deps {name}=={version}), or empty the "
                               "option to download it.")
    else:
        found = candidates(download_dir, name, version)
        if not any(sha256(p) == digest for p in found):
            download(name, version, download_dir, pip_python)
            found = candidates(download_dir, name, version)
    digests = {path: sha256(path) for path in found}  # each wheel read once
    for path, actual in digests.items():
        if actual == digest:
            return path
    actual = ", ".join(f"{p.name} has {d}" for p, d in digests.items()) or "pip gave no wheel"
    if wheel_dir is None:
        for path in found:
            path.unlink()  # the next build downloads again
    raise PackageError(f"{name} {version}: no wheel with the SHA-256 {digest} listed in "
                       f"{OPTION} ({actual}). Check the hash on "
                       f"https://pypi.org/project/{name}/{version}/#files, or use the "
                       "genuine wheel.")


def check_pure(path, name, version):
    """Refuse a wheel with compiled code: NuttX loads no extension modules."""
    tags = path.name[:-len(".whl")].split("-")[-3:]
    with zipfile.ZipFile(path) as z:
        wheel_meta = next((n for n in z.namelist() if n.endswith(".dist-info/WHEEL")), None)
        meta = z.read(wheel_meta).decode("utf-8", "replace") if wheel_meta else ""
    purelib = re.search(r"^Root-Is-Purelib:\s*true\s*$", meta, re.M | re.I)
    if tags[1:] != ["none", "any"] or not purelib:
        raise PackageError(f"{name} {version}: {path.name} is not a pure-Python wheel "
                           f"(tags {'-'.join(tags)}); NuttX cannot load compiled extension "
                           "modules. List a package or version that has a py3-none-any wheel.")


def install(path, dest):
    """Unpack the wheel's library files into dest (its .data scripts,
    headers and data files have no place on the board)."""
    with zipfile.ZipFile(path) as z:
        for info in sorted(z.infolist(), key=lambda i: i.filename):
            parts = pathlib.PurePosixPath(info.filename).parts
            if info.is_dir() or not parts:
                continue
            if ".." in parts or info.filename.startswith("/"):
                raise PackageError(f"{path.name}: refusing the path {info.filename!r}")
            if parts[0].endswith(".data"):
                if len(parts) < 3 or parts[1] not in ("purelib", "platlib"):
                    continue
                parts = parts[2:]
            target = dest.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(z.read(info))


def check_ctypes(path, name, version):
    """Stop a build without ctypes when a listed package imports it."""
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if n.endswith(".py") and re.search(rb"^\s*(import|from)\s+ctypes\b", z.read(n), re.M):
                raise PackageError(f"{name} {version} imports ctypes ({n}), which this "
                                   "configuration leaves out: enable "
                                   "CONFIG_INTERPRETERS_PYTHON_RS_CTYPES or drop the package.")


def site_pth(site_dir):
    """The .pth line that adds the writable site directory when it exists
    (site.addsitedir also reads the .pth files in it)."""
    return (f"import os, site; os.path.isdir({site_dir!r}) and "
            f"site.addsitedir({site_dir!r})\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dest", required=True, type=pathlib.Path)
    ap.add_argument("--packages", default="")
    ap.add_argument("--wheel-dir", type=pathlib.Path)
    ap.add_argument("--download-dir", type=pathlib.Path)
    ap.add_argument("--site-dir", default="")
    ap.add_argument("--no-ctypes", action="store_true",
                    help="the image has no ctypes: refuse packages that import it")
    ap.add_argument("--pip-python", default="python3",
                    help="the Python whose pip downloads wheels (the build machine's)")
    args = ap.parse_args(argv)
    try:
        specs = parse(args.packages)
        if specs and args.wheel_dir is None and args.download_dir is None:
            raise PackageError("--download-dir is needed without --wheel-dir")
        args.dest.mkdir(parents=True, exist_ok=True)
        for name, version, digest in specs:
            path = find_wheel(name, version, digest, args.wheel_dir, args.download_dir,
                              args.pip_python)
            check_pure(path, name, version)
            if args.no_ctypes:
                check_ctypes(path, name, version)
            install(path, args.dest)
            print(f"python-rs: package {name} {version} from {path.name}")
        if args.site_dir:
            (args.dest / SITE_PTH).write_text(site_pth(args.site_dir), encoding="utf-8")
    except PackageError as e:
        print(f"python-rs: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
