// SPDX-License-Identifier: Apache-2.0
//! Raw bindings to the configured NuttX, generated at build time; never
//! edited by hand.
//!
//! - The crate root holds bindgen's output for `wrapper.h`: `mount`,
//!   `boardctl` and `struct boardioc_romdisk_s`, `stat`, `setenv`, `syslog`,
//!   errno values, and libpython's `Py_BytesMain`.
//! - [`kconfig`] holds every option of the NuttX `.config` as a typed
//!   constant (`bool`, `i64`, `u64`, `&CStr`), and `kconfig_str!` gives a
//!   string option as a literal.
//!
//! On targets other than NuttX the crate is empty, so the workspace builds
//! and tests on a host without NuttX or libclang.
#![no_std]
#![allow(non_upper_case_globals, non_camel_case_types, non_snake_case)]

#[cfg(target_os = "nuttx")]
include!(concat!(env!("OUT_DIR"), "/bindings.rs"));

#[cfg(test)]
extern crate std;

#[cfg(test)]
#[path = "../kconfig_gen.rs"]
mod kconfig_gen;

/// The NuttX configuration (`.config`), one constant per option.
#[cfg(target_os = "nuttx")]
pub mod kconfig {
    include!(concat!(env!("OUT_DIR"), "/kconfig.rs"));
}
