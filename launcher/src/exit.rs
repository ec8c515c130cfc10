// SPDX-License-Identifier: Apache-2.0
//! The task's exit status.
//!
//! CPython's `Py_BytesMain` returns `n` for `sys.exit(n)`, 1 for an uncaught
//! exception and 2 for a command-line error such as a missing script. A
//! waiting parent sees only the low 8 bits of a status, so a code like 256
//! would read as success; such codes become a failure that stays a failure.

use core::ffi::c_int;

/// Returned when the launcher fails before CPython runs (the standard
/// library cannot be mounted, the environment cannot be set). The value
/// follows `env(1)`, whose own failures exit with 125.
pub const LAUNCH_FAILED: c_int = 125;

/// The task status for CPython's exit code `python_status`.
pub fn task_status(python_status: c_int) -> c_int {
    match python_status {
        0..=255 => python_status,
        _ => match python_status & 0xff {
            0 => 1,
            low => low,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_stays_success() {
        assert_eq!(task_status(0), 0);
    }

    #[test]
    fn python_codes_pass_through() {
        assert_eq!(task_status(1), 1, "uncaught exception");
        assert_eq!(task_status(2), 2, "missing script");
        assert_eq!(task_status(7), 7, "sys.exit(7)");
        assert_eq!(task_status(255), 255);
    }

    #[test]
    fn codes_beyond_a_byte_never_read_as_success() {
        assert_eq!(task_status(256), 1);
        assert_eq!(task_status(512), 1);
        assert_eq!(task_status(257), 1);
        assert_eq!(task_status(300), 44);
        assert_eq!(task_status(-1), 255);
        assert_eq!(task_status(c_int::MIN), 1);
    }

    #[test]
    fn launch_failure_is_a_failure_python_does_not_use() {
        assert_ne!(task_status(LAUNCH_FAILED), 0);
        assert!(![0, 1, 2, 120].contains(&LAUNCH_FAILED));
    }
}
