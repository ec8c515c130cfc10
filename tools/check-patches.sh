#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Applies patches/*.patch in order to a fresh copy of the pinned CPython
# source, refusing fuzz and offsets, as the app's Makefile does.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n '/config INTERPRETERS_PYTHON_RS_VERSION/,/default/s/.*default "\(.*\)"/\1/p' Kconfig)
sha256=$(sed -n '/config INTERPRETERS_PYTHON_RS_SHA256/,/default/s/.*default "\(.*\)"/\1/p' Kconfig)
archive=${PYTHON_RS_ARCHIVE:-.cache/Python-$version.tar.xz}
if [ ! -f "$archive" ]; then
    echo "no CPython archive at $archive: run tools/fetch-cpython.sh or set PYTHON_RS_ARCHIVE" >&2
    exit 1
fi
echo "$sha256  $archive" | sha256sum --check --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xJf "$archive" -C "$work"
count=0
for p in patches/*.patch; do
    [ -e "$p" ] || continue
    if ! out=$(patch -p1 --fuzz=0 --no-backup-if-mismatch -d "$work/Python-$version" <"$p" 2>&1); then
        echo "$p does not apply:" >&2
        echo "$out" >&2
        exit 1
    fi
    if grep -qE 'with fuzz|offset' <<<"$out"; then
        echo "$p applies only with fuzz or offset:" >&2
        echo "$out" >&2
        exit 1
    fi
    count=$((count + 1))
done
echo "$count patches apply cleanly to Python-$version"
