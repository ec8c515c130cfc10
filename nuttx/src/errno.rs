// SPDX-License-Identifier: Apache-2.0
//! Error numbers as values, with the names a user reads (`ENOTDIR`).

/// An `errno` value reported by NuttX.
///
/// The numbers are NuttX's (`include/errno.h`), which follow Linux for every
/// code listed here; `nuttx-app` checks them against the bindings at compile
/// time, so a drift fails the firmware build instead of printing a wrong name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Errno(pub i32);

macro_rules! errnos {
    ($($name:ident = $value:literal;)*) => {
        impl Errno {
            $(pub const $name: Errno = Errno($value);)*

            /// The symbolic name (`"ENOTDIR"`), if this is a code we know.
            pub fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($value => Some(stringify!($name)),)*
                    _ => None,
                }
            }
        }
    };
}

errnos! {
    EPERM = 1;
    ENOENT = 2;
    EIO = 5;
    ENXIO = 6;
    ENOMEM = 12;
    EACCES = 13;
    EFAULT = 14;
    ENOTBLK = 15;
    EBUSY = 16;
    EEXIST = 17;
    ENODEV = 19;
    ENOTDIR = 20;
    EISDIR = 21;
    EINVAL = 22;
    ENOSPC = 28;
    EROFS = 30;
    ENAMETOOLONG = 36;
    ENOSYS = 38;
}

impl embedded_io::Error for Errno {
    fn kind(&self) -> embedded_io::ErrorKind {
        embedded_io::ErrorKind::Other
    }
}

/// Readers that cannot fail (an in-memory table, say) need no errno.
impl From<core::convert::Infallible> for Errno {
    fn from(never: core::convert::Infallible) -> Self {
        match never {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_have_a_name() {
        assert_eq!(Errno::ENOTDIR.name(), Some("ENOTDIR"));
        assert_eq!(Errno(17).name(), Some("EEXIST"));
    }

    #[test]
    fn unknown_codes_have_none() {
        assert_eq!(Errno(4242).name(), None);
        assert_eq!(Errno(-1).name(), None);
    }
}
