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
    // SAFETY: `prompt` is CPython's NUL-terminated prompt; the buffer is
    // ours until returned; readline_fd NUL-terminates what it reads.
    unsafe {
        // As CPython's own reader: pending C-level output, then the prompt.
        sys::fflush(stdout);
        let shown = CStr::from_ptr(prompt).to_bytes();
        sys::write(2, shown.as_ptr().cast::<c_void>(), shown.len());
        // For the editor's redraws (history recall), then NSH's again.
        let nsh_prompt = sys::readline_prompt(prompt);
        let mut size = LINE;
        let mut line = sys::PyMem_RawMalloc(size).cast::<c_char>();
        let mut len = 0;
        while !line.is_null() {
            let n = sys::readline_fd(line.add(len), (size - len) as c_int, 0, 1);
            // 0 or EOF (-1): end of input, or an error.
            if n <= 0 {
                break;
            }
            len += n as usize;
            if *line.add(len - 1) == b'\n' as c_char || len + 1 < size {
                break;
            }
            // Full without a newline: read the rest into a bigger buffer.
            size *= 2;
            let bigger = sys::PyMem_RawRealloc(line.cast(), size).cast::<c_char>();
            if bigger.is_null() {
                sys::PyMem_RawFree(line.cast());
            }
            line = bigger;
        }
        sys::readline_prompt(nsh_prompt);
        if line.is_null() {
            return line;
        }
        *line.add(len) = 0;
        // A Ctrl-C typed on the line: the editor drops control bytes, and
        // NuttX delivers the SIGINT while it waits; report it now.
        let gil = sys::PyGILState_Ensure();
        let interrupted = sys::PyErr_CheckSignals() < 0;
        sys::PyGILState_Release(gil);
        if interrupted {
            sys::PyMem_RawFree(line.cast());
            return core::ptr::null_mut();
        }
        line
    }
}
