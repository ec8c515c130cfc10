// SPDX-License-Identifier: Apache-2.0
//! Reading NuttX's mount table (`/proc/fs/mount`) to find what is mounted
//! at exactly one path.
//!
//! Each line reads `  <mount point> type <fs type>`. Matching compares the
//! whole mount point, so `/usr/local/lib2` is not taken for `/usr/local/lib`.

use embedded_io::Read;
use heapless::Vec;

/// Longest line kept; NuttX paths are at most `PATH_MAX` (256) bytes.
const LINE_CAP: usize = 300;
/// Longest file system type name kept (`romfs`, `vfat`, `hostfs`, ...).
const FS_TYPE_CAP: usize = 16;

/// The name of a mounted file system type, as the table spells it.
pub type FsType = Vec<u8, FS_TYPE_CAP>;

/// Scans `table` for a file system mounted at exactly `mount_point` and
/// returns its type. Lines too long to hold cannot name our mount point
/// and are skipped.
pub fn mounted_type<R: Read>(mut table: R, mount_point: &[u8]) -> Result<Option<FsType>, R::Error> {
    let mut line: Vec<u8, LINE_CAP> = Vec::new();
    let mut overflow = false;
    let mut chunk = [0u8; 64];
    loop {
        let n = table.read(&mut chunk)?;
        let end_of_table = n == 0;
        let bytes = if end_of_table {
            &b"\n"[..]
        } else {
            chunk.get(..n).unwrap_or_default()
        };
        for &byte in bytes {
            if byte == b'\n' {
                if !overflow {
                    if let Some(found) = match_line(&line, mount_point) {
                        return Ok(Some(found));
                    }
                }
                line.clear();
                overflow = false;
            } else if line.push(byte).is_err() {
                overflow = true;
            }
        }
        if end_of_table {
            return Ok(None);
        }
    }
}

fn match_line(line: &[u8], mount_point: &[u8]) -> Option<FsType> {
    const SEPARATOR: &[u8] = b" type ";
    // `get` instead of indexing: no panic path, so no `core::fmt` linked.
    let line = line.trim_ascii_start();
    let at = line
        .windows(SEPARATOR.len())
        .rposition(|window| window == SEPARATOR)?;
    if line.get(..at)? != mount_point {
        return None;
    }
    let fs_type = line.get(at + SEPARATOR.len()..)?.trim_ascii_end();
    FsType::from_slice(fs_type.get(..FS_TYPE_CAP).unwrap_or(fs_type)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `step` bytes a call, like a pipe.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl embedded_io::ErrorType for Trickle<'_> {
        type Error = embedded_io::ErrorKind;
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
            let n = self.step.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    fn lookup(table: &str, step: usize, path: &str) -> Option<FsType> {
        let reader = Trickle {
            bytes: table.as_bytes(),
            step,
        };
        mounted_type(reader, path.as_bytes()).unwrap()
    }

    const TABLE: &str =
        "  /bin type binfs\n  /etc type romfs\n  /proc type procfs\n  /usr/local/lib type romfs\n";

    #[test]
    fn finds_an_exact_mount_point() {
        assert_eq!(
            lookup(TABLE, 64, "/usr/local/lib").as_deref(),
            Some(&b"romfs"[..])
        );
        assert_eq!(lookup(TABLE, 64, "/proc").as_deref(), Some(&b"procfs"[..]));
    }

    #[test]
    fn a_prefix_or_extension_is_not_a_match() {
        let table = "  /usr/local/lib2 type romfs\n  /usr/local type vfat\n";
        assert_eq!(lookup(table, 64, "/usr/local/lib"), None);
        assert_eq!(lookup(TABLE, 64, "/usr/local/li"), None);
        assert_eq!(lookup(TABLE, 64, "/usr/local/lib/python3.13"), None);
    }

    #[test]
    fn lines_split_across_reads_still_match() {
        for step in [1, 3, 7, 64] {
            assert_eq!(
                lookup(TABLE, step, "/usr/local/lib").as_deref(),
                Some(&b"romfs"[..])
            );
        }
    }

    #[test]
    fn last_line_without_newline_is_read() {
        let table = "  /proc type procfs\n  /usr/local/lib type romfs";
        assert_eq!(
            lookup(table, 5, "/usr/local/lib").as_deref(),
            Some(&b"romfs"[..])
        );
    }

    #[test]
    fn empty_table_has_nothing_mounted() {
        assert_eq!(lookup("", 64, "/usr/local/lib"), None);
    }

    #[test]
    fn overlong_lines_are_skipped_without_losing_the_next() {
        let mut table = std::string::String::from("  /");
        table.push_str(&"x".repeat(1000));
        table.push_str(" type vfat\n  /usr/local/lib type romfs\n");
        assert_eq!(
            lookup(&table, 64, "/usr/local/lib").as_deref(),
            Some(&b"romfs"[..])
        );
    }

    #[test]
    fn a_path_containing_type_is_read_to_the_last_separator() {
        let table = "  /mnt/a type b type vfat\n";
        assert_eq!(
            lookup(table, 64, "/mnt/a type b").as_deref(),
            Some(&b"vfat"[..])
        );
    }
}
