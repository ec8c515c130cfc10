// SPDX-License-Identifier: Apache-2.0
//! `run` with a fake NuttX and a fake interpreter.
#![allow(
    clippy::undocumented_unsafe_blocks,
    clippy::multiple_unsafe_ops_per_block
)] // tests

use super::*;
use std::collections::BTreeMap;
use std::ffi::CString;
use std::string::{String, ToString};
use std::vec::Vec;
use std::{format, vec};

use mount::Node;

fn image() -> &'static [u8] {
    mount::image::fixture::static_image(1024)
}

#[derive(Default)]
struct FakeBoard {
    mounted: bool,
    mount_point_is_file: bool,
    env: BTreeMap<String, String>,
    setenv_fails: bool,
    events: Vec<String>,
}

impl MountOs for FakeBoard {
    type Table = &'static [u8];

    fn open_mount_table(&mut self) -> Result<Self::Table, Errno> {
        Ok(if self.mounted {
            b"  /usr/local/lib type romfs\n"
        } else {
            b"  /proc type procfs\n"
        })
    }
    fn node_at(&mut self, _: &CStr) -> Result<Node, Errno> {
        Ok(if self.mount_point_is_file {
            Node::Other
        } else {
            Node::Missing
        })
    }
    fn register_rom_disk(&mut self, _: u8, _: u32, _: u16, _: &'static [u8]) -> Result<(), Errno> {
        self.events.push("register".into());
        Ok(())
    }
    fn mount_romfs(&mut self, device: &CStr, _: &CStr) -> Result<(), Errno> {
        self.events
            .push(format!("mount {}", device.to_str().unwrap()));
        self.mounted = true;
        Ok(())
    }
}

impl Environment for FakeBoard {
    fn is_set(&mut self, name: &CStr) -> bool {
        self.env.contains_key(name.to_str().unwrap())
    }
    fn set(&mut self, name: &CStr, value: &CStr) -> Result<(), Errno> {
        if self.setenv_fails {
            return Err(Errno::ENOMEM);
        }
        self.events.push(format!("set {}", name.to_str().unwrap()));
        self.env.insert(
            name.to_str().unwrap().into(),
            value.to_str().unwrap().into(),
        );
        Ok(())
    }
}

/// Records what CPython would have seen and returns a fixed status.
struct FakePython {
    status: c_int,
    seen_args: Vec<Vec<u8>>,
    runs: usize,
    /// The task that runs CPython already, if any.
    held_by: Option<c_int>,
    claimed: bool,
    /// Runs made fresh, and what fresh() returns.
    freshened: usize,
    fresh_fails: Option<FreshError>,
}

impl Interpreter for FakePython {
    fn claim(&mut self) -> Result<(), c_int> {
        match self.held_by {
            Some(task) => Err(task),
            None => {
                self.claimed = true;
                Ok(())
            }
        }
    }
    fn release(&mut self) {
        self.claimed = false;
    }
    fn fresh(&mut self) -> Result<(), FreshError> {
        assert!(self.claimed, "fresh() without claim()");
        self.freshened += 1;
        self.fresh_fails.map_or(Ok(()), Err)
    }
    fn main(&mut self, argv: &Argv<'_>) -> c_int {
        assert!(self.claimed, "main() without claim()");
        assert_eq!(self.freshened, self.runs + 1, "main() without fresh()");
        self.runs += 1;
        self.seen_args = (0..argv.argc() as usize)
            .map(|i| argv.get(i).unwrap().to_bytes().to_vec())
            .collect();
        self.status
    }
}

fn config() -> LaunchConfig<'static> {
    LaunchConfig {
        program: c"python",
        mount: MountConfig {
            mount_point: c"/usr/local/lib",
            minor: 1,
            sector_size: 64,
        },
        env: EnvConfig {
            home: c"/usr/local",
            path: c"",
            basic_repl: true,
            colors: false,
            unbuffered: true,
            force: false,
        },
        xoptions: c"",
        heap_size: 8_388_608,
    }
}

fn python_with(args: &[&[u8]], board: &mut FakeBoard, python: &mut FakePython) -> (c_int, String) {
    let owned: Vec<CString> = args.iter().map(|a| CString::new(*a).unwrap()).collect();
    let mut ptrs: Vec<*mut c_char> = owned.iter().map(|s| s.as_ptr() as *mut c_char).collect();
    ptrs.push(core::ptr::null_mut());
    let mut stderr: Vec<u8> = Vec::new();
    let status = unsafe {
        run(
            board,
            python,
            &mut stderr,
            &config(),
            image(),
            args.len() as c_int,
            ptrs.as_mut_ptr(),
        )
    };
    (status, String::from_utf8(stderr).unwrap())
}

fn fake_python(status: c_int) -> FakePython {
    FakePython {
        status,
        seen_args: Vec::new(),
        runs: 0,
        held_by: None,
        claimed: false,
        freshened: 0,
        fresh_fails: None,
    }
}

#[test]
fn a_second_python_is_refused_while_one_runs() {
    let mut board = FakeBoard::default();
    let mut python = fake_python(0);
    python.held_by = Some(5);
    let (status, stderr) = python_with(&[b"python", b"-c", b"pass"], &mut board, &mut python);
    assert_eq!(status, LAUNCH_FAILED);
    assert_eq!(python.runs, 0);
    assert_eq!(
        stderr,
        "python: CPython already runs in task 5 and runs one at a time (its state is global); wait for it or stop it with kill -2 5\n"
    );
}

#[test]
fn every_run_starts_fresh_and_a_refused_one_changes_nothing() {
    let mut board = FakeBoard::default();
    let mut python = fake_python(0);
    python_with(&[b"python"], &mut board, &mut python);
    python_with(&[b"python"], &mut board, &mut python);
    assert_eq!((python.freshened, python.runs), (2, 2));
    python.held_by = Some(5);
    python_with(&[b"python"], &mut board, &mut python);
    assert_eq!(python.freshened, 2, "a busy interpreter is not touched");
}

#[test]
fn no_memory_to_start_fresh_is_a_message_and_the_interpreter_stays_free() {
    let mut board = FakeBoard::default();
    let mut python = fake_python(0);
    python.fresh_fails = Some(FreshError::ReserveHeap(Errno::ENOMEM));
    let (status, stderr) = python_with(&[b"python"], &mut board, &mut python);
    assert_eq!(status, LAUNCH_FAILED);
    assert_eq!(
        stderr,
        "python: cannot reserve the Python heap of 8388608 bytes: ENOMEM; free some memory or lower CONFIG_INTERPRETERS_PYTHON_RS_HEAP_SIZE\n"
    );
    assert_eq!(python.runs, 0);
    assert!(!python.claimed);
}

#[test]
fn the_interpreter_is_given_back_after_the_run() {
    let mut board = FakeBoard::default();
    let mut python = fake_python(3);
    let (status, _) = python_with(&[b"python"], &mut board, &mut python);
    assert_eq!(status, 3);
    assert!(!python.claimed);
}

#[test]
fn mounts_then_sets_environment_then_runs_python() {
    let mut board = FakeBoard::default();
    let mut python = fake_python(0);
    let (status, stderr) = python_with(&[b"python", b"-c", b"print(6*7)"], &mut board, &mut python);
    assert_eq!(status, 0);
    assert_eq!(stderr, "");
    assert_eq!(
        board.events,
        [
            "register",
            "mount /dev/ram1",
            "set PYTHONHOME",
            "set PYTHON_BASIC_REPL",
            "set PYTHON_COLORS",
            "set PYTHONUNBUFFERED"
        ]
    );
    assert_eq!(
        python.seen_args,
        [b"python".to_vec(), b"-c".to_vec(), b"print(6*7)".to_vec()]
    );
}

#[test]
fn second_run_reuses_the_mount() {
    let mut board = FakeBoard::default();
    let mut python = fake_python(0);
    python_with(&[b"python"], &mut board, &mut python);
    board.events.clear();
    python_with(&[b"python"], &mut board, &mut python);
    assert!(
        !board
            .events
            .iter()
            .any(|e| e.starts_with("mount") || e == "register"),
        "{:?}",
        board.events
    );
    assert_eq!(python.runs, 2);
}

#[test]
fn python_status_becomes_the_task_status() {
    for (python_status, task) in [(0, 0), (1, 1), (2, 2), (7, 7), (256, 1)] {
        let mut board = FakeBoard::default();
        let (status, _) = python_with(&[b"python"], &mut board, &mut fake_python(python_status));
        assert_eq!(status, task, "Python returned {python_status}");
    }
}

#[test]
fn user_environment_is_kept() {
    let mut board = FakeBoard::default();
    board.env.insert("PYTHONHOME".into(), "/mnt/sd".into());
    python_with(&[b"python"], &mut board, &mut fake_python(0));
    assert_eq!(board.env["PYTHONHOME"], "/mnt/sd");
    assert_eq!(board.env["PYTHON_BASIC_REPL"], "1");
}

#[test]
fn launcher_failures_are_one_line_and_python_does_not_run() {
    let cases = [
        (
            FakeBoard {
                mount_point_is_file: true,
                ..FakeBoard::default()
            },
            "python: cannot mount /dev/ram1 at /usr/local/lib: it exists and is not a directory\n",
        ),
        (
            FakeBoard {
                setenv_fails: true,
                ..FakeBoard::default()
            },
            "python: cannot set PYTHONHOME: ENOMEM\n",
        ),
    ];
    for (mut board, expected) in cases {
        let mut python = fake_python(0);
        let (status, stderr) = python_with(&[b"python"], &mut board, &mut python);
        assert_eq!(status, LAUNCH_FAILED);
        assert_eq!(stderr, expected);
        assert_eq!(python.runs, 0);
    }
}

#[test]
fn non_utf8_and_long_arguments_reach_python_unchanged() {
    let long = vec![b'a'; 4096];
    let odd: &[u8] = b"\xff\xfe-\xe9";
    let mut board = FakeBoard::default();
    let mut python = fake_python(0);
    python_with(&[b"python", odd, &long], &mut board, &mut python);
    assert_eq!(python.seen_args[1], odd);
    assert_eq!(python.seen_args[2].len(), 4096);
}

#[test]
fn empty_command_line_is_refused() {
    let mut board = FakeBoard::default();
    let mut python = fake_python(0);
    let mut stderr: Vec<u8> = Vec::new();
    let status = unsafe {
        run(
            &mut board,
            &mut python,
            &mut stderr,
            &config(),
            image(),
            0,
            core::ptr::null_mut(),
        )
    };
    assert_eq!(status, LAUNCH_FAILED);
    assert_eq!(
        String::from_utf8(stderr).unwrap(),
        "python: started without a command line (argc is 0)\n".to_string()
    );
    assert_eq!(python.runs, 0);
}
