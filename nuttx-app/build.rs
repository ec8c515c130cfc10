//! On the host, link the tests against Debian's libpython (python3-dev): the
//! integration test runs the launcher in front of a real CPython. NuttX
//! builds link libpython through the app's Make.defs instead.

use std::process::Command;

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("nuttx") {
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
