#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every check that runs without NuttX; the README's test command and CI's.
#
#   tools/test.sh            host tests, cross builds, patch check
#
# Needs: the nightly of rust-toolchain.toml (rust-src, the
# riscv32imac-unknown-none-elf target), stable with that target too, Debian's python3-dev, pytest and pexpect, and the pinned CPython
# archive (its path in PYTHON_RS_ARCHIVE, or in .cache/ as
# tools/fetch-cpython.sh leaves it).  PYTHON_RS_FIRMWARE names a firmware
# (a NuttX tree's `nuttx`, with its `.config` beside it) for the on-target
# tests; without it they are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "host tests (unit, doc, and the launcher in front of a real CPython)"
cargo test --workspace --all-targets
cargo test --workspace --doc --exclude nuttx-app  # a staticlib has no doc tests

step "no_std crates for RISC-V on stable (they need no nightly): riscv32imac-unknown-none-elf"
cargo +stable build --release -p mount -p launcher --target riscv32imac-unknown-none-elf

step "no_std crates for the board's ABI: rv32imafdc/ilp32d target spec, core only"
cargo build --release -p mount -p launcher \
    -Zbuild-std=core -Zjson-target-spec \
    --target targets/riscv32imafdc-unknown-nuttx-elf.json

# The built-in rustc targets rust.mk picks for NuttX's other architectures
# (ARM as Arm or Thumb, AArch64, RISC-V single-float and 64-bit).
for target in armv7a-nuttx-eabihf thumbv7a-nuttx-eabihf aarch64-unknown-nuttx \
              riscv32imafc-unknown-nuttx-elf riscv64gc-unknown-nuttx-elf; do
    step "no_std crates for $target, core only"
    cargo build --release -p mount -p launcher -Zbuild-std=core --target "$target"
done

step "tools"
python3 -m unittest discover -s tools -p 'test_*.py'

step "patches apply to the pinned CPython source with no fuzz"
tools/check-patches.sh

step "on-target tests (pytest; skipped without PYTHON_RS_FIRMWARE)"
python3 -m pytest -p no:cacheprovider -q -rs tests/target
