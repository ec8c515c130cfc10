// SPDX-License-Identifier: Apache-2.0
//! The OS calls behind `MountOs` and `Environment`.

use core::ffi::CStr;
use core::mem::MaybeUninit;

use launcher::Environment;
use mount::{MountOs, Node};
use nuttx::{check, Errno, File};
use nuttx_sys as sys;

pub struct Nuttx;

impl MountOs for Nuttx {
    type Table = File;

    fn open_mount_table(&mut self) -> Result<File, Errno> {
        File::open(c"/proc/fs/mount")
    }

    fn node_at(&mut self, path: &CStr) -> Result<Node, Errno> {
        let mut info = MaybeUninit::<sys::stat>::uninit();
        // SAFETY: path is NUL-terminated; info is written by stat().
        match check(unsafe { sys::stat(path.as_ptr(), info.as_mut_ptr()) }) {
            Ok(_) => {
                // SAFETY: stat() succeeded and filled info.
                // mode_t is not the same width in every configuration.
                #[allow(clippy::unnecessary_cast)]
                let mode = unsafe { info.assume_init() }.st_mode as u32;
                Ok(if mode & sys::S_IFMT == sys::S_IFDIR {
                    Node::Directory
                } else {
                    Node::Other
                })
            }
            Err(Errno::ENOENT) => Ok(Node::Missing),
            Err(errno) => Err(errno),
        }
    }

    fn register_rom_disk(
        &mut self,
        minor: u8,
        sectors: u32,
        sector_size: u16,
        image: &'static [u8],
    ) -> Result<(), Errno> {
        let desc = sys::boardioc_romdisk_s {
            minor,
            nsectors: sectors,
            sectsize: sector_size,
            image: image.as_ptr(),
        };
        // SAFETY: desc outlives the call; NuttX keeps only the image pointer,
        // which is 'static.
        check(unsafe {
            sys::boardctl(
                sys::BOARDIOC_ROMDISK as _,
                core::ptr::addr_of!(desc) as usize,
            )
        })
        .map(drop)
    }

    fn mount_romfs(&mut self, device: &CStr, mount_point: &CStr) -> Result<(), Errno> {
        // SAFETY: all strings are NUL-terminated; romfs takes no data.
        check(unsafe {
            sys::mount(
                device.as_ptr(),
                mount_point.as_ptr(),
                c"romfs".as_ptr(),
                sys::MS_RDONLY as _,
                core::ptr::null(),
            )
        })
        .map(drop)
    }
}

impl Environment for Nuttx {
    fn is_set(&mut self, name: &CStr) -> bool {
        // SAFETY: name is NUL-terminated.
        !unsafe { sys::getenv(name.as_ptr()) }.is_null()
    }

    fn set(&mut self, name: &CStr, value: &CStr) -> Result<(), Errno> {
        // SAFETY: both are NUL-terminated; setenv copies them.
        check(unsafe { sys::setenv(name.as_ptr(), value.as_ptr(), 1) }).map(drop)
    }
}
