// SPDX-License-Identifier: Apache-2.0
//! `log` records go to NuttX's syslog.
//!
//! Only messages that are plain text are written: formatting arguments
//! would pull `core::fmt` into the firmware (about 12 KB), so the launcher
//! logs fixed text only, and a record with arguments is reduced to its
//! target.

use core::ffi::c_int;
use log::{Level, LevelFilter, Log, Metadata, Record};

struct Syslog;

static LOGGER: Syslog = Syslog;

/// What a run logs: warnings and errors, and with
/// CONFIG_INTERPRETERS_PYTHON_RS_VERBOSE also what the launcher did, such as
/// mounting the standard library. A normal run prints nothing of ours.
const LEVEL: LevelFilter = if nuttx_sys::kconfig::CONFIG_INTERPRETERS_PYTHON_RS_VERBOSE {
    LevelFilter::Debug
} else {
    LevelFilter::Warn
};

/// Installs the logger; a later run of the same boot finds it installed.
pub fn install() {
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(LEVEL);
    }
}

impl Log for Syslog {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &Record<'_>) {
        let priority = match record.level() {
            Level::Error => nuttx_sys::LOG_ERR,
            Level::Warn => nuttx_sys::LOG_WARNING,
            Level::Info => nuttx_sys::LOG_INFO,
            Level::Debug | Level::Trace => nuttx_sys::LOG_DEBUG,
        } as c_int;
        let text = record.args().as_str().unwrap_or(record.target());
        // SAFETY: "%.*s" reads exactly `len` bytes of `text`.
        unsafe {
            nuttx_sys::syslog(
                priority,
                c"python: %.*s\n".as_ptr(),
                text.len() as c_int,
                text.as_ptr(),
            );
        }
    }

    fn flush(&self) {}
}
