//! Error numbers as values, with the names and words a user reads.

/// An `errno` value reported by NuttX.
///
/// The numbers are NuttX's (`include/errno.h`), which follow Linux for every
/// code listed here; `nuttx-app` checks them against the bindings at compile
/// time, so a drift fails the firmware build instead of printing a wrong name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Errno(pub i32);

macro_rules! errnos {
    ($($name:ident = $value:literal, $text:literal;)*) => {
        impl Errno {
            $(pub const $name: Errno = Errno($value);)*

            /// The symbolic name (`"ENOTDIR"`), if this is a code we know.
            pub fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($value => Some(stringify!($name)),)*
                    _ => None,
                }
            }

            /// A few words saying what the code means (`"not a directory"`).
            pub fn description(self) -> Option<&'static str> {
                match self.0 {
                    $($value => Some($text),)*
                    _ => None,
                }
            }
        }
    };
}

errnos! {
    EPERM = 1, "operation not permitted";
    ENOENT = 2, "no such file or directory";
    EIO = 5, "input/output error";
    ENXIO = 6, "no such device or address";
    ENOMEM = 12, "out of memory";
    EACCES = 13, "permission denied";
    EFAULT = 14, "bad address";
    ENOTBLK = 15, "not a block device";
    EBUSY = 16, "device or resource busy";
    EEXIST = 17, "already exists";
    ENODEV = 19, "no such device";
    ENOTDIR = 20, "not a directory";
    EISDIR = 21, "is a directory";
    EINVAL = 22, "invalid argument";
    ENOSPC = 28, "no space left on device";
    EROFS = 30, "read-only file system";
    ENAMETOOLONG = 36, "file name too long";
    ENOSYS = 38, "function not implemented";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_have_name_and_words() {
        assert_eq!(Errno::ENOTDIR.name(), Some("ENOTDIR"));
        assert_eq!(Errno::ENOTDIR.description(), Some("not a directory"));
        assert_eq!(Errno(17).name(), Some("EEXIST"));
    }

    #[test]
    fn unknown_codes_have_neither() {
        assert_eq!(Errno(4242).name(), None);
        assert_eq!(Errno(-1).description(), None);
    }
}
