#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Puts the pinned CPython source archive in .cache/, verified.
#
# Offline machines reach Debian's archive but not python.org: Debian's source
# package python3.13 carries the upstream release tarball unchanged
# (python3.13_3.13.5.orig.tar.xz == Python-3.13.5.tar.xz). Needs a deb-src
# entry for Debian trixie (CI adds one) and root for apt.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n '/config INTERPRETERS_PYTHON_RS_VERSION/,/default/s/.*default "\(.*\)"/\1/p' Kconfig)
sha256=$(sed -n '/config INTERPRETERS_PYTHON_RS_SHA256/,/default/s/.*default "\(.*\)"/\1/p' Kconfig)
archive=".cache/Python-$version.tar.xz"
mkdir -p .cache
if [ ! -f "$archive" ]; then
    tmp=$(mktemp -d)
    (cd "$tmp" && apt-get source --download-only "python${version%.*}" >/dev/null)
    mv "$tmp/python${version%.*}_$version.orig.tar.xz" "$archive"
    rm -rf "$tmp"
fi
echo "$sha256  $archive" | sha256sum --check --quiet
echo "$archive"
