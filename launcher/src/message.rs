// SPDX-License-Identifier: Apache-2.0
//! The one line a user reads when the launcher fails.
//!
//! Each message says what failed, where, and why, in words a user can act
//! on: `python: cannot mount /dev/ram1 at /usr/local/lib: ENOTDIR`.
//! Messages are written piece by piece to an [`embedded_io::Write`], without
//! `core::fmt`, which would add about 12 KB to the firmware.

use core::ffi::CStr;
use embedded_io::Write;
use mount::{ImageError, MountError};
use nuttx::Errno;

use crate::argv::ArgvError;
use crate::fresh::FreshError;

/// Why the launcher could not start CPython.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LaunchError {
    Argv(ArgvError),
    Mount(MountError),
    SetEnv {
        name: &'static CStr,
        errno: Errno,
    },
    /// CPython runs in another task already (its state is global).
    Busy {
        task: i32,
    },
    /// CPython's state could not be made fresh (no memory).
    Fresh(FreshError),
}

/// The names a message mentions.
#[derive(Clone, Copy, Debug)]
pub struct MessageContext<'a> {
    pub program: &'a CStr,
    pub mount_point: &'a CStr,
    pub device: &'a CStr,
    /// Bytes of CPython's heap (CONFIG_INTERPRETERS_PYTHON_RS_HEAP_SIZE).
    pub heap_size: u32,
}

impl LaunchError {
    /// Writes the message, ending with a newline.
    pub fn write_line<W: Write>(
        &self,
        context: &MessageContext<'_>,
        out: &mut W,
    ) -> Result<(), W::Error> {
        let mount_point = context.mount_point.to_bytes();
        let device = context.device.to_bytes();
        out.write_all(context.program.to_bytes())?;
        out.write_all(b": ")?;
        match self {
            LaunchError::Argv(ArgvError::Empty) => {
                out.write_all(b"started without a command line (argc is 0)")?
            }
            LaunchError::Argv(ArgvError::NullArgument { index }) => {
                out.write_all(b"argument ")?;
                write_decimal(out, *index as u32)?;
                out.write_all(b" is missing (null pointer in argv)")?
            }
            LaunchError::Argv(ArgvError::TooMany) => {
                out.write_all(b"too many arguments: at most ")?;
                write_decimal(out, crate::argv::MAX_ARGS as u32)?;
                out.write_all(
                    b" with the -X options of the build (CONFIG_INTERPRETERS_PYTHON_RS_XOPTIONS)",
                )?
            }
            LaunchError::Mount(error) => write_mount_error(error, mount_point, device, out)?,
            LaunchError::Busy { task } => {
                out.write_all(b"CPython already runs in task ")?;
                write_decimal(out, task.unsigned_abs())?;
                out.write_all(b" and runs one at a time (its state is global); wait for it or stop it with kill -2 ")?;
                write_decimal(out, task.unsigned_abs())?
            }
            LaunchError::SetEnv { name, errno } => {
                out.write_all(b"cannot set ")?;
                out.write_all(name.to_bytes())?;
                write_errno(*errno, out)?
            }
            LaunchError::Fresh(FreshError::SaveStatics(errno)) => {
                out.write_all(b"cannot save CPython's static data for later runs")?;
                write_errno(*errno, out)?;
                out.write_all(b"; free some memory and try again")?
            }
            LaunchError::Fresh(FreshError::ReserveHeap(errno)) => {
                out.write_all(b"cannot reserve the Python heap of ")?;
                write_decimal(out, context.heap_size)?;
                out.write_all(b" bytes")?;
                write_errno(*errno, out)?;
                out.write_all(
                    b"; free some memory or lower CONFIG_INTERPRETERS_PYTHON_RS_HEAP_SIZE",
                )?
            }
        }
        out.write_all(b"\n")
    }
}

fn write_mount_error<W: Write>(
    error: &MountError,
    mount_point: &[u8],
    device: &[u8],
    out: &mut W,
) -> Result<(), W::Error> {
    match error {
        MountError::Image(ImageError::Missing) => out.write_all(
            b"the standard library image is missing from the firmware; rebuild the firmware",
        ),
        MountError::Image(ImageError::BadMagic) => {
            out.write_all(b"the standard library image is damaged (no ROMFS header); rebuild and flash the firmware")
        }
        MountError::Image(ImageError::BadChecksum) => {
            out.write_all(b"the standard library image is damaged (bad ROMFS checksum); rebuild and flash the firmware")
        }
        MountError::Image(ImageError::Truncated { declared, embedded }) => {
            out.write_all(b"the standard library image is truncated (")?;
            write_decimal(out, *embedded as u32)?;
            out.write_all(b" of ")?;
            write_decimal(out, *declared)?;
            out.write_all(b" bytes); rebuild and flash the firmware")
        }
        MountError::Image(ImageError::BadSectorSize { sector_size }) => {
            out.write_all(b"ROM disk sector size ")?;
            write_decimal(out, u32::from(*sector_size))?;
            out.write_all(
                b" does not fit the standard library image; use a power of two up to 1024 (CONFIG_INTERPRETERS_PYTHON_RS_SECTORSIZE)",
            )
        }
        MountError::MountTable(errno) => {
            out.write_all(b"cannot read /proc/fs/mount to check ")?;
            out.write_all(mount_point)?;
            write_errno(*errno, out)?;
            out.write_all(b"; is procfs mounted at /proc?")
        }
        MountError::Occupied(fs_type) => {
            out.write_all(b"cannot mount the standard library at ")?;
            out.write_all(mount_point)?;
            out.write_all(b": a ")?;
            out.write_all(fs_type)?;
            out.write_all(b" file system is mounted there")
        }
        MountError::NotADirectory => {
            out.write_all(b"cannot mount ")?;
            out.write_all(device)?;
            out.write_all(b" at ")?;
            out.write_all(mount_point)?;
            out.write_all(b": it exists and is not a directory")
        }
        MountError::Inspect(errno) => {
            out.write_all(b"cannot inspect ")?;
            out.write_all(mount_point)?;
            write_errno(*errno, out)
        }
        MountError::Register(errno) => {
            out.write_all(b"cannot create the ROM disk ")?;
            out.write_all(device)?;
            write_errno(*errno, out)
        }
        MountError::Mount(errno) => {
            out.write_all(b"cannot mount ")?;
            out.write_all(device)?;
            out.write_all(b" at ")?;
            out.write_all(mount_point)?;
            write_errno(*errno, out)
        }
    }
}

/// `: ENOTDIR`, or `: error 4242` for a code we do not know.
pub fn write_errno<W: Write>(errno: Errno, out: &mut W) -> Result<(), W::Error> {
    out.write_all(b": ")?;
    match errno.name() {
        Some(name) => out.write_all(name.as_bytes()),
        None => {
            out.write_all(b"error ")?;
            write_decimal(out, errno.0.unsigned_abs())
        }
    }
}

/// `value` in decimal, without `core::fmt`.
pub fn write_decimal<W: Write>(out: &mut W, mut value: u32) -> Result<(), W::Error> {
    // u32::MAX has 10 digits. Filled from the end by iterators, not
    // indexing: an index could panic, and a panic path links `core::fmt`.
    let mut digits = [0u8; 10];
    let mut used = 0;
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        used += 1;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    let (_, number) = digits
        .split_at_checked(digits.len() - used)
        .unwrap_or_default();
    out.write_all(number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mount::FsType;
    use std::string::String;
    use std::vec::Vec;

    const CONTEXT: MessageContext<'static> = MessageContext {
        program: c"python",
        mount_point: c"/usr/local/lib",
        device: c"/dev/ram1",
        heap_size: 8_388_608,
    };

    fn text(error: LaunchError) -> String {
        let mut out: Vec<u8> = Vec::new();
        error.write_line(&CONTEXT, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn mount_failure_names_device_mount_point_and_errno() {
        assert_eq!(
            text(LaunchError::Mount(MountError::Mount(Errno::ENOTDIR))),
            "python: cannot mount /dev/ram1 at /usr/local/lib: ENOTDIR\n"
        );
    }

    #[test]
    fn mount_point_that_is_a_file() {
        assert_eq!(
            text(LaunchError::Mount(MountError::NotADirectory)),
            "python: cannot mount /dev/ram1 at /usr/local/lib: it exists and is not a directory\n"
        );
    }

    #[test]
    fn unknown_errno_prints_its_number() {
        assert_eq!(
            text(LaunchError::Mount(MountError::Register(Errno(4242)))),
            "python: cannot create the ROM disk /dev/ram1: error 4242\n"
        );
    }

    #[test]
    fn damaged_images_say_to_rebuild() {
        for error in [
            ImageError::Missing,
            ImageError::BadMagic,
            ImageError::BadChecksum,
        ] {
            let line = text(LaunchError::Mount(MountError::Image(error)));
            assert!(
                line.starts_with("python: the standard library image is "),
                "{line}"
            );
            assert!(line.contains("rebuild"), "{line}");
        }
        assert_eq!(
            text(LaunchError::Mount(MountError::Image(ImageError::Truncated { declared: 2048, embedded: 1024 }))),
            "python: the standard library image is truncated (1024 of 2048 bytes); rebuild and flash the firmware\n"
        );
    }

    #[test]
    fn occupied_mount_point_names_the_other_file_system() {
        let fs = FsType::from_slice(b"vfat").unwrap();
        assert_eq!(
            text(LaunchError::Mount(MountError::Occupied(fs))),
            "python: cannot mount the standard library at /usr/local/lib: a vfat file system is mounted there\n"
        );
    }

    #[test]
    fn unreadable_mount_table_hints_at_procfs() {
        let line = text(LaunchError::Mount(MountError::MountTable(Errno::ENOENT)));
        assert_eq!(
            line,
            "python: cannot read /proc/fs/mount to check /usr/local/lib: ENOENT; is procfs mounted at /proc?\n"
        );
    }

    #[test]
    fn sector_size_message_names_the_option() {
        let line = text(LaunchError::Mount(MountError::Image(
            ImageError::BadSectorSize { sector_size: 4096 },
        )));
        assert!(line.contains("sector size 4096 "), "{line}");
        assert!(
            line.contains("CONFIG_INTERPRETERS_PYTHON_RS_SECTORSIZE"),
            "{line}"
        );
    }

    #[test]
    fn environment_and_argv_failures() {
        assert_eq!(
            text(LaunchError::SetEnv {
                name: c"PYTHONHOME",
                errno: Errno::ENOMEM
            }),
            "python: cannot set PYTHONHOME: ENOMEM\n"
        );
        assert_eq!(
            text(LaunchError::Argv(ArgvError::NullArgument { index: 3 })),
            "python: argument 3 is missing (null pointer in argv)\n"
        );
        assert_eq!(
            text(LaunchError::Busy { task: 5 }),
            "python: CPython already runs in task 5 and runs one at a time (its state is global); wait for it or stop it with kill -2 5\n"
        );
        assert_eq!(
            text(LaunchError::Fresh(FreshError::ReserveHeap(Errno::ENOMEM))),
            "python: cannot reserve the Python heap of 8388608 bytes: ENOMEM; free some memory or lower CONFIG_INTERPRETERS_PYTHON_RS_HEAP_SIZE\n"
        );
        assert_eq!(
            text(LaunchError::Fresh(FreshError::SaveStatics(Errno::ENOMEM))),
            "python: cannot save CPython's static data for later runs: ENOMEM; free some memory and try again\n"
        );
        assert_eq!(
            text(LaunchError::Argv(ArgvError::TooMany)),
            "python: too many arguments: at most 64 with the -X options of the build (CONFIG_INTERPRETERS_PYTHON_RS_XOPTIONS)\n"
        );
    }

    #[test]
    fn every_message_is_one_line() {
        let errors = [
            LaunchError::Argv(ArgvError::Empty),
            LaunchError::Mount(MountError::Inspect(Errno::EACCES)),
            LaunchError::Mount(MountError::Register(Errno::ENOMEM)),
            LaunchError::Mount(MountError::Mount(Errno::EINVAL)),
        ];
        for error in errors {
            let line = text(error);
            assert_eq!(line.matches('\n').count(), 1, "{line}");
            assert!(line.ends_with('\n'));
        }
    }

    #[test]
    fn decimals() {
        let mut out: Vec<u8> = Vec::new();
        for value in [0, 7, 10, 4_294_967_295] {
            write_decimal(&mut out, value).unwrap();
            out.push(b' ');
        }
        assert_eq!(out, b"0 7 10 4294967295 ");
    }
}
