// SPDX-License-Identifier: Apache-2.0
//! The NuttX side: entry point, boot hook, OS calls, panic handler, syslog
//! logger.

#[cfg(kconfig = "INTERPRETERS_PYTHON_RS_BOOT_SCRIPT")]
mod boot;
mod config;
mod fresh;
mod logger;
mod os;
#[cfg(kconfig = "SYSTEM_READLINE")]
mod repl;
mod sigint;

use core::ffi::{c_char, c_int};
use core::sync::atomic::{AtomicI32, Ordering};

use launcher::{start_fresh, Argv, FreshError};

use launcher::{run, Interpreter};

/// CPython itself.
struct CPython;

/// The task running CPython now, 0 for none. Taken with a compare-exchange,
/// so two tasks cannot both win, also on SMP (targets without atomic
/// compare-exchange do not build).
static RUNNING: AtomicI32 = AtomicI32::new(0);

impl Interpreter for CPython {
    fn claim(&mut self) -> Result<(), c_int> {
        // SAFETY: getpid has no preconditions.
        let me = unsafe { nuttx_sys::getpid() };
        loop {
            let owner = RUNNING.load(Ordering::Acquire);
            // A task that ended without giving it back (killed, or exit()
            // from CPython) holds it no longer. Signal 0 only checks that
            // the task exists.
            // SAFETY: kill has no preconditions.
            let free = owner == 0 || owner == me || unsafe { nuttx_sys::kill(owner, 0) } != 0;
            if !free {
                return Err(owner);
            }
            if RUNNING
                .compare_exchange(owner, me, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
            {
                return Ok(());
            }
        }
    }

    fn release(&mut self) {
        RUNNING.store(0, Ordering::Release);
    }

    fn fresh(&mut self) -> Result<(), FreshError> {
        start_fresh(&mut fresh::NuttxState)
    }

    fn main(&mut self, argv: &Argv<'_>) -> c_int {
        // After fresh(): the hook is a libpython global.
        #[cfg(kconfig = "SYSTEM_READLINE")]
        repl::install();
        // Ends (and gives the console back) when CPython returns.
        let _ctrl_c = sigint::start();
        // SAFETY: argv is NSH's array, checked by `Argv::from_raw`.
        unsafe { nuttx_sys::Py_BytesMain(argv.argc(), argv.as_mut_ptr()) }
    }
}

/// The NSH builtin: `<progname>_main`, as NuttX's builtin table names it
/// (with `-` in the name turned into `_`).
///
/// # Safety
/// Called by NSH with a C `main`'s `argc`/`argv`.
#[export_name = concat!(nuttx_sys::kconfig_c_ident!(CONFIG_INTERPRETERS_PYTHON_RS_PROGNAME), "_main")]
pub unsafe extern "C" fn python_rs_main(argc: c_int, argv: *mut *mut c_char) -> c_int {
    logger::install();
    // SAFETY: forwarded from NSH.
    unsafe {
        run(
            &mut os::Nuttx,
            &mut CPython,
            &mut nuttx::Stderr,
            &config::LAUNCH,
            config::image(),
            argc,
            argv,
        )
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    use embedded_io::Write;
    let _ = nuttx::Stderr.write_all(b"python: internal error in the launcher (Rust panic)\n");
    // SAFETY: abort() has no preconditions.
    unsafe { nuttx_sys::abort() }
}
