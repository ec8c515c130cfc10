"""Put a package and a .pth into the writable site directory (argv[1]), as
a user copying files onto the SD card would."""
import os
import sys

site = sys.argv[1]
os.makedirs(os.path.join(site, "sdpkg"), exist_ok=True)
os.makedirs(os.path.join(site, "more"), exist_ok=True)
with open(os.path.join(site, "sdpkg", "__init__.py"), "w") as f:
    f.write("WHERE = 'card'\n")
with open(os.path.join(site, "more", "extra_mod.py"), "w") as f:
    f.write("EXTRA = 42\n")
with open(os.path.join(site, "more.pth"), "w") as f:
    f.write("more\n")
print("written")
