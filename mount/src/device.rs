// SPDX-License-Identifier: Apache-2.0
//! The ROM disk's device path, `/dev/ram<minor>`, built without `core::fmt`.

use core::ffi::CStr;
use heapless::Vec;

const PREFIX: &[u8] = b"/dev/ram";

/// A NUL-terminated `/dev/ram<minor>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DevicePath(Vec<u8, 12>);

impl DevicePath {
    pub fn as_c_str(&self) -> &CStr {
        // SAFETY: built below from a prefix without NUL, digits and one
        // final NUL. (The checked constructor would link a memchr.)
        unsafe { CStr::from_bytes_with_nul_unchecked(&self.0) }
    }
}

/// The device path NuttX gives the ROM disk with minor number `minor`.
pub fn device_path(minor: u8) -> DevicePath {
    let mut path: Vec<u8, 12> = Vec::new();
    // "/dev/ram" (8) + up to 3 digits + NUL = 12: the pushes cannot fail.
    let _ = path.extend_from_slice(PREFIX);
    let digits = [minor / 100, minor / 10 % 10, minor % 10];
    let first = digits.iter().position(|&d| d != 0).unwrap_or(2);
    for digit in digits.iter().skip(first) {
        let _ = path.push(b'0' + digit);
    }
    let _ = path.push(0);
    DevicePath(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_ram_device_of_a_minor() {
        assert_eq!(device_path(0).as_c_str(), c"/dev/ram0");
        assert_eq!(device_path(1).as_c_str(), c"/dev/ram1");
        assert_eq!(device_path(10).as_c_str(), c"/dev/ram10");
        assert_eq!(device_path(105).as_c_str(), c"/dev/ram105");
        assert_eq!(device_path(255).as_c_str(), c"/dev/ram255");
    }
}
