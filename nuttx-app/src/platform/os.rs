// SPDX-License-Identifier: Apache-2.0
//! The OS calls behind `MountOs` and `Environment`, and stderr.

use core::ffi::{c_int, c_void, CStr};
use core::mem::MaybeUninit;

use mount::{Errno, MountOs, Node};
use nuttx_sys as sys;

use crate::Environment;

pub struct Nuttx;

fn errno() -> Errno {
    // SAFETY: __errno has no preconditions.
    let slot = unsafe { sys::__errno() };
    // SAFETY: it points to the calling task's errno, always readable.
    Errno(unsafe { *slot })
}

/// `Ok` for a non-negative return, else the errno it set.
pub(super) fn check(ret: c_int) -> Result<c_int, Errno> {
    if ret < 0 {
        Err(errno())
    } else {
        Ok(ret)
    }
}

/// An open file descriptor, closed when dropped.
pub struct File(c_int);

impl File {
    fn open(path: &CStr) -> Result<Self, Errno> {
        // SAFETY: path is NUL-terminated.
        check(unsafe { sys::open(path.as_ptr(), sys::O_RDONLY as c_int) }).map(File)
    }
}

impl Drop for File {
    fn drop(&mut self) {
        // SAFETY: we own the descriptor.
        unsafe { sys::close(self.0) };
    }
}

impl embedded_io::ErrorType for File {
    type Error = Errno;
}

impl embedded_io::Read for File {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Errno> {
        // SAFETY: buf is writable for its length.
        let n = unsafe { sys::read(self.0, buf.as_mut_ptr().cast::<c_void>(), buf.len()) };
        if n < 0 {
            Err(errno())
        } else {
            Ok(n as usize)
        }
    }
}

impl MountOs for Nuttx {
    type Table = File;

    fn open_mount_table(&mut self) -> Result<File, Errno> {
        File::open(c"/proc/fs/mount")
    }

    fn node_at(&mut self, path: &CStr) -> Result<Node, Errno> {
        let mut info = MaybeUninit::<sys::stat>::uninit();
        // SAFETY: path is NUL-terminated; info is written by stat().
        match check(unsafe { sys::stat(path.as_ptr(), info.as_mut_ptr()) }) {
            Ok(_) => {
                // SAFETY: stat() succeeded and filled info.
                // mode_t is not the same width in every configuration.
                #[allow(clippy::unnecessary_cast)]
                let mode = unsafe { info.assume_init() }.st_mode as u32;
                Ok(if mode & sys::S_IFMT == sys::S_IFDIR {
                    Node::Directory
                } else {
                    Node::Other
                })
            }
            Err(Errno::ENOENT) => Ok(Node::Missing),
            Err(errno) => Err(errno),
        }
    }

    fn register_rom_disk(
        &mut self,
        minor: u8,
        sectors: u32,
        sector_size: u16,
        image: &'static [u8],
    ) -> Result<(), Errno> {
        let desc = sys::boardioc_romdisk_s {
            minor,
            nsectors: sectors,
            sectsize: sector_size,
            image: image.as_ptr(),
        };
        // SAFETY: desc outlives the call; NuttX keeps only the image pointer,
        // which is 'static.
        check(unsafe {
            sys::boardctl(
                sys::BOARDIOC_ROMDISK as _,
                core::ptr::addr_of!(desc) as usize,
            )
        })
        .map(drop)
    }

    fn mount_romfs(&mut self, device: &CStr, mount_point: &CStr) -> Result<(), Errno> {
        // SAFETY: all strings are NUL-terminated; romfs takes no data.
        check(unsafe {
            sys::mount(
                device.as_ptr(),
                mount_point.as_ptr(),
                c"romfs".as_ptr(),
                sys::MS_RDONLY as _,
                core::ptr::null(),
            )
        })
        .map(drop)
    }
}

impl Environment for Nuttx {
    fn is_set(&mut self, name: &CStr) -> bool {
        // SAFETY: name is NUL-terminated.
        !unsafe { sys::getenv(name.as_ptr()) }.is_null()
    }

    fn set(&mut self, name: &CStr, value: &CStr) -> Result<(), Errno> {
        // SAFETY: both are NUL-terminated; setenv copies them.
        check(unsafe { sys::setenv(name.as_ptr(), value.as_ptr(), 1) }).map(drop)
    }
}

/// File descriptor 2.
pub struct Stderr;

impl embedded_io::ErrorType for Stderr {
    type Error = Errno;
}

impl embedded_io::Write for Stderr {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Errno> {
        // SAFETY: buf is readable for its length.
        let n = unsafe { sys::write(2, buf.as_ptr().cast::<c_void>(), buf.len()) };
        if n < 0 {
            Err(errno())
        } else {
            Ok(n as usize)
        }
    }

    /// The provided `write_all` panics when `write` returns 0, and a panic
    /// path links `core::fmt`; a console that takes nothing is an I/O error.
    fn write_all(&mut self, mut buf: &[u8]) -> Result<(), Errno> {
        while !buf.is_empty() {
            let n = self.write(buf)?;
            buf = buf.get(n..).filter(|_| n > 0).ok_or(Errno::EIO)?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Errno> {
        Ok(())
    }
}
