// SPDX-License-Identifier: Apache-2.0
//! Turns the NuttX options that are on into `cfg(kconfig = "NAME")`, from
//! the list nuttx-sys passes on (links metadata, `DEP_NUTTX_OPTIONS_ON`), so
//! a firmware carries only the code its configuration uses (the boot hook
//! with `INTERPRETERS_PYTHON_RS_BOOT_SCRIPT`, the line editor with
//! `SYSTEM_READLINE`). The host gets no such cfg.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(kconfig, values(any()))");
    println!("cargo::rerun-if-env-changed=DEP_NUTTX_OPTIONS_ON");
    let on = std::env::var("DEP_NUTTX_OPTIONS_ON").unwrap_or_default();
    for name in on.split_whitespace() {
        println!("cargo::rustc-cfg=kconfig=\"{name}\"");
    }
}
