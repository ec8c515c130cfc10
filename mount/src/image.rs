// SPDX-License-Identifier: Apache-2.0
//! The embedded ROMFS image: checks done before the image is handed to NuttX.
//!
//! A ROMFS image starts with the magic `-rom1fs-`, its full size (big endian)
//! and a checksum that makes the first 512 bytes sum to zero as big-endian
//! 32-bit words. Checking these catches a truncated or damaged image before
//! NuttX mounts it and Python fails later with a far less clear message.

const MAGIC: &[u8; 8] = b"-rom1fs-";
const HEADER_LEN: usize = 16;
const CHECKSUMMED_LEN: usize = 512;

/// Why the embedded image cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageError {
    /// Fewer bytes than a ROMFS header: the image was not linked in.
    Missing,
    /// The first bytes are not `-rom1fs-`.
    BadMagic,
    /// The header declares more bytes than the firmware holds.
    Truncated { declared: u32, embedded: usize },
    /// The checksum over the first 512 bytes does not add up.
    BadChecksum,
    /// The sector size is zero or the image is not padded to whole sectors.
    BadSectorSize { sector_size: u16 },
}

/// A validated ROMFS image and the ROM disk geometry that serves it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RomfsImage<'a> {
    bytes: &'a [u8],
    size: u32,
}

impl<'a> RomfsImage<'a> {
    /// Checks magic, declared size and checksum of `bytes`.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, ImageError> {
        if bytes.len() < HEADER_LEN {
            return Err(ImageError::Missing);
        }
        if !bytes.starts_with(MAGIC) {
            return Err(ImageError::BadMagic);
        }
        let size = be32(bytes.get(8..12).unwrap_or_default());
        if size as usize > bytes.len() || (size as usize) < HEADER_LEN {
            return Err(ImageError::Truncated {
                declared: size,
                embedded: bytes.len(),
            });
        }
        let checked = bytes.get(..CHECKSUMMED_LEN.min(size as usize));
        let sum = checked
            .unwrap_or_default()
            .chunks_exact(4)
            .fold(0u32, |sum, word| sum.wrapping_add(be32(word)));
        if sum != 0 {
            return Err(ImageError::BadChecksum);
        }
        Ok(Self { bytes, size })
    }

    /// The image bytes as embedded in the firmware.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The file system size the header declares.
    pub fn size(&self) -> u32 {
        self.size
    }

    /// Number of `sector_size` sectors that cover the file system.
    ///
    /// The ROM disk reads whole sectors, so they must all lie inside the
    /// embedded bytes; the build pads the image to whole sectors.
    pub fn sectors(&self, sector_size: u16) -> Result<u32, ImageError> {
        let bad = ImageError::BadSectorSize { sector_size };
        if sector_size == 0 {
            return Err(bad);
        }
        let sectors = self.size.div_ceil(u32::from(sector_size));
        let covered = u64::from(sectors) * u64::from(sector_size);
        if covered > self.bytes.len() as u64 {
            return Err(bad);
        }
        Ok(sectors)
    }
}

/// The big-endian word `word` holds; callers pass exactly four bytes.
///
/// This module (like the rest of the launcher) avoids indexing that can
/// panic: a panic path would link `core::fmt` into the firmware.
fn be32(word: &[u8]) -> u32 {
    u32::from_be_bytes(word.try_into().unwrap_or_default())
}

/// Well-formed ROMFS headers for tests (feature `fixtures`); host only,
/// where indexing may panic.
#[cfg(any(test, feature = "fixtures"))]
#[allow(clippy::indexing_slicing)]
pub mod fixture {
    /// A `len`-byte image (multiple of 16, at least 32) whose header
    /// declares `len` bytes and has a valid checksum.
    pub fn image(len: usize) -> std::vec::Vec<u8> {
        let mut bytes = std::vec![0u8; len];
        bytes[..8].copy_from_slice(b"-rom1fs-");
        bytes[8..12].copy_from_slice(&(len as u32).to_be_bytes());
        bytes[16..20].copy_from_slice(b"py\0\0");
        let sum = bytes[..512.min(len)].chunks_exact(4).fold(0u32, |s, w| {
            s.wrapping_add(u32::from_be_bytes([w[0], w[1], w[2], w[3]]))
        });
        bytes[12..16].copy_from_slice(&0u32.wrapping_sub(sum).to_be_bytes());
        bytes
    }

    /// [`image`], leaked so it can stand for the firmware's `'static` image.
    pub fn static_image(len: usize) -> &'static [u8] {
        std::boxed::Box::leak(image(len).into_boxed_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::image;
    use super::*;

    #[test]
    fn accepts_a_well_formed_image() {
        let bytes = image(1024);
        let parsed = RomfsImage::parse(&bytes).unwrap();
        assert_eq!(parsed.size(), 1024);
        assert_eq!(parsed.bytes().len(), 1024);
    }

    #[test]
    fn empty_or_tiny_image_is_missing() {
        assert_eq!(RomfsImage::parse(&[]), Err(ImageError::Missing));
        assert_eq!(RomfsImage::parse(b"-rom1fs-"), Err(ImageError::Missing));
    }

    #[test]
    fn rejects_wrong_magic() {
        let mut bytes = image(1024);
        bytes[..8].copy_from_slice(b"-rom2fs-");
        assert_eq!(RomfsImage::parse(&bytes), Err(ImageError::BadMagic));
    }

    #[test]
    fn rejects_size_beyond_embedded_bytes() {
        let bytes = image(2048);
        assert_eq!(
            RomfsImage::parse(&bytes[..1024]),
            Err(ImageError::Truncated {
                declared: 2048,
                embedded: 1024
            })
        );
    }

    #[test]
    fn rejects_a_damaged_header() {
        let mut bytes = image(1024);
        bytes[100] ^= 0x40;
        assert_eq!(RomfsImage::parse(&bytes), Err(ImageError::BadChecksum));
    }

    #[test]
    fn counts_sectors_rounding_up() {
        let mut bytes = image(1024);
        bytes.resize(1024 + 512, 0);
        let parsed = RomfsImage::parse(&bytes).unwrap();
        assert_eq!(parsed.sectors(64), Ok(16));
        assert_eq!(parsed.sectors(768), Ok(2));
    }

    #[test]
    fn refuses_sectors_that_reach_past_the_image() {
        let bytes = image(1024);
        let parsed = RomfsImage::parse(&bytes).unwrap();
        assert_eq!(parsed.sectors(1024), Ok(1));
        assert_eq!(
            parsed.sectors(4096),
            Err(ImageError::BadSectorSize { sector_size: 4096 })
        );
        assert_eq!(
            parsed.sectors(0),
            Err(ImageError::BadSectorSize { sector_size: 0 })
        );
    }
}
