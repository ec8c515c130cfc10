// SPDX-License-Identifier: Apache-2.0
//! Mounting the CPython standard library image that is built into the firmware.
//!
//! [`ensure_mounted`] makes the first `python` of a boot register the image as
//! a ROM disk and mount it, and lets every later run reuse that mount. Each
//! decision is made here, in plain logic; the calls into NuttX sit behind the
//! small [`MountOs`] trait, so the host tests drive every path with a fake.
//!
//! ```
//! # use mount::{MountConfig, MountOs, Mounted, Node};
//! # use nuttx::Errno;
//! # struct NoOs;
//! # impl MountOs for NoOs {
//! #     type Table = &'static [u8];
//! #     fn open_mount_table(&mut self) -> Result<Self::Table, Errno> { Ok(b"") }
//! #     fn node_at(&mut self, _: &core::ffi::CStr) -> Result<Node, Errno> { Ok(Node::Missing) }
//! #     fn register_rom_disk(&mut self, _: u8, _: u32, _: u16, _: &'static [u8]) -> Result<(), Errno> { Ok(()) }
//! #     fn mount_romfs(&mut self, _: &core::ffi::CStr, _: &core::ffi::CStr) -> Result<(), Errno> { Ok(()) }
//! # }
//! # static IMAGE: [u8; 0] = [];
//! let config = MountConfig {
//!     mount_point: c"/usr/local/lib",
//!     minor: 1,
//!     sector_size: 64,
//! };
//! assert_eq!(config.device().as_c_str(), c"/dev/ram1");
//! // An empty image is refused before NuttX is asked anything.
//! assert!(mount::ensure_mounted(&mut NoOs, &config, &IMAGE).is_err());
//! ```
#![no_std]

#[cfg(any(test, feature = "fixtures"))]
extern crate std;

mod device;
pub mod image;
pub mod table;

use core::ffi::CStr;

pub use device::{device_path, DevicePath};
pub use image::{ImageError, RomfsImage};
pub use nuttx::Errno;
pub use table::FsType;

/// What kind of node a path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node {
    /// Nothing there yet; `mount` creates the mount point.
    Missing,
    Directory,
    /// A file, device or anything else that cannot be a mount point.
    Other,
}

/// The NuttX calls mounting needs.
pub trait MountOs {
    /// The open mount table (`/proc/fs/mount`).
    type Table: embedded_io::Read<Error: Into<Errno>>;

    fn open_mount_table(&mut self) -> Result<Self::Table, Errno>;
    /// `stat` of `path`, reduced to what matters for a mount point.
    fn node_at(&mut self, path: &CStr) -> Result<Node, Errno>;
    /// `boardctl(BOARDIOC_ROMDISK)`: serve `image` as `/dev/ram<minor>`.
    fn register_rom_disk(
        &mut self,
        minor: u8,
        sectors: u32,
        sector_size: u16,
        image: &'static [u8],
    ) -> Result<(), Errno>;
    /// `mount(device, mount_point, "romfs", MS_RDONLY)`.
    fn mount_romfs(&mut self, device: &CStr, mount_point: &CStr) -> Result<(), Errno>;
}

/// Where the image goes, as configured in Kconfig.
#[derive(Clone, Copy, Debug)]
pub struct MountConfig<'a> {
    pub mount_point: &'a CStr,
    /// The ROM disk is `/dev/ram<minor>`.
    pub minor: u8,
    pub sector_size: u16,
}

impl MountConfig<'_> {
    /// The ROM disk's device path, `/dev/ram<minor>`.
    pub fn device(&self) -> DevicePath {
        device_path(self.minor)
    }
}

/// What [`ensure_mounted`] found or did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mounted {
    /// This call mounted the image.
    Now,
    /// An earlier run of this boot had mounted it.
    Already,
}

/// Why the standard library could not be mounted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MountError {
    /// The embedded image is missing or damaged.
    Image(ImageError),
    /// `/proc/fs/mount` could not be read.
    MountTable(Errno),
    /// Another file system is mounted at the mount point.
    Occupied(FsType),
    /// The mount point exists and is not a directory.
    NotADirectory,
    /// `stat` of the mount point failed.
    Inspect(Errno),
    /// The ROM disk could not be registered.
    Register(Errno),
    /// `mount` failed.
    Mount(Errno),
}

/// Mounts `image` at the configured mount point unless it is mounted there
/// already.
///
/// A ROM disk that is registered but not mounted (for example after a
/// `umount`) is mounted again rather than treated as an error.
pub fn ensure_mounted<O: MountOs>(
    os: &mut O,
    config: &MountConfig<'_>,
    image: &'static [u8],
) -> Result<Mounted, MountError> {
    let image = RomfsImage::parse(image).map_err(MountError::Image)?;
    let sectors = image
        .sectors(config.sector_size)
        .map_err(MountError::Image)?;

    match mounted_type(os, config)? {
        Some(fs_type) if fs_type.as_slice() == b"romfs" => {
            log::debug!("standard library already mounted");
            return Ok(Mounted::Already);
        }
        Some(other) => return Err(MountError::Occupied(other)),
        None => {}
    }

    match os.node_at(config.mount_point) {
        Ok(Node::Missing | Node::Directory) | Err(Errno::ENOENT) => {}
        Ok(Node::Other) => return Err(MountError::NotADirectory),
        Err(errno) => return Err(MountError::Inspect(errno)),
    }

    match os.register_rom_disk(config.minor, sectors, config.sector_size, image.bytes()) {
        Ok(()) | Err(Errno::EEXIST) => {}
        Err(errno) => return Err(MountError::Register(errno)),
    }

    match os.mount_romfs(config.device().as_c_str(), config.mount_point) {
        Ok(()) => {}
        // Another `python` task (the boot script, say) mounted it meanwhile.
        Err(errno @ (Errno::EBUSY | Errno::EEXIST)) => {
            return match mounted_type(os, config)? {
                Some(fs_type) if fs_type.as_slice() == b"romfs" => Ok(Mounted::Already),
                _ => Err(MountError::Mount(errno)),
            };
        }
        Err(errno) => return Err(MountError::Mount(errno)),
    }
    log::debug!("standard library mounted");
    Ok(Mounted::Now)
}

/// The type of the file system mounted at the mount point, if any.
fn mounted_type<O: MountOs>(
    os: &mut O,
    config: &MountConfig<'_>,
) -> Result<Option<FsType>, MountError> {
    let table = os.open_mount_table().map_err(MountError::MountTable)?;
    table::mounted_type(table, config.mount_point.to_bytes())
        .map_err(|errno| MountError::MountTable(errno.into()))
}

#[cfg(test)]
mod tests;
