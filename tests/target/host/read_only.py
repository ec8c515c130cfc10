"""What a program sees on the read-only image (argv[1]: its mount point,
argv[2]: a file in it): the errors POSIX gives for a read-only file
system."""
import errno
import os
import pathlib
import sys

mount, existing = sys.argv[1], sys.argv[2]
missing = os.path.join(mount, "no-such-file")


def outcome(call, *args, **kwargs):
    try:
        call(*args, **kwargs)
        return "ok"
    except OSError as e:
        return type(e).__name__ if type(e) is not OSError else errno.errorcode[e.errno]


print("remove missing =", repr(outcome(os.remove, missing)))
print("rmdir missing =", repr(outcome(os.rmdir, missing)))
print("mkdir existing =", repr(outcome(os.mkdir, mount)))
print("makedirs exist_ok =", repr(outcome(os.makedirs, mount, exist_ok=True)))
print("Path.mkdir exist_ok =", repr(outcome(pathlib.Path(mount).mkdir, parents=True,
                                            exist_ok=True)))
print("remove existing =", repr(outcome(os.remove, existing)))
print("rename existing =", repr(outcome(os.rename, existing, existing + ".new")))
print("mkdir new =", repr(outcome(os.mkdir, missing)))
