// SPDX-License-Identifier: Apache-2.0
//! Ctrl-C through a relay task, around a NuttX RISC-V bug.
//!
//! With TTY_SIGINT, the serial driver sends SIGINT from its receive
//! interrupt to the foreground task. When that task is the one the
//! interrupt stopped (a busy Python loop), NuttX's RISC-V signal delivery
//! restores the task's FPU registers and `fcsr` from stack memory it never
//! wrote (`up_schedule_sigaction` copies an exception frame whose FPU area
//! is unsaved), and the next float instruction traps: the board panics
//! (8 of 33 Ctrl-Cs on QEMU rv-virt), or floats are silently corrupted.
//! A signal sent by another task, after a real context switch, is safe.
//!
//! So while a foreground `python` runs, the console's foreground is a small
//! relay task of higher priority that waits for SIGINT and passes it on to
//! Python with `kill`. It is not started for a background run (the boot
//! script, `python ... &`), which Ctrl-C does not reach anyway.

use core::ffi::{c_char, c_int};
use core::mem::MaybeUninit;
use core::sync::atomic::{AtomicI32, Ordering};

use nuttx_sys as sys;
use nuttx_sys::kconfig as k;

/// The Python task the relay signals (one CPython runs at a time).
static TARGET: AtomicI32 = AtomicI32::new(0);

/// A running relay; dropping it gives the console back to Python's task
/// and ends the relay.
pub struct Relay {
    relay: sys::pid_t,
    python: sys::pid_t,
}

/// Starts the relay if this task is the console's foreground (the
/// console answers TIOCGPGRP only when built with TTY_SIGINT/TTY_SIGTSTP).
pub fn start() -> Option<Relay> {
    // SAFETY: getpid has no preconditions.
    let python = unsafe { sys::getpid() };
    let mut foreground: sys::pid_t = 0;
    // SAFETY: TIOCGPGRP writes one pid_t to the pointer, which is ours.
    let asked = unsafe {
        sys::ioctl(
            0,
            sys::PYRS_TIOCGPGRP as c_int,
            core::ptr::addr_of_mut!(foreground),
        )
    };
    if asked < 0 || foreground != python {
        return None;
    }
    TARGET.store(python, Ordering::Relaxed);
    let priority = (k::CONFIG_INTERPRETERS_PYTHON_RS_PRIORITY + 1).min(255) as c_int;
    let argv: [*mut c_char; 1] = [core::ptr::null_mut()];
    // Higher priority: it runs at once and blocks SIGINT before the
    // console names it.
    // SAFETY: the name is NUL-terminated, argv an empty NULL-terminated
    // array that task_create copies.
    let relay = unsafe {
        sys::task_create(
            c"python-sigint".as_ptr(),
            priority,
            2048,
            Some(relay_main),
            argv.as_ptr(),
        )
    };
    if relay < 0 {
        return None;
    }
    // SAFETY: TIOCSCTTY takes a task id by value.
    unsafe { sys::ioctl(0, sys::PYRS_TIOCSCTTY as c_int, relay as usize) };
    Some(Relay { relay, python })
}

impl Drop for Relay {
    fn drop(&mut self) {
        // SAFETY: TIOCSCTTY takes a task id by value.
        unsafe { sys::ioctl(0, sys::PYRS_TIOCSCTTY as c_int, self.python as usize) };
        // SAFETY: the relay is our task; deleting it ends its wait.
        unsafe { sys::task_delete(self.relay) };
    }
}

extern "C" fn relay_main(_: c_int, _: *mut *mut c_char) -> c_int {
    let mut sigint = MaybeUninit::<sys::sigset_t>::uninit();
    // SAFETY: sigemptyset initialises the set it is given.
    unsafe { sys::sigemptyset(sigint.as_mut_ptr()) };
    // SAFETY: the set is initialised.
    unsafe { sys::sigaddset(sigint.as_mut_ptr(), sys::SIGINT as c_int) };
    // SAFETY: the set is initialised; the old mask is not wanted.
    unsafe {
        sys::sigprocmask(
            sys::SIG_BLOCK as c_int,
            sigint.as_ptr(),
            core::ptr::null_mut(),
        )
    };
    // A run that ends without returning to the launcher (sys.exit()
    // calls exit(), os._exit(), a fatal error, kill -9) cannot end the
    // relay: it ends itself once Python's task is gone.
    let poll = sys::timespec {
        tv_sec: 0,
        tv_nsec: 50_000_000,
    };
    loop {
        let target = TARGET.load(Ordering::Relaxed);
        // SAFETY: the set is initialised; no siginfo wanted.
        let got = unsafe { sys::sigtimedwait(sigint.as_ptr(), core::ptr::null_mut(), &poll) };
        if got == sys::SIGINT as c_int {
            // SAFETY: kill has no preconditions.
            unsafe { sys::kill(target, sys::SIGINT as c_int) };
        // SAFETY: kill has no preconditions; signal 0 only checks.
        } else if unsafe { sys::kill(target, 0) } != 0 {
            return 0;
        }
    }
}
