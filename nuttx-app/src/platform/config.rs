// SPDX-License-Identifier: Apache-2.0
//! The launcher's settings, straight from the NuttX `.config`.

use launcher::EnvConfig;
use mount::MountConfig;
use nuttx::Errno;
use nuttx_sys::kconfig as k;

use launcher::LaunchConfig;

const _: () = assert!(
    k::CONFIG_INTERPRETERS_PYTHON_RS_ROMDISK_MINOR >= 0
        && k::CONFIG_INTERPRETERS_PYTHON_RS_ROMDISK_MINOR <= 255
);
const _: () = assert!(
    k::CONFIG_INTERPRETERS_PYTHON_RS_SECTORSIZE > 0
        && k::CONFIG_INTERPRETERS_PYTHON_RS_SECTORSIZE <= 65535
);

pub static LAUNCH: LaunchConfig<'static> = LaunchConfig {
    program: k::CONFIG_INTERPRETERS_PYTHON_RS_PROGNAME,
    mount: MountConfig {
        mount_point: k::CONFIG_INTERPRETERS_PYTHON_RS_MOUNTPOINT,
        minor: k::CONFIG_INTERPRETERS_PYTHON_RS_ROMDISK_MINOR as u8,
        sector_size: k::CONFIG_INTERPRETERS_PYTHON_RS_SECTORSIZE as u16,
    },
    env: EnvConfig {
        home: k::CONFIG_INTERPRETERS_PYTHON_RS_HOME,
        path: k::CONFIG_INTERPRETERS_PYTHON_RS_PATH,
        basic_repl: k::CONFIG_INTERPRETERS_PYTHON_RS_BASIC_REPL,
        colors: k::CONFIG_INTERPRETERS_PYTHON_RS_COLORS,
        unbuffered: k::CONFIG_INTERPRETERS_PYTHON_RS_UNBUFFERED,
        force: k::CONFIG_INTERPRETERS_PYTHON_RS_FORCE_ENV,
    },
    xoptions: k::CONFIG_INTERPRETERS_PYTHON_RS_XOPTIONS,
    heap_size: k::CONFIG_INTERPRETERS_PYTHON_RS_HEAP_SIZE as u32,
};

const _: () = assert!(
    k::CONFIG_INTERPRETERS_PYTHON_RS_HEAP_SIZE > 0
        && k::CONFIG_INTERPRETERS_PYTHON_RS_HEAP_SIZE <= u32::MAX as i64
);

const _: () = assert!(
    k::CONFIG_INTERPRETERS_PYTHON_RS_XOPTIONS.to_bytes().len() <= launcher::argv::XOPTIONS_MAX_LEN,
    "CONFIG_INTERPRETERS_PYTHON_RS_XOPTIONS is longer than 255 characters"
);

/// The image's address and size, as python_rs_romfs.S lays them out.
#[repr(C)]
struct ImageDescriptor {
    start: *const u8,
    size: usize,
}

extern "C" {
    // The ROMFS image in .rodata, described by the app's python_rs_romfs.S.
    static python_rs_romfs: ImageDescriptor;
}

/// The standard library image built into the firmware.
pub fn image() -> &'static [u8] {
    // SAFETY: python_rs_romfs.S describes one read-only blob of `size`
    // bytes at `start`, which lives as long as the firmware and is never
    // written.
    unsafe { core::slice::from_raw_parts(python_rs_romfs.start, python_rs_romfs.size) }
}

// The messages name errno values by the numbers in the `mount` crate; make
// sure they are NuttX's.
macro_rules! same_errno {
    ($($name:ident)*) => { $(const _: () = assert!(Errno::$name.0 == nuttx_sys::$name as i32);)* };
}
same_errno!(EPERM ENOENT EIO ENXIO ENOMEM EACCES EFAULT ENOTBLK EBUSY EEXIST ENODEV ENOTDIR EISDIR EINVAL ENOSPC EROFS ENAMETOOLONG ENOSYS);
