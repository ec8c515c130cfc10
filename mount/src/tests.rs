// SPDX-License-Identifier: Apache-2.0
//! `ensure_mounted` against a fake NuttX.

use super::*;
use crate::image::fixture;
use std::boxed::Box;
use std::vec::Vec;

#[derive(Debug, PartialEq)]
enum Call {
    OpenTable,
    Stat,
    Register {
        minor: u8,
        sectors: u32,
        sector_size: u16,
        len: usize,
    },
    Mount {
        device: Vec<u8>,
        mount_point: Vec<u8>,
    },
}

struct FakeOs {
    table: Result<&'static [u8], Errno>,
    node: Result<Node, Errno>,
    register: Result<(), Errno>,
    mount: Result<(), Errno>,
    /// The table a concurrent `python` task leaves by mounting first.
    table_after_mount: Option<&'static [u8]>,
    calls: Vec<Call>,
}

impl FakeOs {
    fn fresh_boot() -> Self {
        FakeOs {
            table: Ok(b"  /proc type procfs\n  /tmp type tmpfs\n"),
            node: Ok(Node::Missing),
            register: Ok(()),
            mount: Ok(()),
            table_after_mount: None,
            calls: Vec::new(),
        }
    }
}

impl MountOs for FakeOs {
    type Table = &'static [u8];

    fn open_mount_table(&mut self) -> Result<Self::Table, Errno> {
        self.calls.push(Call::OpenTable);
        self.table
    }

    fn node_at(&mut self, _path: &CStr) -> Result<Node, Errno> {
        self.calls.push(Call::Stat);
        self.node
    }

    fn register_rom_disk(
        &mut self,
        minor: u8,
        sectors: u32,
        sector_size: u16,
        image: &'static [u8],
    ) -> Result<(), Errno> {
        self.calls.push(Call::Register {
            minor,
            sectors,
            sector_size,
            len: image.len(),
        });
        self.register
    }

    fn mount_romfs(&mut self, device: &CStr, mount_point: &CStr) -> Result<(), Errno> {
        self.calls.push(Call::Mount {
            device: device.to_bytes().to_vec(),
            mount_point: mount_point.to_bytes().to_vec(),
        });
        if let Some(table) = self.table_after_mount {
            self.table = Ok(table);
        }
        self.mount
    }
}

fn leaked_image(len: usize) -> &'static [u8] {
    fixture::static_image(len)
}

fn config() -> MountConfig<'static> {
    MountConfig {
        mount_point: c"/usr/local/lib",
        minor: 1,
        sector_size: 64,
    }
}

#[test]
fn first_run_registers_and_mounts() {
    let mut os = FakeOs::fresh_boot();
    assert_eq!(
        ensure_mounted(&mut os, &config(), leaked_image(4096)),
        Ok(Mounted::Now)
    );
    assert_eq!(
        os.calls,
        [
            Call::OpenTable,
            Call::Stat,
            Call::Register {
                minor: 1,
                sectors: 64,
                sector_size: 64,
                len: 4096
            },
            Call::Mount {
                device: b"/dev/ram1".to_vec(),
                mount_point: b"/usr/local/lib".to_vec()
            },
        ]
    );
}

#[test]
fn a_task_that_mounted_meanwhile_is_not_an_error() {
    let mut os = FakeOs::fresh_boot();
    os.table_after_mount = Some(b"  /usr/local/lib type romfs\n");
    for errno in [Errno::EBUSY, Errno::EEXIST] {
        os.mount = Err(errno);
        os.table = Ok(b"  /proc type procfs\n");
        assert_eq!(
            ensure_mounted(&mut os, &config(), leaked_image(1024)),
            Ok(Mounted::Already)
        );
    }
    os.table_after_mount = None;
    os.table = Ok(b"  /proc type procfs\n");
    assert_eq!(
        ensure_mounted(&mut os, &config(), leaked_image(1024)),
        Err(MountError::Mount(Errno::EEXIST))
    );
}

#[test]
fn later_run_reuses_the_mount() {
    let mut os = FakeOs::fresh_boot();
    os.table = Ok(b"  /proc type procfs\n  /usr/local/lib type romfs\n");
    assert_eq!(
        ensure_mounted(&mut os, &config(), leaked_image(1024)),
        Ok(Mounted::Already)
    );
    assert_eq!(os.calls, [Call::OpenTable]);
}

#[test]
fn a_mount_at_a_longer_path_does_not_count() {
    let mut os = FakeOs::fresh_boot();
    os.table = Ok(b"  /usr/local/lib2 type romfs\n");
    assert_eq!(
        ensure_mounted(&mut os, &config(), leaked_image(1024)),
        Ok(Mounted::Now)
    );
    assert!(matches!(os.calls.last(), Some(Call::Mount { .. })));
}

#[test]
fn registered_but_unmounted_disk_is_mounted_again() {
    let mut os = FakeOs::fresh_boot();
    os.register = Err(Errno::EEXIST);
    os.node = Ok(Node::Directory);
    assert_eq!(
        ensure_mounted(&mut os, &config(), leaked_image(1024)),
        Ok(Mounted::Now)
    );
    assert!(matches!(os.calls.last(), Some(Call::Mount { .. })));
}

#[test]
fn mount_point_that_is_a_file_is_refused_before_mounting() {
    let mut os = FakeOs::fresh_boot();
    os.node = Ok(Node::Other);
    assert_eq!(
        ensure_mounted(&mut os, &config(), leaked_image(1024)),
        Err(MountError::NotADirectory)
    );
    assert_eq!(os.calls, [Call::OpenTable, Call::Stat]);
}

#[test]
fn another_file_system_at_the_mount_point_is_reported() {
    let mut os = FakeOs::fresh_boot();
    os.table = Ok(b"  /usr/local/lib type vfat\n");
    let err = ensure_mounted(&mut os, &config(), leaked_image(1024)).unwrap_err();
    assert_eq!(
        err,
        MountError::Occupied(FsType::from_slice(b"vfat").unwrap())
    );
}

#[test]
fn corrupt_image_is_refused_before_touching_nuttx() {
    let mut os = FakeOs::fresh_boot();
    let mut bytes = fixture::image(1024);
    bytes[0] = b'+';
    let image: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    assert_eq!(
        ensure_mounted(&mut os, &config(), image),
        Err(MountError::Image(ImageError::BadMagic))
    );
    assert!(os.calls.is_empty());
}

#[test]
fn missing_image_is_reported() {
    let mut os = FakeOs::fresh_boot();
    assert_eq!(
        ensure_mounted(&mut os, &config(), &[]),
        Err(MountError::Image(ImageError::Missing))
    );
}

#[test]
fn unreadable_mount_table_is_reported() {
    let mut os = FakeOs::fresh_boot();
    os.table = Err(Errno::ENOENT);
    assert_eq!(
        ensure_mounted(&mut os, &config(), leaked_image(1024)),
        Err(MountError::MountTable(Errno::ENOENT))
    );
}

#[test]
fn stat_failure_other_than_missing_is_reported() {
    let mut os = FakeOs::fresh_boot();
    os.node = Err(Errno::EACCES);
    assert_eq!(
        ensure_mounted(&mut os, &config(), leaked_image(1024)),
        Err(MountError::Inspect(Errno::EACCES))
    );
    os.node = Err(Errno::ENOENT);
    assert_eq!(
        ensure_mounted(&mut os, &config(), leaked_image(1024)),
        Ok(Mounted::Now)
    );
}

#[test]
fn register_and_mount_failures_carry_their_errno() {
    let mut os = FakeOs::fresh_boot();
    os.register = Err(Errno::ENOMEM);
    assert_eq!(
        ensure_mounted(&mut os, &config(), leaked_image(1024)),
        Err(MountError::Register(Errno::ENOMEM))
    );
    let mut os = FakeOs::fresh_boot();
    os.mount = Err(Errno::ENODEV);
    assert_eq!(
        ensure_mounted(&mut os, &config(), leaked_image(1024)),
        Err(MountError::Mount(Errno::ENODEV))
    );
}

#[test]
fn sector_size_beyond_the_image_is_refused() {
    let mut os = FakeOs::fresh_boot();
    let mut cfg = config();
    cfg.sector_size = 2048;
    assert_eq!(
        ensure_mounted(&mut os, &cfg, leaked_image(1024)),
        Err(MountError::Image(ImageError::BadSectorSize {
            sector_size: 2048
        }))
    );
}
