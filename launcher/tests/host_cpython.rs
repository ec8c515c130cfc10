// SPDX-License-Identifier: Apache-2.0
//! The launcher in front of a real CPython (the host's libpython).
//!
//! Each case runs in a child process, because CPython is initialised once
//! per process here: the test binary re-runs itself with only the `child`
//! test selected, and `child` acts as the `python` command.
// A test program: it may unwrap and panic, and calls CPython as a C main.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::undocumented_unsafe_blocks
)]

use std::collections::HashMap;
use std::env;
use std::ffi::{c_char, c_int, CString, OsStr, OsString};
use std::io::Write as _;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::process::{Command, Output, Stdio};

use launcher::{
    run, Argv, EnvConfig, Environment, FreshError, Interpreter, LaunchConfig, LAUNCH_FAILED,
};
use mount::{MountConfig, MountOs, Node};
use nuttx::Errno;

extern "C" {
    fn Py_BytesMain(argc: c_int, argv: *mut *mut c_char) -> c_int;
}

const ARGS_VAR: &str = "PYTHON_RS_TEST_ARGS";
const HOME: &str = "/usr";

/// The host: its standard library is installed, so the mount table says the
/// mount point is mounted; the environment is the process's own.
struct Host {
    table: &'static [u8],
}

impl MountOs for Host {
    type Table = &'static [u8];
    fn open_mount_table(&mut self) -> Result<Self::Table, Errno> {
        Ok(self.table)
    }
    fn node_at(&mut self, _: &std::ffi::CStr) -> Result<Node, Errno> {
        Ok(Node::Directory)
    }
    fn register_rom_disk(&mut self, _: u8, _: u32, _: u16, _: &'static [u8]) -> Result<(), Errno> {
        Ok(())
    }
    fn mount_romfs(&mut self, _: &std::ffi::CStr, _: &std::ffi::CStr) -> Result<(), Errno> {
        Err(Errno::ENODEV)
    }
}

impl Environment for Host {
    fn is_set(&mut self, name: &std::ffi::CStr) -> bool {
        env::var_os(OsStr::from_bytes(name.to_bytes())).is_some()
    }
    fn set(&mut self, name: &std::ffi::CStr, value: &std::ffi::CStr) -> Result<(), Errno> {
        env::set_var(
            OsStr::from_bytes(name.to_bytes()),
            OsStr::from_bytes(value.to_bytes()),
        );
        Ok(())
    }
}

struct HostPython;

impl Interpreter for HostPython {
    /// One CPython per child process: nothing to share.
    fn claim(&mut self) -> Result<(), c_int> {
        Ok(())
    }
    fn release(&mut self) {}
    /// Every case runs CPython in a new process, which starts fresh.
    fn fresh(&mut self) -> Result<(), FreshError> {
        Ok(())
    }
    fn main(&mut self, argv: &Argv<'_>) -> c_int {
        unsafe { Py_BytesMain(argv.argc(), argv.as_mut_ptr()) }
    }
}

fn romfs_header() -> &'static [u8] {
    mount::image::fixture::static_image(1024)
}

/// The `python` command, when this binary is re-run by a case.
#[test]
fn child() {
    let Some(joined) = env::var_os(ARGS_VAR) else {
        return;
    };
    let mut args = vec![CString::new("python").unwrap()];
    args.extend(
        joined
            .into_vec()
            .split(|&b| b == 0x1f)
            .filter(|a| !a.is_empty())
            .map(|a| CString::new(a).unwrap()),
    );
    let mut ptrs: Vec<*mut c_char> = args.iter().map(|a| a.as_ptr() as *mut c_char).collect();
    ptrs.push(std::ptr::null_mut());
    let config = LaunchConfig {
        program: c"python",
        mount: MountConfig {
            mount_point: c"/usr/lib",
            minor: 1,
            sector_size: 64,
        },
        env: EnvConfig {
            home: c"/usr",
            path: c"",
            basic_repl: true,
            colors: false,
            unbuffered: true,
            force: false,
        },
        xoptions: Box::leak(
            CString::new(env::var("PYTHON_RS_TEST_XOPTIONS").unwrap_or_default())
                .unwrap()
                .into_boxed_c_str(),
        ),
        heap_size: 0,
    };
    let table: &'static [u8] = if env::var_os("PYTHON_RS_TEST_UNMOUNTABLE").is_some() {
        b""
    } else {
        b"  /usr/lib type romfs\n"
    };
    let mut stderr: Vec<u8> = Vec::new();
    let status = unsafe {
        run(
            &mut Host { table },
            &mut HostPython,
            &mut stderr,
            &config,
            romfs_header(),
            args.len() as c_int,
            ptrs.as_mut_ptr(),
        )
    };
    std::io::stderr().write_all(&stderr).unwrap();
    std::process::exit(status);
}

/// Runs `python ARGS` with `stdin`, in a clean environment plus `extra_env`.
fn python(args: &[&[u8]], stdin: &[u8], extra_env: &[(&str, &str)]) -> Output {
    let joined: Vec<u8> = args.join(&0x1f);
    let mut command = Command::new(env::current_exe().unwrap());
    command.args(["child", "--exact", "--nocapture", "--test-threads=1"]);
    let kept: HashMap<OsString, OsString> = env::vars_os()
        .filter(|(name, _)| {
            !name.as_bytes().starts_with(b"PYTHON") && !name.as_bytes().starts_with(b"PYENV")
        })
        .collect();
    command
        .env_clear()
        .envs(kept)
        .env(ARGS_VAR, OsString::from_vec(joined));
    command.envs(extra_env.iter().copied());
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    // Drop what the test harness itself prints around the child's output.
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|line| !line.starts_with("running ") && !line.starts_with("test result"))
        .map(|line| line.trim_start_matches("test child ... "))
        .collect::<Vec<_>>()
        .join("\n")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn dash_c_prints() {
    let out = python(&[b"-c", b"print(6*7)"], b"", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("42"), "{}", stdout(&out));
}

#[test]
fn script_file_gets_its_arguments_byte_for_byte() {
    let dir = env::temp_dir().join(format!("python-rs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("args.py");
    std::fs::write(&script, "import sys, os\nprint(repr(sys.argv[1:]))\nprint(repr([os.fsencode(a) for a in sys.argv[1:]]))\n").unwrap();
    let long = vec![b'y'; 4096];
    let out = python(
        &[
            script.as_os_str().as_bytes(),
            b"plain",
            b"caf\xe9\xff",
            &long,
        ],
        b"",
        &[],
    );
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains(r"b'caf\xe9\xff'"), "{text}");
    assert!(
        text.contains(&"y".repeat(4096)),
        "the 4 KB argument arrived whole"
    );
}

#[test]
fn sys_exit_code_is_the_status() {
    let out = python(&[b"-c", b"import sys; sys.exit(7)"], b"", &[]);
    assert_eq!(out.status.code(), Some(7));
}

#[test]
fn uncaught_exception_is_1() {
    let out = python(&[b"-c", b"raise ValueError('boom')"], b"", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("ValueError: boom"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn missing_script_is_2() {
    let out = python(&[b"/no/such/script.py"], b"", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("can't open file"), "{}", stderr(&out));
}

#[test]
fn directory_as_script_fails_with_a_message() {
    let out = python(&[b"/"], b"", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("__main__"), "{}", stderr(&out));
}

#[test]
fn syntax_error_is_1() {
    let out = python(&[b"-c", b"def ("], b"", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("SyntaxError"), "{}", stderr(&out));
}

#[test]
fn module_runs_with_dash_m() {
    let out = python(&[b"-m", b"json.tool"], br#"{"answer": 42}"#, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("\"answer\": 42"), "{}", stdout(&out));
}

#[test]
fn pythonhome_comes_from_the_plan() {
    let code = b"import os, sys; print(os.environ['PYTHONHOME'], sys.prefix, os.environ['PYTHON_BASIC_REPL'])";
    let out = python(&[b"-c", code], b"", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), format!("{HOME} {HOME} 1"));
}

#[test]
fn console_settings_reach_python() {
    let code = b"import os, sys; print(os.environ['PYTHON_COLORS'], sys.stdout.write_through)";
    let out = python(&[b"-c", code], b"", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "0 True");
}

#[test]
fn x_options_come_before_the_users_arguments() {
    let code = b"import sys; print(sorted(sys._xoptions), sys.flags.utf8_mode, sys.flags.dev_mode, sys.argv)";
    let out = python(
        &[b"-c", code, b"-X", b"a"],
        b"",
        &[("PYTHON_RS_TEST_XOPTIONS", "utf8 dev")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).trim(),
        "['dev', 'utf8'] 1 True ['-c', '-X', 'a']"
    );
}

#[test]
fn variables_set_by_the_user_are_kept() {
    let code = b"import os; print(os.environ['PYTHON_BASIC_REPL'], os.environ['PYTHONPATH'])";
    let out = python(
        &[b"-c", code],
        b"",
        &[("PYTHON_BASIC_REPL", "0"), ("PYTHONPATH", "/opt/mine")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "0 /opt/mine");
}

#[test]
fn launcher_failure_stops_before_python() {
    let out = python(
        &[b"-c", b"print('should not run')"],
        b"",
        &[("PYTHON_RS_TEST_UNMOUNTABLE", "1")],
    );
    assert_eq!(out.status.code(), Some(LAUNCH_FAILED));
    assert!(!stdout(&out).contains("should not run"));
    assert_eq!(
        stderr(&out).trim(),
        "python: cannot mount /dev/ram1 at /usr/lib: ENODEV"
    );
}
