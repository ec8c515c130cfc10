// SPDX-License-Identifier: Apache-2.0
//! The REPL reads its lines through NuttX's line editor, `readline_fd` of
//! apps/system/readline, which NSH uses too: cursor keys, and with
//! CONFIG_READLINE_CMD_HISTORY the up/down history (shared with NSH's).
//! CPython calls the hook only when stdin and stdout are terminals.

use core::ffi::{c_char, c_int, c_void, CStr};

use nuttx_sys as sys;

/// First buffer size; a longer line grows it.
const LINE: usize = 256;

/// Makes CPython read interactive lines with [`read_line`].
pub fn install() {
    // SAFETY: set before CPython starts, from the only task running it.
    unsafe { sys::PyOS_ReadlineFunctionPointer = Some(read_line) };
}

/// CPython's readline hook: `prompt` is shown, the line is returned in a
/// `PyMem_RawMalloc` buffer, `""` at end of input, NULL after Ctrl-C (with
/// KeyboardInterrupt set). Called without the GIL.
unsafe extern "C" fn read_line(
    _: *mut sys::FILE,
    stdout: *mut sys::FILE,
    prompt: *const c_char,
) -> *mut c_char {
    // As CPython's own reader: pending C-level output, then the prompt.
    // SAFETY: CPython passes its own stdout stream.
    unsafe { sys::fflush(stdout) };
    // SAFETY: `prompt` is CPython's NUL-terminated prompt, valid for the call.
    let shown = unsafe { CStr::from_ptr(prompt) }.to_bytes();
    // SAFETY: `shown` is readable for its length.
    unsafe { sys::write(2, shown.as_ptr().cast::<c_void>(), shown.len()) };
    // For the editor's redraws (history recall), then NSH's again.
    // SAFETY: readline keeps the pointer only until the call below.
    let nsh_prompt = unsafe { sys::readline_prompt(prompt) };
    let line = read_into_raw_buffer();
    // SAFETY: NSH's prompt, as readline_prompt returned it.
    unsafe { sys::readline_prompt(nsh_prompt) };
    if line.is_null() {
        return line;
    }
    // A Ctrl-C typed on the line: the editor drops control bytes, and
    // NuttX delivers the SIGINT while it waits; report it now.
    // SAFETY: called without the GIL, as CPython calls this hook.
    let gil = unsafe { sys::PyGILState_Ensure() };
    // SAFETY: the GIL is held.
    let interrupted = unsafe { sys::PyErr_CheckSignals() } < 0;
    // SAFETY: `gil` is what PyGILState_Ensure returned.
    unsafe { sys::PyGILState_Release(gil) };
    if interrupted {
        // SAFETY: `line` came from PyMem_RawMalloc and is not returned.
        unsafe { sys::PyMem_RawFree(line.cast()) };
        return core::ptr::null_mut();
    }
    line
}

/// One line from the console, NUL-terminated in a `PyMem_RawMalloc`
/// buffer (empty at end of input), or null without memory.
fn read_into_raw_buffer() -> *mut c_char {
    let mut size = LINE;
    // SAFETY: PyMem_RawMalloc needs no GIL.
    let mut line = unsafe { sys::PyMem_RawMalloc(size) }.cast::<c_char>();
    let mut len = 0;
    while !line.is_null() {
        // SAFETY: len < size, so the rest of the buffer is in bounds.
        let rest = unsafe { line.add(len) };
        // SAFETY: `rest` has size - len writable bytes; readline_fd writes
        // at most that many, NUL included.
        let n = unsafe { sys::readline_fd(rest, (size - len) as c_int, 0, 1) };
        // 0 or EOF (-1): end of input, or an error.
        if n <= 0 {
            break;
        }
        len += n as usize;
        // SAFETY: 0 < len < size: the last byte read, within the buffer.
        let last_byte = unsafe { line.add(len - 1) };
        // SAFETY: written by readline_fd just now.
        let last = unsafe { *last_byte };
        if last == b'\n' as c_char || len + 1 < size {
            break;
        }
        // Full without a newline: read the rest into a bigger buffer.
        size *= 2;
        let old = line.cast::<c_void>();
        // SAFETY: `old` came from PyMem_RawMalloc/Realloc.
        let bigger = unsafe { sys::PyMem_RawRealloc(old, size) }.cast::<c_char>();
        if bigger.is_null() {
            // SAFETY: the old buffer is still ours when realloc fails.
            unsafe { sys::PyMem_RawFree(line.cast()) };
        }
        line = bigger;
    }
    if !line.is_null() {
        // SAFETY: len < size, within the buffer.
        let end = unsafe { line.add(len) };
        // SAFETY: `end` is in bounds and writable.
        unsafe { *end = 0 };
    }
    line
}
