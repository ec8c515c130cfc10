//! The command line, passed to CPython exactly as NSH gave it.
//!
//! CPython decodes arguments itself (with `surrogateescape`), so bytes that
//! are not UTF-8 must reach it untouched: the launcher never copies or
//! re-encodes `argv`, it only checks that the array is usable.

use core::ffi::{c_char, c_int, CStr};

/// Why `argc`/`argv` cannot be handed on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgvError {
    /// `argc` is below 1 or `argv` is null.
    Empty,
    /// `argv[index]` is null although `index < argc`.
    NullArgument { index: usize },
}

/// A checked view of `argc`/`argv`.
#[derive(Clone, Copy, Debug)]
pub struct Argv {
    argc: c_int,
    argv: *mut *mut c_char,
}

impl Argv {
    /// Checks `argc` and that `argv[0..argc]` are non-null.
    ///
    /// # Safety
    /// `argv` must be null or point to `argc` readable pointers, each null or
    /// pointing to a NUL-terminated string that outlives the returned value.
    pub unsafe fn from_raw(argc: c_int, argv: *mut *mut c_char) -> Result<Self, ArgvError> {
        if argc < 1 || argv.is_null() {
            return Err(ArgvError::Empty);
        }
        for index in 0..argc as usize {
            // SAFETY: index < argc, within the array the caller vouches for.
            if unsafe { (*argv.add(index)).is_null() } {
                return Err(ArgvError::NullArgument { index });
            }
        }
        Ok(Self { argc, argv })
    }

    /// The number of arguments, program name included.
    pub fn argc(&self) -> c_int {
        self.argc
    }

    /// The caller's own array, for `Py_BytesMain(argc, argv)`.
    pub fn as_mut_ptr(&self) -> *mut *mut c_char {
        self.argv
    }

    /// Argument `index` as a C string (`0` is the program name).
    pub fn get(&self, index: usize) -> Option<&CStr> {
        if index >= self.argc as usize {
            return None;
        }
        // SAFETY: checked non-null and NUL-terminated in `from_raw`.
        Some(unsafe { CStr::from_ptr(*self.argv.add(index)) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;
    use std::vec::Vec;

    fn raw(args: &[&[u8]]) -> (Vec<CString>, Vec<*mut c_char>) {
        let owned: Vec<CString> = args.iter().map(|a| CString::new(*a).unwrap()).collect();
        let mut ptrs: Vec<*mut c_char> = owned.iter().map(|s| s.as_ptr() as *mut c_char).collect();
        ptrs.push(core::ptr::null_mut());
        (owned, ptrs)
    }

    #[test]
    fn hands_back_the_same_array() {
        let (_owned, mut ptrs) = raw(&[b"python", b"-c", b"print(6*7)"]);
        let argv = unsafe { Argv::from_raw(3, ptrs.as_mut_ptr()) }.unwrap();
        assert_eq!(argv.argc(), 3);
        assert_eq!(argv.as_mut_ptr(), ptrs.as_mut_ptr());
        assert_eq!(argv.get(2), Some(c"print(6*7)"));
        assert_eq!(argv.get(3), None);
    }

    #[test]
    fn non_utf8_bytes_are_untouched() {
        let bytes: &[u8] = b"caf\xe9\xff\x80";
        let (_owned, mut ptrs) = raw(&[b"python", bytes]);
        let argv = unsafe { Argv::from_raw(2, ptrs.as_mut_ptr()) }.unwrap();
        assert_eq!(argv.get(1).unwrap().to_bytes(), bytes);
        assert_eq!(unsafe { *argv.as_mut_ptr().add(1) }, ptrs[1]);
    }

    #[test]
    fn a_long_argument_is_untouched() {
        let long = std::vec![b'x'; 4096];
        let (_owned, mut ptrs) = raw(&[b"python", &long]);
        let argv = unsafe { Argv::from_raw(2, ptrs.as_mut_ptr()) }.unwrap();
        assert_eq!(argv.get(1).unwrap().to_bytes().len(), 4096);
    }

    #[test]
    fn empty_command_lines_are_refused() {
        let (_owned, mut ptrs) = raw(&[b"python"]);
        assert_eq!(
            unsafe { Argv::from_raw(0, ptrs.as_mut_ptr()) }.unwrap_err(),
            ArgvError::Empty
        );
        assert_eq!(
            unsafe { Argv::from_raw(1, core::ptr::null_mut()) }.unwrap_err(),
            ArgvError::Empty
        );
    }

    #[test]
    fn a_null_argument_is_refused() {
        let (_owned, mut ptrs) = raw(&[b"python"]);
        // ptrs[1] is the terminating null; claim it is an argument.
        assert_eq!(
            unsafe { Argv::from_raw(2, ptrs.as_mut_ptr()) }.unwrap_err(),
            ArgvError::NullArgument { index: 1 }
        );
    }
}
