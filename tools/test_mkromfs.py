# SPDX-License-Identifier: Apache-2.0
"""Tests of tools/mkromfs.py: the image reads back and is reproducible."""

import importlib.util
import os
import pathlib
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

HERE = pathlib.Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("mkromfs", HERE / "mkromfs.py")
mkromfs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mkromfs)


def word_sum(data):
    data = data + b"\0" * (-len(data) % 4)
    return sum(w for (w,) in struct.iter_unpack(">I", data)) & 0xFFFFFFFF


def read_name(image, at):
    end = image.index(b"\0", at)
    return image[at:end].decode(), at + ((end - at) // 16 + 1) * 16


def read_tree(image, first):
    """Walks a directory's entry chain: {name: bytes or dict}."""
    tree = {}
    offset = first
    while offset:
        word0, spec_info, size, _ = struct.unpack(">IIII", image[offset:offset + 16])
        name, data_at = read_name(image, offset + 16)
        kind = word0 & 7
        if name not in (".", ".."):
            if kind == mkromfs.T_DIR:
                tree[name] = read_tree(image, spec_info)
            elif kind == mkromfs.T_FILE:
                tree[name] = image[data_at:data_at + size]
        offset = word0 & ~15
    return tree


def read_image(image):
    assert image[:8] == b"-rom1fs-"
    used = struct.unpack(">I", image[8:12])[0]
    _, first = read_name(image, 16)
    return used, read_tree(image, first)


def make_tree(root, order):
    files = {
        "python3.13/os.pyc": b"os" * 100,
        "python3.13/json/__init__.pyc": b"json",
        "python3.13/json/decoder.pyc": b"\x00\xff" * 33,
        "scripts/hello.py": b"print('hello')\n",
        "empty.txt": b"",
    }
    for name in (sorted(files) if order == "sorted" else sorted(files, reverse=True)):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[name])
        os.utime(path, (12345 if order == "sorted" else 99999,) * 2)
    return files


class MkromfsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp())

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def build(self, order, pad=64):
        root = self.tmp / order
        files = make_tree(root, order)
        return files, mkromfs.build(str(root), "python3.13", pad)

    def test_names_nuttx_cannot_open_stop_the_image(self):
        root = self.tmp / "long"
        (root / "pkg").mkdir(parents=True)
        (root / "pkg" / ("a" * 32 + ".py")).write_text("")
        (root / "pkg" / ("b" * 30)).write_text("")
        self.assertEqual(mkromfs.too_long(str(root), 32), ["pkg/" + "a" * 32 + ".py"])
        res = subprocess.run([sys.executable, str(HERE / "mkromfs.py"), "-d", str(root),
                              "-f", str(self.tmp / "img"), "-n", "32"],
                             capture_output=True, text=True)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("1 names are longer than CONFIG_NAME_MAX (32)", res.stderr)
        self.assertIn("Raise CONFIG_NAME_MAX to 35", res.stderr)
        self.assertFalse((self.tmp / "img").exists())

    def test_every_file_reads_back(self):
        files, image = self.build("sorted")
        used, tree = read_image(image)
        for name, data in files.items():
            node = tree
            for part in name.split("/"):
                node = node[part]
            self.assertEqual(node, data, name)

    def test_header_is_valid(self):
        _, image = self.build("sorted")
        used = struct.unpack(">I", image[8:12])[0]
        self.assertLessEqual(used, len(image))
        self.assertEqual(word_sum(image[:min(512, used)]), 0)

    def test_padded_to_whole_sectors(self):
        for pad in (64, 512, 1024):
            _, image = self.build("sorted", pad)
            self.assertEqual(len(image) % pad, 0, pad)

    def test_same_content_gives_the_same_bytes(self):
        _, first = self.build("sorted")
        _, second = self.build("reversed")
        self.assertEqual(first, second, "creation order and mtimes must not matter")

    @unittest.skipUnless(shutil.which("genromfs"), "genromfs not installed")
    def test_genromfs_reads_the_same_tree(self):
        files, image = self.build("sorted")
        reference = self.tmp / "genromfs.img"
        subprocess.run(["genromfs", "-f", str(reference), "-d", str(self.tmp / "sorted"), "-V", "python3.13"], check=True)
        self.assertEqual(read_image(image)[1], read_image(reference.read_bytes())[1])


if __name__ == "__main__":
    unittest.main()
