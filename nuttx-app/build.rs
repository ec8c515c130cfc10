// SPDX-License-Identifier: Apache-2.0
//! On the host, link the tests against Debian's libpython (python3-dev): the
//! integration test runs the launcher in front of a real CPython. NuttX
//! builds link libpython through the app's Make.defs instead; for them this
//! sets `cfg(boot_script)` when the configuration names a boot script and
//! `cfg(nuttx_readline)` when NuttX's line editor is built
//! (CONFIG_SYSTEM_READLINE), so a firmware carries only the code it uses.
// A build script reports a broken setup by panicking with its reason.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::Command;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(boot_script, nuttx_readline)");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("nuttx") {
        nuttx_cfgs();
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

fn nuttx_cfgs() {
    println!("cargo::rerun-if-env-changed=NUTTX_TOPDIR");
    let Ok(topdir) = std::env::var("NUTTX_TOPDIR") else {
        return; // nuttx-sys explains what is missing
    };
    let config = format!("{topdir}/.config");
    println!("cargo::rerun-if-changed={config}");
    let text = std::fs::read_to_string(&config).unwrap_or_default();
    let has_script = text.lines().any(|line| {
        line.strip_prefix("CONFIG_INTERPRETERS_PYTHON_RS_BOOT_SCRIPT=")
            .is_some_and(|value| value != "\"\"")
    });
    if has_script {
        println!("cargo::rustc-cfg=boot_script");
    }
    if text.lines().any(|line| line == "CONFIG_SYSTEM_READLINE=y") {
        println!("cargo::rustc-cfg=nuttx_readline");
    }
}
