//! The NuttX side: entry point, boot hook, OS calls, panic handler, syslog
//! logger.

mod boot;
mod config;
mod logger;
mod os;

use core::ffi::{c_char, c_int};

use launcher::Argv;

use crate::{run, Interpreter};

/// CPython itself.
struct CPython;

impl Interpreter for CPython {
    fn main(&mut self, argv: &Argv) -> c_int {
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
            &mut os::Stderr,
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
    let _ = os::Stderr.write_all(b"python: internal error in the launcher (Rust panic)\n");
    // SAFETY: abort() has no preconditions.
    unsafe { nuttx_sys::abort() }
}
