// SPDX-License-Identifier: Apache-2.0
//! The launcher's decisions, as plain `no_std` logic tested on the host:
//!
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
pub mod env;
pub mod exit;
pub mod fresh;
pub mod message;

pub use argv::{Argv, ArgvError, ArgvWithOptions, MAX_ARGS};
pub use env::{plan_environment, Assignment, EnvConfig};
pub use exit::{task_status, LAUNCH_FAILED};
pub use fresh::{start_fresh, FreshError, PythonState};
pub use message::{LaunchError, MessageContext};
