// SPDX-License-Identifier: Apache-2.0
//! The `python` NSH command.
//!
//! [`run`] wires the layers together: check the command line, mount the
//! standard library, set the environment, run CPython, map its exit status.
//! It is generic over the OS and the interpreter, so the host tests drive it
//! with fakes and with a real CPython. [`start_boot_script`] starts the
//! configured boot script, with a safe-mode wait. The NuttX side ([`nuttx`], built for
//! `target_os = "nuttx"` only) supplies the entry point, the OS calls, the
//! panic handler and the syslog logger.
// On the host the crate links std: it is a test subject there, and its
// staticlib needs std's panic handler.
#![cfg_attr(target_os = "nuttx", no_std)]

mod boot;
mod run;

pub use boot::{start_boot_script, Boot, BootOs};
pub use run::{run, Environment, Interpreter, LaunchConfig};

#[cfg(target_os = "nuttx")]
mod nuttx;
