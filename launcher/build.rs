// SPDX-License-Identifier: Apache-2.0
//! On the host, link the integration tests against Debian's libpython
//! (python3-dev): tests/host_cpython.rs runs the launcher in front of a real
//! CPython. Nothing on other targets: NuttX builds link libpython through
//! the app's Make.defs.
// A build script reports a broken setup by panicking with its reason.
#![allow(clippy::panic)]

use std::process::Command;

fn main() {
    let host = std::env::var("HOST").unwrap_or_default();
    if std::env::var("TARGET").unwrap_or_default() != host {
        return;
    }
    let output = Command::new("pkg-config")
        .args(["--libs", "python3-embed"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .unwrap_or_else(|| {
            panic!("pkg-config cannot find python3-embed: install Debian's python3-dev (the host tests run a real CPython)")
        });
    for flag in String::from_utf8_lossy(&output.stdout).split_whitespace() {
        println!("cargo:rustc-link-arg-tests={flag}");
    }
}
