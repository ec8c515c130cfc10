// SPDX-License-Identifier: Apache-2.0
//! The command line, passed to CPython as NSH gave it.
//!
//! CPython decodes arguments itself (with `surrogateescape`), so bytes that
//! are not UTF-8 must reach it untouched: the launcher never copies or
//! re-encodes an argument, it only checks that the array is usable and,
//! when the build configures `-X` options, puts them after the program
//! name in an array of its own.

use core::ffi::{c_char, c_int, CStr};
use core::marker::PhantomData;

/// Why `argc`/`argv` cannot be handed on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgvError {
    /// `argc` is below 1 or `argv` is null.
    Empty,
    /// `argv[index]` is null although `index < argc`.
    NullArgument { index: usize },
    /// With the configured `-X` options there are more than [`MAX_ARGS`].
    TooMany,
}

/// Most arguments CPython is given when `-X` options are added (NSH itself
/// passes at most `CONFIG_NSH_MAXARGUMENTS`, 7 by default).
pub const MAX_ARGS: usize = 64;

/// Longest `-X` option list (Kconfig `INTERPRETERS_PYTHON_RS_XOPTIONS`).
pub const XOPTIONS_MAX_LEN: usize = 255;

/// A checked view of `argc`/`argv`, valid for `'a`: the array and its
/// strings belong to whoever made them (NSH, or an [`ArgvWithOptions`]),
/// and the compiler keeps the view from outliving them.
#[derive(Clone, Copy, Debug)]
pub struct Argv<'a> {
    argc: c_int,
    argv: *mut *mut c_char,
    strings: PhantomData<&'a CStr>,
}

impl<'a> Argv<'a> {
    /// Checks `argc` and that `argv[0..argc]` are non-null.
    ///
    /// # Safety
    /// `argv` must be null or point to `argc` readable pointers, each null or
    /// pointing to a NUL-terminated string, all valid and unchanged for `'a`.
    pub unsafe fn from_raw(argc: c_int, argv: *mut *mut c_char) -> Result<Self, ArgvError> {
        if argc < 1 || argv.is_null() {
            return Err(ArgvError::Empty);
        }
        for index in 0..argc as usize {
            // SAFETY: index < argc, within the array the caller vouches for.
            if unsafe { arg(argv, index) }.is_null() {
                return Err(ArgvError::NullArgument { index });
            }
        }
        Ok(Self {
            argc,
            argv,
            strings: PhantomData,
        })
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
    pub fn get(&self, index: usize) -> Option<&'a CStr> {
        if index >= self.argc as usize {
            return None;
        }
        // SAFETY: index < argc, within the array checked in `from_raw`.
        let string = unsafe { arg(self.argv, index) };
        // SAFETY: checked non-null in `from_raw`, NUL-terminated and valid
        // for 'a (its contract).
        Some(unsafe { CStr::from_ptr(string) })
    }
}

/// `argv[index]`.
///
/// # Safety
/// `argv` points to at least `index + 1` readable pointers.
unsafe fn arg(argv: *mut *mut c_char, index: usize) -> *mut c_char {
    // SAFETY: within the array (the caller's contract).
    let slot = unsafe { argv.add(index) };
    // SAFETY: the slot is readable (the caller's contract).
    unsafe { *slot }
}

/// Room for `argv[0] -X <option> ... argv[1..]`: the options' text, split
/// into C strings, and the new pointer array. It lives on the launcher's
/// stack for as long as CPython runs.
pub struct ArgvWithOptions {
    options: [u8; XOPTIONS_MAX_LEN + 1],
    pointers: [*mut c_char; MAX_ARGS + 1],
}

impl Default for ArgvWithOptions {
    fn default() -> Self {
        Self {
            options: [0; XOPTIONS_MAX_LEN + 1],
            pointers: [core::ptr::null_mut(); MAX_ARGS + 1],
        }
    }
}

impl ArgvWithOptions {
    /// `argv` with `-X <option>` for each space-separated word of `options`
    /// inserted after the program name. The result points into `self`, so
    /// it cannot outlive it:
    ///
    /// ```compile_fail
    /// # use launcher::{Argv, ArgvWithOptions};
    /// # let mut strings = [c"python".as_ptr().cast_mut(), core::ptr::null_mut()];
    /// # let argv = unsafe { Argv::from_raw(1, strings.as_mut_ptr()) }.unwrap();
    /// let mut room = ArgvWithOptions::default();
    /// let with_options = room.build(&argv, c"dev").unwrap();
    /// drop(room);
    /// with_options.get(1); // error: `room` is dropped while borrowed
    /// ```
    pub fn build<'s>(&'s mut self, argv: &Argv<'s>, options: &CStr) -> Result<Argv<'s>, ArgvError> {
        let text = options.to_bytes();
        if text.len() > XOPTIONS_MAX_LEN {
            return Err(ArgvError::TooMany);
        }
        // Spaces become NULs; the array is one longer than any text, so the
        // last word is NUL-terminated too.
        let padded = text.iter().copied().chain(core::iter::repeat(0));
        for (slot, byte) in self.options.iter_mut().zip(padded) {
            *slot = if byte == b' ' { 0 } else { byte };
        }
        let mut slots = self.pointers.iter_mut();
        let mut push = |pointer: *mut c_char| {
            *slots.next().ok_or(ArgvError::TooMany)? = pointer;
            Ok(())
        };
        // CPython only reads its argv; the const casts are never written.
        let program = argv.as_mut_ptr();
        // SAFETY: `argv` has at least the program name (checked by from_raw).
        push(unsafe { arg(program, 0) })?;
        for word in self.options.split(|&b| b == 0).filter(|w| !w.is_empty()) {
            push(c"-X".as_ptr().cast_mut())?;
            push(word.as_ptr().cast::<c_char>().cast_mut())?;
        }
        for index in 1..argv.argc() as usize {
            // SAFETY: index < argc, checked by from_raw.
            push(unsafe { arg(program, index) })?;
        }
        push(core::ptr::null_mut())?;
        let argc = self.pointers.iter().position(|p| p.is_null()).unwrap_or(0);
        // SAFETY: `pointers` holds `argc` non-null C strings (the caller's,
        // or words of `options`, NUL-terminated above) and a final null.
        unsafe { Argv::from_raw(argc as c_int, self.pointers.as_mut_ptr()) }
    }
}

#[cfg(test)]
#[allow(
    clippy::undocumented_unsafe_blocks,
    clippy::multiple_unsafe_ops_per_block
)] // tests
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

    fn words<'a>(argv: &Argv<'a>) -> Vec<&'a [u8]> {
        (0..argv.argc() as usize)
            .map(|i| argv.get(i).unwrap().to_bytes())
            .collect()
    }

    #[test]
    fn x_options_come_after_the_program_name() {
        let (_owned, mut ptrs) = raw(&[b"python", b"-c", b"pass"]);
        let argv = unsafe { Argv::from_raw(3, ptrs.as_mut_ptr()) }.unwrap();
        let mut room = ArgvWithOptions::default();
        let with = room.build(&argv, c" dev  frozen_modules=off ").unwrap();
        assert_eq!(
            words(&with),
            [
                &b"python"[..],
                b"-X",
                b"dev",
                b"-X",
                b"frozen_modules=off",
                b"-c",
                b"pass"
            ]
        );
        assert!(unsafe { *with.as_mut_ptr().add(7) }.is_null());
        // The user's arguments are the same strings, not copies.
        assert_eq!(unsafe { *with.as_mut_ptr().add(6) }, ptrs[2]);
    }

    #[test]
    fn too_many_arguments_with_options_are_refused() {
        let many: Vec<&[u8]> = std::iter::repeat_n(&b"a"[..], MAX_ARGS - 1).collect();
        let (_owned, mut ptrs) = raw(&many);
        let argv = unsafe { Argv::from_raw(many.len() as c_int, ptrs.as_mut_ptr()) }.unwrap();
        let mut room = ArgvWithOptions::default();
        assert_eq!(room.build(&argv, c"utf8").unwrap_err(), ArgvError::TooMany);
        let fits = room.build(&argv, c"").unwrap();
        assert_eq!(fits.argc() as usize, MAX_ARGS - 1);
    }

    #[test]
    fn an_option_list_longer_than_kconfig_allows_is_refused() {
        let (_owned, mut ptrs) = raw(&[b"python"]);
        let argv = unsafe { Argv::from_raw(1, ptrs.as_mut_ptr()) }.unwrap();
        let long = CString::new(std::vec![b'x'; XOPTIONS_MAX_LEN + 1]).unwrap();
        let mut room = ArgvWithOptions::default();
        assert_eq!(room.build(&argv, &long).unwrap_err(), ArgvError::TooMany);
        let longest = CString::new(std::vec![b'x'; XOPTIONS_MAX_LEN]).unwrap();
        let with = room.build(&argv, &longest).unwrap();
        assert_eq!(with.get(2).unwrap().to_bytes().len(), XOPTIONS_MAX_LEN);
    }
}
