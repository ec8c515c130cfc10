#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Pack a directory tree into a reproducible ROMFS image.

genromfs writes entries in readdir() order, which on ext4 depends on a
per-filesystem hash seed, so two machines produce different images from
the same tree.  This packer writes the same on-disk format (the Linux /
NuttX "-rom1fs-" layout, with "." and ".." entries like genromfs) but
visits every directory in sorted byte order and takes nothing from the
host except names, sizes, contents and the owner-execute bit.  The result
depends only on the tree's content.

Usage: mkromfs.py -d DIR -f IMAGE [-V VOLUME] [-p PAD]

-p pads the image file with zeros to a multiple of PAD bytes (the ROM
disk sector size); the superblock keeps the used size, as genromfs does.
"""

import argparse
import os
import stat
import struct
import sys

ALIGN = 16
T_HARDLINK, T_DIR, T_FILE, T_SYMLINK = 0, 1, 2, 3
F_EXEC = 8


def pad16(n):
    return (n + ALIGN - 1) & ~(ALIGN - 1)


def name_field(name):
    raw = name.encode("utf-8") + b"\0"
    return raw + b"\0" * (pad16(len(raw)) - len(raw))


def checksum_fix(data):
    """Value that makes the big-endian 32-bit word sum of data zero."""
    total = 0
    for (word,) in struct.iter_unpack(">I", data):
        total = (total + word) & 0xFFFFFFFF
    return (-total) & 0xFFFFFFFF


class Node:
    def __init__(self, name, kind, path=None):
        self.name = name
        self.kind = kind        # T_DIR, T_FILE, T_SYMLINK, or T_HARDLINK
        self.path = path
        self.exec = False
        self.data = b""
        self.children = []      # for T_DIR, including "." and ".."
        self.target = None      # for T_HARDLINK: the Node it points to
        self.offset = None

    def header_size(self):
        return ALIGN + len(name_field(self.name))

    def size(self):
        return self.header_size() + pad16(len(self.data))


def scan(path, name, parent):
    st = os.lstat(path)
    if stat.S_ISDIR(st.st_mode):
        node = Node(name, T_DIR, path)
        node.exec = True
        dot = Node(".", T_HARDLINK)
        dot.target = node
        dotdot = Node("..", T_HARDLINK)
        dotdot.target = parent if parent is not None else node
        node.children = [dot, dotdot]
        for entry in sorted(os.listdir(path), key=lambda s: s.encode()):
            node.children.append(scan(os.path.join(path, entry), entry, node))
        return node
    if stat.S_ISLNK(st.st_mode):
        node = Node(name, T_SYMLINK, path)
        node.data = os.readlink(path).encode("utf-8")
        return node
    if stat.S_ISREG(st.st_mode):
        node = Node(name, T_FILE, path)
        node.exec = bool(st.st_mode & stat.S_IXUSR)
        with open(path, "rb") as f:
            node.data = f.read()
        return node
    sys.exit("mkromfs: unsupported file type: %s" % path)


def layout(entries, pos):
    """Assign offsets depth-first: a directory's entries, then subtrees."""
    for e in entries:
        e.offset = pos
        pos += e.size()
    for e in entries:
        if e.kind == T_DIR and e.children is not entries:
            pos = layout(e.children, pos)
    return pos


def emit(entries, out):
    for i, e in enumerate(entries):
        nxt = entries[i + 1].offset if i + 1 < len(entries) else 0
        if e.kind == T_DIR:
            spec = e.children[0].offset
        elif e.kind == T_HARDLINK:
            spec = e.target.offset
        else:
            spec = 0
        word0 = nxt | e.kind | (F_EXEC if e.exec else 0)
        head = struct.pack(">IIII", word0, spec, len(e.data), 0)
        head += name_field(e.name)
        head = head[:12] + struct.pack(">I", checksum_fix(head)) + head[16:]
        assert len(out) == e.offset
        out += head
        out += e.data + b"\0" * (pad16(len(e.data)) - len(e.data))
    for e in entries:
        if e.kind == T_DIR and e.children is not entries:
            emit(e.children, out)


def build(src, volume, pad):
    root = scan(src, ".", None)
    # The root directory has no header of its own: its "." entry stands for
    # it, as in genromfs images.  Point "." at itself and ".." at ".".
    entries = root.children
    entries[0].kind = T_DIR
    entries[0].exec = True
    entries[0].children = entries
    entries[1].target = entries[0]
    for e in entries[2:]:
        fix_parent(e, entries[0])

    superblock = b"-rom1fs-" + struct.pack(">II", 0, 0) + name_field(volume)
    used = layout(entries, len(superblock))
    out = bytearray(superblock)
    emit(entries, out)
    assert len(out) == used
    out[8:12] = struct.pack(">I", used)
    first = bytes(out[:min(512, used)])
    first = first + b"\0" * ((4 - len(first) % 4) % 4)
    out[12:16] = struct.pack(">I", checksum_fix(first))
    if pad > 1:
        out += b"\0" * ((pad - len(out) % pad) % pad)
    return bytes(out)


def fix_parent(node, root_dot):
    """Make '..' of top-level subdirectories point at the root's '.'."""
    if node.kind != T_DIR:
        return
    if node.children[1].target.name == ".":
        node.children[1].target = root_dot
    for child in node.children[2:]:
        fix_parent(child, root_dot)


def too_long(src, name_max):
    """Paths under src whose last part is longer than name_max bytes: NuttX
    cannot open them (a name is cut at CONFIG_NAME_MAX), so an import or
    open() of such a file fails as if it were not there."""
    found = []
    for root, dirs, files in os.walk(src):
        for name in dirs + files:
            if len(name.encode()) > name_max:
                found.append(os.path.relpath(os.path.join(root, name), src))
    return sorted(found)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-d", dest="src", required=True)
    ap.add_argument("-f", dest="image", required=True)
    ap.add_argument("-V", dest="volume", default="rom 1")
    ap.add_argument("-p", dest="pad", type=int, default=1024)
    ap.add_argument("-n", dest="name_max", type=int, default=0,
                    help="refuse names longer than this (the board's CONFIG_NAME_MAX)")
    args = ap.parse_args()
    if args.name_max:
        long_names = too_long(args.src, args.name_max)
        if long_names:
            longest = max(len(os.path.basename(p).encode()) for p in long_names)
            sys.exit("mkromfs: %d names are longer than CONFIG_NAME_MAX (%d), and NuttX "
                     "could not open those files: %s. Raise CONFIG_NAME_MAX to %d, or leave "
                     "them out." % (len(long_names), args.name_max,
                                    ", ".join(long_names[:5]) + (", ..." if len(long_names) > 5
                                                                  else ""), longest))
    image = build(args.src, args.volume, args.pad)
    tmp = args.image + ".tmp"
    with open(tmp, "wb") as f:
        f.write(image)
    os.replace(tmp, args.image)


if __name__ == "__main__":
    main()
