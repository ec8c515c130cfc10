// SPDX-License-Identifier: Apache-2.0
//! The safe layer over `nuttx-sys` that every other crate uses:
//!
//! - [`Errno`]: error numbers as values with the names a user reads, on
//!   every target (the host tests use them too);
//! - with the feature `io` (on NuttX): [`check`] and [`errno`] for C return
//!   values, [`File`] (a descriptor closed on drop, with `embedded_io::Read`)
//!   and [`Stderr`].
#![no_std]

#[cfg(test)]
extern crate std;

mod errno;
#[cfg(feature = "io")]
mod io;

pub use errno::Errno;
#[cfg(feature = "io")]
pub use io::{check, errno, File, Stderr};
