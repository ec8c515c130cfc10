// SPDX-License-Identifier: Apache-2.0
//! Every run starts like the first run after boot.
//!
//! A flat NuttX build keeps libpython's static data and the shared heap
//! alive between runs, and CPython cleans up only when it returns normally.
//! So before every run, whatever the last one did (returned, called
//! `exit()`, `os._exit()`, hit a fatal error, was killed), the launcher
//! puts CPython's writable static data back as the build left it, and
//! empties the heap CPython allocates from. The first run saves the
//! pristine data and reserves that heap; later runs restore and reset.
//! Nothing here depends on how the last run ended: a killed run that
//! cleaned nothing up is reset like a clean one.

use nuttx::Errno;

/// The state of CPython that outlives a task: its static data and its heap.
pub trait PythonState {
    /// Whether the pristine copy of CPython's writable data was saved.
    fn statics_saved(&self) -> bool;
    /// Saves CPython's writable data as it is before the first run.
    fn save_statics(&mut self) -> Result<(), Errno>;
    /// Puts the saved data back and zeroes CPython's `.bss`.
    fn restore_statics(&mut self);
    /// Whether CPython's heap is reserved.
    fn heap_reserved(&self) -> bool;
    /// Reserves CPython's heap (empty).
    fn reserve_heap(&mut self) -> Result<(), Errno>;
    /// Empties CPython's heap: every block of earlier runs is gone.
    fn reset_heap(&mut self);
}

/// Why a run could not start fresh.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FreshError {
    /// No memory for the copy of CPython's static data.
    SaveStatics(Errno),
    /// No memory for CPython's heap.
    ReserveHeap(Errno),
}

/// Makes CPython's state what it was before the first run of the boot.
/// Call it only while no CPython runs (the launcher's claim).
pub fn start_fresh<S: PythonState>(state: &mut S) -> Result<(), FreshError> {
    if state.statics_saved() {
        state.restore_statics();
    } else {
        state.save_statics().map_err(FreshError::SaveStatics)?;
    }
    if state.heap_reserved() {
        state.reset_heap();
    } else {
        state.reserve_heap().map_err(FreshError::ReserveHeap)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec;
    use std::vec::Vec;

    /// CPython's state as memory: static data that runs change, and a heap
    /// that counts its blocks.
    struct Memory {
        data: Vec<u8>,
        bss: Vec<u8>,
        saved: Option<Vec<u8>>,
        heap: Option<Vec<usize>>,
        free_bytes: usize,
        heap_size: usize,
    }

    const BUILT: [u8; 4] = [1, 2, 3, 4];

    impl Memory {
        fn after_boot() -> Self {
            Memory {
                data: BUILT.to_vec(),
                bss: vec![0; 4],
                saved: None,
                heap: None,
                free_bytes: 100,
                heap_size: 64,
            }
        }

        /// What a run does to the state, however it ends.
        fn run(&mut self) {
            self.data[0] = 99;
            self.bss[3] = 7;
            self.heap.as_mut().unwrap().push(16);
        }
    }

    impl PythonState for Memory {
        fn statics_saved(&self) -> bool {
            self.saved.is_some()
        }
        fn save_statics(&mut self) -> Result<(), Errno> {
            if self.free_bytes < self.data.len() {
                return Err(Errno::ENOMEM);
            }
            self.free_bytes -= self.data.len();
            self.saved = Some(self.data.clone());
            Ok(())
        }
        fn restore_statics(&mut self) {
            self.data = self.saved.clone().unwrap();
            self.bss.fill(0);
        }
        fn heap_reserved(&self) -> bool {
            self.heap.is_some()
        }
        fn reserve_heap(&mut self) -> Result<(), Errno> {
            if self.free_bytes < self.heap_size {
                return Err(Errno::ENOMEM);
            }
            self.free_bytes -= self.heap_size;
            self.heap = Some(Vec::new());
            Ok(())
        }
        fn reset_heap(&mut self) {
            self.heap = Some(Vec::new());
        }
    }

    #[test]
    fn first_run_saves_the_data_as_built_and_reserves_an_empty_heap() {
        let mut memory = Memory::after_boot();
        start_fresh(&mut memory).unwrap();
        assert_eq!(memory.saved.as_deref(), Some(&BUILT[..]));
        assert_eq!(memory.heap.as_deref(), Some(&[][..]));
        assert_eq!(memory.free_bytes, 100 - 4 - 64);
    }

    #[test]
    fn a_run_after_a_killed_one_sees_the_state_of_the_first() {
        let mut memory = Memory::after_boot();
        start_fresh(&mut memory).unwrap();
        memory.run(); // and is killed: nothing cleaned up
        start_fresh(&mut memory).unwrap();
        assert_eq!(memory.data, BUILT);
        assert_eq!(memory.bss, [0; 4]);
        assert_eq!(memory.heap.as_deref(), Some(&[][..]));
    }

    #[test]
    fn later_runs_take_no_more_memory() {
        let mut memory = Memory::after_boot();
        start_fresh(&mut memory).unwrap();
        let free = memory.free_bytes;
        for _ in 0..100 {
            memory.run();
            start_fresh(&mut memory).unwrap();
        }
        assert_eq!(memory.free_bytes, free);
        assert_eq!(memory.saved.as_deref(), Some(&BUILT[..]));
    }

    #[test]
    fn no_memory_for_the_copy_or_the_heap_is_an_error() {
        let mut memory = Memory::after_boot();
        memory.free_bytes = 2;
        assert_eq!(
            start_fresh(&mut memory),
            Err(FreshError::SaveStatics(Errno::ENOMEM))
        );
        let mut memory = Memory::after_boot();
        memory.free_bytes = 10;
        assert_eq!(
            start_fresh(&mut memory),
            Err(FreshError::ReserveHeap(Errno::ENOMEM))
        );
        // The copy was kept: the next try only needs the heap.
        memory.free_bytes += 64;
        start_fresh(&mut memory).unwrap();
        assert_eq!(memory.saved.as_deref(), Some(&BUILT[..]));
    }
}
