// SPDX-License-Identifier: Apache-2.0
//! C return values as `Result`s, file descriptors and stderr.

use core::ffi::{c_int, c_void, CStr};

use nuttx_sys as sys;

use crate::Errno;

/// The calling task's `errno`.
pub fn errno() -> Errno {
    // SAFETY: __errno has no preconditions.
    let slot = unsafe { sys::__errno() };
    // SAFETY: it points to the calling task's errno, always readable.
    Errno(unsafe { *slot })
}

/// `Ok` for a non-negative return, else the errno it set.
pub fn check(ret: c_int) -> Result<c_int, Errno> {
    if ret < 0 {
        Err(errno())
    } else {
        Ok(ret)
    }
}

/// `Ok` with the byte count of a `read`/`write`, else the errno it set.
fn check_size(n: isize) -> Result<usize, Errno> {
    usize::try_from(n).map_err(|_| errno())
}

/// An open file descriptor, closed when dropped.
pub struct File(c_int);

impl File {
    /// Opens `path` for reading.
    pub fn open(path: &CStr) -> Result<Self, Errno> {
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
        check_size(unsafe { sys::read(self.0, buf.as_mut_ptr().cast::<c_void>(), buf.len()) })
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
        check_size(unsafe { sys::write(2, buf.as_ptr().cast::<c_void>(), buf.len()) })
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
