// SPDX-License-Identifier: Apache-2.0
//! What the `python` command does, as plain `no_std` logic generic over the
//! OS and the interpreter, tested on the host with fakes and with a real
//! CPython:
//!
//! - [`run()`]: the run sequence, from `argc`/`argv` to an exit status: check
//!   the command line, mount the standard library, set the environment,
//!   claim the interpreter, start it fresh, run it;
//! - [`boot`]: the boot script, with its safe-mode wait;
//! - [`env`]: which variables to set before CPython starts, keeping what the
//!   user set in NSH;
//! - [`argv`]: the command line, handed to CPython byte for byte, with the
//!   configured `-X` options;
//! - [`exit`]: the task's exit status from CPython's;
//! - [`fresh`]: every run starts with CPython's state as after boot;
//! - [`message`]: the one line a user reads when the launcher fails.
#![no_std]

#[cfg(test)]
extern crate std;

pub mod argv;
pub mod boot;
pub mod env;
pub mod exit;
pub mod fresh;
pub mod message;
mod run;
pub mod snapshot;

pub use argv::{Argv, ArgvError, ArgvWithOptions, MAX_ARGS};
pub use boot::{start_boot_script, Boot, BootOs};
pub use env::{plan_environment, Assignment, EnvConfig};
pub use exit::{task_status, LAUNCH_FAILED};
pub use fresh::{start_fresh, FreshError, PythonState};
pub use message::{LaunchError, MessageContext};
pub use run::{run, Environment, Interpreter, LaunchConfig};
