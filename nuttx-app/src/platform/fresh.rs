// SPDX-License-Identifier: Apache-2.0
//! CPython's state that outlives a task, made fresh before every run
//! (`launcher::fresh` decides when; this is how on NuttX).
//!
//! - Static data: the Makefile links libpython and its helper archives into
//!   one object (libpython.ld), so its writable data lies in one range
//!   (`pyrs_python_data_*`) and its zeroed data in another
//!   (`pyrs_python_bss_*`). The first run packs the data range into the
//!   system heap (`launcher::snapshot`: zero words take no room), where it
//!   stays for the boot; later runs unpack it back and zero the other.
//! - Heap: libpython's `malloc`/`calloc`/`realloc`/`free`/`memalign` are
//!   renamed to the `pyrs_python_*` functions below, which allocate from a
//!   NuttX heap of its own (`mm_initialize_heap`) over one block of the
//!   system heap. The first run reserves the block
//!   (CONFIG_INTERPRETERS_PYTHON_RS_HEAP_SIZE) and it stays reserved, so a
//!   later run cannot fail for a fragmented system heap; every run starts
//!   with it empty. `free` in NSH lists it as the heap `python`.
//!
//! Only the task that holds the launcher's claim calls these, while no
//! CPython runs: nothing else reads or writes the ranges meanwhile.

use core::ffi::c_void;
use core::ptr;
use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use launcher::{snapshot, PythonState};
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

/// The packed copy of the data range as the build left it; null until
/// saved.
static PRISTINE: AtomicPtr<u8> = AtomicPtr::new(ptr::null_mut());
static PRISTINE_LEN: AtomicUsize = AtomicUsize::new(0);
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
        // SAFETY: the data range is len bytes that no CPython uses now.
        let data = unsafe { core::slice::from_raw_parts(data, len) };
        let packed_len = snapshot::packed_len(data);
        // SAFETY: malloc has no preconditions.
        let copy = unsafe { sys::malloc(packed_len as _) }.cast::<u8>();
        if copy.is_null() {
            return Err(Errno::ENOMEM);
        }
        // SAFETY: copy is a new block of packed_len bytes, apart from data.
        let packed = unsafe { core::slice::from_raw_parts_mut(copy, packed_len) };
        if !snapshot::pack(data, packed) {
            // SAFETY: copy is the block allocated above, used by nothing.
            unsafe { sys::free(copy.cast()) };
            return Err(Errno::EINVAL);
        }
        PRISTINE_LEN.store(packed_len, Ordering::Release);
        PRISTINE.store(copy, Ordering::Release);
        Ok(())
    }

    fn restore_statics(&mut self) {
        let (data, len) = data();
        let (bss, bss_len) = bss();
        let pristine = PRISTINE.load(Ordering::Acquire);
        let packed_len = PRISTINE_LEN.load(Ordering::Acquire);
        // SAFETY: pristine holds packed_len bytes packed from the data
        // range, and nothing else uses them.
        let packed = unsafe { core::slice::from_raw_parts(pristine, packed_len) };
        // SAFETY: the data range is len bytes that no CPython uses now.
        let data = unsafe { core::slice::from_raw_parts_mut(data, len) };
        // It fits: it was packed from this very range.
        let _unpacked = snapshot::unpack(packed, data);
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

#[no_mangle]
extern "C" fn pyrs_python_memalign(align: usize, size: usize) -> *mut c_void {
    let heap = heap();
    if heap.is_null() {
        // SAFETY: memalign checks the alignment.
        return unsafe { sys::memalign(align as _, size as _) };
    }
    // SAFETY: heap is CPython's heap; mm_memalign checks the alignment.
    unsafe { sys::mm_memalign(heap, align, size) }
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
