// SPDX-License-Identifier: Apache-2.0
//! The boot hook. NuttX calls the `.init_array` entries in the first task
//! (HAVE_CXXINITIALIZE, which Kconfig selects when a boot script is set),
//! which then goes on to run NSH; the script runs in a task of its own.

use core::ffi::{c_int, c_void, CStr};

use nuttx::Errno;
use nuttx_sys as sys;
use nuttx_sys::kconfig as k;

use launcher::{start_boot_script, BootOs};
use nuttx::{check, Stderr};

#[used]
#[link_section = ".init_array"]
static BOOT_HOOK: extern "C" fn() = boot_hook;

extern "C" fn boot_hook() {
    start_boot_script(
        &mut Console,
        &mut Stderr,
        k::CONFIG_INTERPRETERS_PYTHON_RS_PROGNAME,
        k::CONFIG_INTERPRETERS_PYTHON_RS_BOOT_SCRIPT,
        k::CONFIG_INTERPRETERS_PYTHON_RS_BOOT_DELAY as u32,
    );
}

/// The first task's console (its stdin) and the task list.
struct Console;

impl BootOs for Console {
    fn key_pressed_within(&mut self, ms: u32) -> bool {
        // SAFETY: pollfd is plain data; all-zero is a valid value.
        let mut stdin: sys::pollfd = unsafe { core::mem::zeroed() };
        stdin.fd = 0;
        stdin.events = sys::POLLIN as _;
        // SAFETY: one valid pollfd.
        let ready = unsafe { sys::poll(&mut stdin, 1, ms as c_int) };
        if ready <= 0 {
            return false;
        }
        let mut key = 0u8;
        // SAFETY: one writable byte.
        unsafe { sys::read(0, core::ptr::addr_of_mut!(key).cast::<c_void>(), 1) };
        true
    }

    fn start_python(&mut self, script: &CStr) -> Result<(), Errno> {
        // task_create copies the arguments; argv[0] is the task name.
        let argv = [script.as_ptr().cast_mut(), core::ptr::null_mut()];
        // SAFETY: name and arguments are NUL-terminated; the entry point has
        // a C main's signature.
        check(unsafe {
            sys::task_create(
                k::CONFIG_INTERPRETERS_PYTHON_RS_PROGNAME.as_ptr(),
                k::CONFIG_INTERPRETERS_PYTHON_RS_PRIORITY as c_int,
                k::CONFIG_INTERPRETERS_PYTHON_RS_STACKSIZE as _,
                Some(super::python_rs_main),
                argv.as_ptr(),
            )
        })
        .map(drop)
    }
}
