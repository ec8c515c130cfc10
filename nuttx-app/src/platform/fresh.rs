// SPDX-License-Identifier: Apache-2.0
//! CPython's state that outlives a task, made fresh before every run
//! (`launcher::fresh` decides when; this is how on NuttX).
//!
//! - Static data: the Makefile links libpython and its helper archives into
//!   one object (libpython.ld), so its writable data lies in one range
//!   (`pyrs_python_data_*`) and its zeroed data in another
//!   (`pyrs_python_bss_*`). The first run copies the data range to the
//!   system heap, where it stays for the boot; later runs copy it back and
//!   zero the other.
//! - Heap: libpython's `malloc`/`calloc`/`realloc`/`free` are renamed to the
//!   `pyrs_python_*` functions below, which allocate from a NuttX heap of
//!   its own (`mm_initialize_heap`) over one block of the system heap. The
//!   first run reserves the block (CONFIG_INTERPRETERS_PYTHON_RS_HEAP_SIZE)
//!   and it stays reserved, so a later run cannot fail for a fragmented
//!   system heap; every run starts with it empty. `free` in NSH lists it as
//!   the heap `python`.
//!
//! Only the task that holds the launcher's claim calls these, while no
//! CPython runs: nothing else reads or writes the ranges meanwhile.

use core::ffi::c_void;
use core::ptr;
use core::sync::atomic::{AtomicPtr, Ordering};

use launcher::PythonState;
use nuttx::Errno;
use nuttx_sys as sys;
use nuttx_sys::kconfig as k;

extern "C" {
    // Bounds set by libpython.ld; only their addresses are used.
    static pyrs_python_data_start: u8;
    static pyrs_python_data_end: u8;
    static pyrs_python_bss_start: u8;
    static pyrs_python_bss_end: u8;
}

const HEAP_SIZE: usize = k::CONFIG_INTERPRETERS_PYTHON_RS_HEAP_SIZE as usize;

/// The copy of the data range as the build left it; null until saved.
static PRISTINE: AtomicPtr<u8> = AtomicPtr::new(ptr::null_mut());
/// CPython's heap; null until reserved.
static HEAP: AtomicPtr<sys::mm_heap_s> = AtomicPtr::new(ptr::null_mut());
/// The block of the system heap it lies in.
static BLOCK: AtomicPtr<c_void> = AtomicPtr::new(ptr::null_mut());

/// A range of libpython's memory, from the addresses of two bound symbols.
/// Its pointer carries exposed provenance: the range belongs to no Rust
/// object, and the bounds are two symbols, not one.
fn range(start: *const u8, end: *const u8) -> (*mut u8, usize) {
    let start = start.expose_provenance();
    let len = end.expose_provenance() - start;
    (ptr::with_exposed_provenance_mut(start), len)
}

fn data() -> (*mut u8, usize) {
    range(
        ptr::addr_of!(pyrs_python_data_start),
        ptr::addr_of!(pyrs_python_data_end),
    )
}

fn bss() -> (*mut u8, usize) {
    range(
        ptr::addr_of!(pyrs_python_bss_start),
        ptr::addr_of!(pyrs_python_bss_end),
    )
}

/// Sets up CPython's heap over the reserved block.
fn initialize_heap(block: *mut c_void) -> *mut sys::mm_heap_s {
    // SAFETY: config is plain data; all-zero is its documented default.
    let mut config: sys::mm_heap_config_s = unsafe { core::mem::zeroed() };
    config.name = c"python".as_ptr();
    config.start = block;
    config.size = HEAP_SIZE;
    // SAFETY: the block is HEAP_SIZE bytes that only this heap uses; NuttX
    // keeps the heap's own state at its start.
    unsafe { sys::mm_initialize_heap(&config) }
}

pub struct NuttxState;

impl PythonState for NuttxState {
    fn statics_saved(&self) -> bool {
        !PRISTINE.load(Ordering::Acquire).is_null()
    }

    fn save_statics(&mut self) -> Result<(), Errno> {
        let (data, len) = data();
        // SAFETY: malloc has no preconditions.
        let copy = unsafe { sys::malloc(len as _) }.cast::<u8>();
        if copy.is_null() {
            return Err(Errno::ENOMEM);
        }
        // SAFETY: both ranges are len bytes, distinct; no CPython runs.
        unsafe { ptr::copy_nonoverlapping(data, copy, len) };
        PRISTINE.store(copy, Ordering::Release);
        Ok(())
    }

    fn restore_statics(&mut self) {
        let (data, len) = data();
        let (bss, bss_len) = bss();
        let pristine = PRISTINE.load(Ordering::Acquire);
        // SAFETY: pristine holds len bytes saved from data; no CPython
        // runs, so nothing uses either range.
        unsafe { ptr::copy_nonoverlapping(pristine, data, len) };
        // SAFETY: as above, for the zeroed range.
        unsafe { ptr::write_bytes(bss, 0, bss_len) };
    }

    fn heap_reserved(&self) -> bool {
        !HEAP.load(Ordering::Acquire).is_null()
    }

    fn reserve_heap(&mut self) -> Result<(), Errno> {
        // SAFETY: malloc has no preconditions.
        let block = unsafe { sys::malloc(HEAP_SIZE as _) };
        if block.is_null() {
            return Err(Errno::ENOMEM);
        }
        BLOCK.store(block, Ordering::Release);
        HEAP.store(initialize_heap(block), Ordering::Release);
        Ok(())
    }

    fn reset_heap(&mut self) {
        // SAFETY: the heap was set up by initialize_heap and no CPython
        // runs: nothing holds its blocks. Uninitialising first keeps procfs
        // from listing it twice.
        unsafe { sys::mm_uninitialize(HEAP.load(Ordering::Acquire)) };
        HEAP.store(
            initialize_heap(BLOCK.load(Ordering::Acquire)),
            Ordering::Release,
        );
    }
}

// libpython's heap calls (renamed by the Makefile). Blocks that the C
// library allocated for CPython (it cannot see the rename) come from the
// system heap and go back there. (`as _`: the C library's size_t, which is
// as wide as usize on every NuttX target.)

fn heap() -> *mut sys::mm_heap_s {
    HEAP.load(Ordering::Acquire)
}

/// Whether `mem` is a block of CPython's heap.
fn ours(heap: *mut sys::mm_heap_s, mem: *mut c_void) -> bool {
    // SAFETY: mm_heapmember only compares addresses with the heap's bounds.
    !heap.is_null() && unsafe { sys::mm_heapmember(heap, mem) }
}

#[no_mangle]
extern "C" fn pyrs_python_malloc(size: usize) -> *mut c_void {
    let heap = heap();
    if heap.is_null() {
        // Before the first run, when CPython cannot run: the system heap.
        // SAFETY: malloc has no preconditions.
        return unsafe { sys::malloc(size as _) };
    }
    // SAFETY: heap is CPython's heap, set up by initialize_heap.
    unsafe { sys::mm_malloc(heap, size) }
}

#[no_mangle]
extern "C" fn pyrs_python_calloc(count: usize, size: usize) -> *mut c_void {
    let heap = heap();
    if heap.is_null() {
        // SAFETY: calloc checks count * size for overflow.
        return unsafe { sys::calloc(count as _, size as _) };
    }
    // SAFETY: heap is CPython's heap; mm_calloc checks the product.
    unsafe { sys::mm_calloc(heap, count, size) }
}

/// # Safety
/// `mem` is null or a live block from these functions or the C library.
#[no_mangle]
unsafe extern "C" fn pyrs_python_realloc(mem: *mut c_void, size: usize) -> *mut c_void {
    if mem.is_null() {
        return pyrs_python_malloc(size);
    }
    let heap = heap();
    if ours(heap, mem) {
        // SAFETY: mem is a live block of CPython's heap (caller, checked).
        unsafe { sys::mm_realloc(heap, mem, size) }
    } else {
        // SAFETY: mem is a live block of the system heap (caller, checked).
        unsafe { sys::realloc(mem, size as _) }
    }
}

/// # Safety
/// `mem` is null or a live block from these functions or the C library.
#[no_mangle]
unsafe extern "C" fn pyrs_python_free(mem: *mut c_void) {
    if mem.is_null() {
        return;
    }
    let heap = heap();
    if ours(heap, mem) {
        // SAFETY: mem is a live block of CPython's heap (caller, checked).
        unsafe { sys::mm_free(heap, mem) }
    } else {
        // SAFETY: mem is a live block of the system heap (caller, checked).
        unsafe { sys::free(mem) }
    }
}
