// SPDX-License-Identifier: Apache-2.0
//! From `argc`/`argv` to an exit status.

use core::ffi::{c_char, c_int, CStr};

use crate::{
    plan_environment, task_status, Argv, ArgvWithOptions, EnvConfig, FreshError, LaunchError,
    MessageContext, LAUNCH_FAILED,
};
use mount::{MountConfig, MountOs};
use nuttx::Errno;

/// Reading and setting environment variables (`getenv`, `setenv`).
pub trait Environment {
    fn is_set(&mut self, name: &CStr) -> bool;
    fn set(&mut self, name: &CStr, value: &CStr) -> Result<(), Errno>;
}

/// The interpreter: `Py_BytesMain` on NuttX.
pub trait Interpreter {
    /// Takes the interpreter for this task, or names the task that has it:
    /// CPython keeps its runtime in globals, which all tasks of a flat
    /// NuttX build share, so two runs at once would corrupt each other.
    fn claim(&mut self) -> Result<(), c_int>;
    /// Gives the interpreter back after [`Interpreter::main`].
    fn release(&mut self);
    /// Makes CPython's state what it was before the first run of the boot
    /// (`launcher::start_fresh`), however the last run ended; called with
    /// the interpreter claimed.
    fn fresh(&mut self) -> Result<(), FreshError>;
    fn main(&mut self, argv: &Argv<'_>) -> c_int;
}

/// Everything configured in Kconfig that a run needs.
#[derive(Clone, Copy, Debug)]
pub struct LaunchConfig<'a> {
    /// The command name, used in messages.
    pub program: &'a CStr,
    pub mount: MountConfig<'a>,
    pub env: EnvConfig<'a>,
    /// `-X` options put before the user's arguments, separated by spaces.
    pub xoptions: &'a CStr,
    /// Bytes of CPython's own heap.
    pub heap_size: u32,
}

/// Runs one `python` command and returns the task's exit status.
///
/// A launcher failure is printed once, as one line on `stderr`, and returns
/// [`LAUNCH_FAILED`]; CPython is not started then. The interpreter is
/// claimed last and made fresh once claimed, so a failed launch leaves it
/// free.
///
/// # Safety
/// `argc`/`argv` must be as a C `main` receives them.
pub unsafe fn run<O, P, W>(
    os: &mut O,
    python: &mut P,
    stderr: &mut W,
    config: &LaunchConfig<'_>,
    image: &'static [u8],
    argc: c_int,
    argv: *mut *mut c_char,
) -> c_int
where
    O: MountOs + Environment,
    P: Interpreter,
    W: embedded_io::Write,
{
    // Outlives the CPython run: the argv built with -X options points into it.
    let mut with_options = ArgvWithOptions::default();
    // SAFETY: forwarded from the caller.
    match unsafe { prepare(os, python, config, image, argc, argv, &mut with_options) } {
        Ok(argv) => {
            let status = python.main(&argv);
            python.release();
            task_status(status)
        }
        Err(error) => {
            let device = config.mount.device();
            let context = MessageContext {
                program: config.program,
                mount_point: config.mount.mount_point,
                device: device.as_c_str(),
                heap_size: config.heap_size,
            };
            // Nothing better can be done when stderr itself fails.
            let _ = error.write_line(&context, stderr);
            LAUNCH_FAILED
        }
    }
}

unsafe fn prepare<'a, O: MountOs + Environment, P: Interpreter>(
    os: &mut O,
    python: &mut P,
    config: &LaunchConfig<'_>,
    image: &'static [u8],
    argc: c_int,
    argv: *mut *mut c_char,
    with_options: &'a mut ArgvWithOptions,
) -> Result<Argv<'a>, LaunchError> {
    // SAFETY: forwarded from the caller.
    let mut argv = unsafe { Argv::from_raw(argc, argv) }.map_err(LaunchError::Argv)?;
    if !config.xoptions.is_empty() {
        argv = with_options
            .build(&argv, config.xoptions)
            .map_err(LaunchError::Argv)?;
    }
    mount::ensure_mounted(os, &config.mount, image).map_err(LaunchError::Mount)?;
    // Iterated by reference: heapless's by-value iterator has a panic path.
    for assignment in &plan_environment(&config.env, |name| os.is_set(name)) {
        os.set(assignment.name, assignment.value)
            .map_err(|errno| LaunchError::SetEnv {
                name: assignment.name,
                errno,
            })?;
    }
    python.claim().map_err(|task| LaunchError::Busy { task })?;
    python.fresh().map_err(|error| {
        python.release();
        LaunchError::Fresh(error)
    })?;
    Ok(argv)
}

#[cfg(test)]
mod tests;
