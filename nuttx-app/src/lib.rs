// SPDX-License-Identifier: Apache-2.0
//! The `python` NSH command: the thin NuttX side of `launcher::run`.
//!
//! [`platform`] (NuttX targets only) supplies the entry point NSH calls, the
//! OS calls behind the launcher's traits, CPython's fresh start (its heap and
//! static data), the Ctrl-C relay, the REPL's line editor, the boot hook, the
//! panic handler and the syslog logger. Every decision is made in the
//! `launcher` and `mount` crates, which the host tests drive.
// On the host the crate is empty and its staticlib links std (for the panic
// handler), so the workspace builds there.
#![cfg_attr(target_os = "nuttx", no_std)]

#[cfg(target_os = "nuttx")]
mod platform;
