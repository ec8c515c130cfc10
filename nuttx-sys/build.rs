// SPDX-License-Identifier: Apache-2.0
//! Generates the raw NuttX bindings and the Kconfig module, for NuttX targets
//! only; on any other target the crate is empty and needs no libclang. Tells
//! the crates that use it which options are on (links metadata), so the
//! `.config` is read here only.
//!
//! Inputs (set by the app's Makefile):
//! - `NUTTX_TOPDIR`: the configured NuttX tree (its `.config` and `include/`);
//! - `NUTTX_CFLAGS` (optional): NuttX's compiler flags; the `-D`, `-U`, `-I`
//!   and `-isystem` ones reach clang so the headers see what GCC sees;
//! - `NUTTX_CC` (optional): NuttX's C compiler, whose own header folder
//!   (`stdarg.h`, `stddef.h`) clang gets, since Debian's libclang does not
//!   find its own.
// A build script reports a broken setup by panicking with its reason.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

#[path = "kconfig_gen.rs"]
mod kconfig_gen;

fn main() {
    println!("cargo:rerun-if-env-changed=NUTTX_TOPDIR");
    println!("cargo:rerun-if-env-changed=NUTTX_CFLAGS");
    println!("cargo:rerun-if-env-changed=NUTTX_CC");
    println!("cargo:rerun-if-changed=wrapper.h");
    if env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("nuttx") {
        return;
    }
    let topdir = PathBuf::from(env::var("NUTTX_TOPDIR").unwrap_or_else(|_| {
        panic!("NUTTX_TOPDIR is not set: build nuttx-sys through the app's Makefile, or point it at a configured NuttX tree")
    }));
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));

    let dotconfig = topdir.join(".config");
    println!("cargo:rerun-if-changed={}", dotconfig.display());
    let config = fs::read_to_string(&dotconfig).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}; configure NuttX first",
            dotconfig.display()
        )
    });
    fs::write(out.join("kconfig.rs"), kconfig_gen::kconfig_module(&config))
        .expect("write kconfig.rs");
    // For the crates that use this one (links = "nuttx"): they read it as
    // DEP_NUTTX_OPTIONS_ON and turn it into cfg(kconfig = "NAME").
    println!(
        "cargo::metadata=options_on={}",
        kconfig_gen::options_on(&config).join(" ")
    );

    bindings(&topdir)
        .write_to_file(out.join("bindings.rs"))
        .expect("write bindings.rs");
}

fn bindings(topdir: &Path) -> bindgen::Bindings {
    let include = topdir.join("include");
    println!(
        "cargo:rerun-if-changed={}",
        include.join("nuttx/config.h").display()
    );
    let mut args = vec![
        format!("--target={}", clang_target()),
        // NuttX's headers, never the host's.
        "-nostdinc".to_string(),
        format!("-isystem{}", include.display()),
    ];
    if let Ok(cc) = env::var("NUTTX_CC") {
        args.push(format!("-isystem{}", compiler_include_dir(&cc)));
    }
    let cflags = env::var("NUTTX_CFLAGS").unwrap_or_default();
    args.extend(preprocessor_flags(&cflags));

    bindgen::Builder::default()
        .header("wrapper.h")
        .clang_args(args)
        .use_core()
        .ctypes_prefix("core::ffi")
        .layout_tests(false)
        .generate_comments(false)
        // BOARDIOC_ROMDISK is a function-like macro expansion.
        .clang_macro_fallback()
        .allowlist_function(alternatives(FUNCTIONS))
        .allowlist_type(alternatives(TYPES))
        .allowlist_var(alternatives(VARS))
        .generate()
        .expect("bindgen could not read the NuttX headers")
}

/// What the launcher uses, by subsystem (names or regular expressions).
const FUNCTIONS: &[&str] = &[
    // file systems and the ROM disk
    "mount",
    "boardctl",
    "stat",
    "open",
    "read",
    "write",
    "close",
    "poll",
    "ioctl",
    // tasks and signals
    "task_create",
    "task_delete",
    "getpid",
    "kill",
    "sigemptyset",
    "sigaddset",
    "sigprocmask",
    "sigwaitinfo",
    "sigtimedwait",
    // memory: the system heap, and CPython's own heap
    "malloc",
    "calloc",
    "realloc",
    "free",
    "memalign",
    "mm_initialize_heap",
    "mm_uninitialize",
    "mm_malloc",
    "mm_calloc",
    "mm_realloc",
    "mm_free",
    "mm_heapmember",
    "mm_memalign",
    // C library
    "setenv",
    "getenv",
    "syslog",
    "__errno",
    "abort",
    "fflush",
    // NuttX's line editor (apps/system/readline)
    "readline_fd",
    "readline_prompt",
    // libpython
    "Py_BytesMain",
    "PyMem_Raw[A-Za-z]+",
    "PyGILState_[A-Za-z]+",
    "PyErr_CheckSignals",
];
const TYPES: &[&str] = &[
    "boardioc_romdisk_s",
    "stat",
    "pollfd",
    "sigset_t",
    "pid_t",
    "timespec",
    "mm_heap_s",
    "mm_heap_config_s",
];
const VARS: &[&str] = &[
    "BOARDIOC_ROMDISK",
    "MS_RDONLY",
    "O_RDONLY",
    "S_IFMT",
    "S_IFDIR",
    "POLLIN",
    "SIGINT",
    "SIG_BLOCK",
    "PYRS_TIOC[A-Z]+",
    "LOG_(ERR|WARNING|INFO|DEBUG)",
    "E[A-Z]+",
    "PyOS_ReadlineFunctionPointer",
];

/// One regular expression matching any of `names` whole.
fn alternatives(names: &[&str]) -> String {
    names.join("|")
}

/// `<cc> -print-file-name=include`: the compiler's own headers.
fn compiler_include_dir(cc: &str) -> String {
    let mut words = cc.split_whitespace();
    let program = words.next().expect("NUTTX_CC is empty");
    let output = std::process::Command::new(program)
        .args(words)
        .arg("-print-file-name=include")
        .output()
        .unwrap_or_else(|e| panic!("cannot run NUTTX_CC ({cc}): {e}"));
    String::from_utf8(output.stdout)
        .expect("compiler printed a UTF-8 path")
        .trim()
        .to_string()
}

/// The clang target for the Rust target being built.
fn clang_target() -> String {
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    match arch.as_str() {
        "arm" => "arm-none-eabi".into(),
        "aarch64" => "aarch64-none-elf".into(),
        other => format!("{other}-unknown-elf"),
    }
}

/// The flags of a GCC command line that change what the headers declare.
fn preprocessor_flags(cflags: &str) -> Vec<String> {
    let mut kept = Vec::new();
    let mut words = cflags.split_whitespace();
    while let Some(word) = words.next() {
        if word == "-isystem" || word == "-I" {
            if let Some(dir) = words.next() {
                kept.push(format!("{word}{dir}"));
            }
        } else if ["-D", "-U", "-I", "-isystem"]
            .iter()
            .any(|p| word.starts_with(p))
        {
            kept.push(word.to_string());
        }
    }
    kept
}
