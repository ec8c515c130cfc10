// SPDX-License-Identifier: Apache-2.0
//! The boot script: a script started once at boot, before the NSH prompt
//! (Kconfig `INTERPRETERS_PYTHON_RS_BOOT_SCRIPT`), unless a key pressed in
//! the safe-mode wait skips it.

use core::ffi::CStr;

use crate::message::{write_decimal, write_errno};
use embedded_io::Write;
use nuttx::Errno;

/// What the boot hook needs from the board.
pub trait BootOs {
    /// Waits up to `ms` milliseconds for a key on the console; true when
    /// one came (it is consumed, so NSH does not see it).
    fn key_pressed_within(&mut self, ms: u32) -> bool;
    /// Starts `python <script>` as a task of its own.
    fn start_python(&mut self, script: &CStr) -> Result<(), Errno>;
}

/// What happened to the boot script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Boot {
    /// No boot script is configured.
    Off,
    /// A key was pressed in the wait (safe mode).
    Skipped,
    /// The task runs the script.
    Started,
    /// The task could not be created.
    Failed(Errno),
}

/// Starts the boot script, telling the console what it does.
pub fn start_boot_script<O: BootOs, W: Write>(
    os: &mut O,
    console: &mut W,
    program: &CStr,
    script: &CStr,
    delay_ms: u32,
) -> Boot {
    if script.is_empty() {
        return Boot::Off;
    }
    let boot = if delay_ms > 0 {
        // Nothing better can be done when the console itself fails.
        let _ = say_waiting(console, program, script, delay_ms);
        if os.key_pressed_within(delay_ms) {
            Boot::Skipped
        } else {
            start(os, script)
        }
    } else {
        start(os, script)
    };
    let _ = say_outcome(console, program, script, boot);
    boot
}

fn start<O: BootOs>(os: &mut O, script: &CStr) -> Boot {
    match os.start_python(script) {
        Ok(()) => Boot::Started,
        Err(errno) => Boot::Failed(errno),
    }
}

fn say_waiting<W: Write>(
    out: &mut W,
    program: &CStr,
    script: &CStr,
    delay_ms: u32,
) -> Result<(), W::Error> {
    out.write_all(program.to_bytes())?;
    out.write_all(b": boot script ")?;
    out.write_all(script.to_bytes())?;
    out.write_all(b" starts in ")?;
    write_decimal(out, delay_ms)?;
    out.write_all(b" ms; press any key to skip it\n")
}

fn say_outcome<W: Write>(
    out: &mut W,
    program: &CStr,
    script: &CStr,
    boot: Boot,
) -> Result<(), W::Error> {
    match boot {
        Boot::Off | Boot::Started => Ok(()),
        Boot::Skipped => {
            out.write_all(program.to_bytes())?;
            out.write_all(b": boot script skipped (safe mode)\n")
        }
        Boot::Failed(errno) => {
            out.write_all(program.to_bytes())?;
            out.write_all(b": cannot start the boot script ")?;
            out.write_all(script.to_bytes())?;
            write_errno(errno, out)?;
            out.write_all(b"\n")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::String;
    use std::vec::Vec;

    struct FakeBoard {
        key: bool,
        start_fails: Option<Errno>,
        waited: Option<u32>,
        started: Vec<String>,
    }

    impl BootOs for FakeBoard {
        fn key_pressed_within(&mut self, ms: u32) -> bool {
            self.waited = Some(ms);
            self.key
        }
        fn start_python(&mut self, script: &CStr) -> Result<(), Errno> {
            self.started.push(script.to_str().unwrap().into());
            self.start_fails.map_or(Ok(()), Err)
        }
    }

    fn boot(
        key: bool,
        start_fails: Option<Errno>,
        script: &CStr,
        delay: u32,
    ) -> (Boot, FakeBoard, String) {
        let mut board = FakeBoard {
            key,
            start_fails,
            waited: None,
            started: Vec::new(),
        };
        let mut console = Vec::new();
        let result = start_boot_script(&mut board, &mut console, c"python", script, delay);
        (result, board, String::from_utf8(console).unwrap())
    }

    #[test]
    fn no_script_means_no_wait_and_no_task() {
        let (result, board, console) = boot(true, None, c"", 1000);
        assert_eq!(result, Boot::Off);
        assert_eq!(board.waited, None);
        assert!(board.started.is_empty());
        assert_eq!(console, "");
    }

    #[test]
    fn starts_the_script_after_the_wait() {
        let (result, board, console) = boot(false, None, c"/mnt/sd/main.py", 1000);
        assert_eq!(result, Boot::Started);
        assert_eq!(board.waited, Some(1000));
        assert_eq!(board.started, ["/mnt/sd/main.py"]);
        assert_eq!(
            console,
            "python: boot script /mnt/sd/main.py starts in 1000 ms; press any key to skip it\n"
        );
    }

    #[test]
    fn a_key_in_the_wait_skips_the_script() {
        let (result, board, console) = boot(true, None, c"/mnt/sd/main.py", 500);
        assert_eq!(result, Boot::Skipped);
        assert!(board.started.is_empty());
        assert!(
            console.ends_with("python: boot script skipped (safe mode)\n"),
            "{console}"
        );
    }

    #[test]
    fn no_wait_starts_at_once_and_quietly() {
        let (result, board, console) = boot(true, None, c"/main.py", 0);
        assert_eq!(result, Boot::Started);
        assert_eq!(board.waited, None);
        assert_eq!(console, "");
    }

    #[test]
    fn a_task_that_cannot_start_is_reported() {
        let (result, _, console) = boot(false, Some(Errno::ENOMEM), c"/main.py", 0);
        assert_eq!(result, Boot::Failed(Errno::ENOMEM));
        assert_eq!(
            console,
            "python: cannot start the boot script /main.py: ENOMEM\n"
        );
    }
}
