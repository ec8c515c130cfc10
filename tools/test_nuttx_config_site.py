# SPDX-License-Identifier: Apache-2.0
"""tools/nuttx-config-site.py's answers that come from the compiler, with
the host's GCC standing in for the cross compiler."""

import importlib.util
import os
import shutil
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("config_site", os.path.join(HERE, "nuttx-config-site.py"))
config_site = importlib.util.module_from_spec(spec)
spec.loader.exec_module(config_site)


@unittest.skipIf(shutil.which("gcc") is None, "needs gcc")
class FloatWordOrder(unittest.TestCase):
    def setUp(self):
        self.topdir = tempfile.mkdtemp()
        os.makedirs(os.path.join(self.topdir, "include", "nuttx"))
        open(os.path.join(self.topdir, "include", "nuttx", "config.h"), "w").close()
        self.cpp = f"gcc -E -I{self.topdir}/include"

    def tearDown(self):
        shutil.rmtree(self.topdir)

    def order(self, flags=""):
        return config_site.float_words_bigendian(f"{self.cpp} {flags}", self.topdir)

    def test_little_endian_words(self):
        self.assertEqual(self.order("-U__FLOAT_WORD_ORDER__ -D__FLOAT_WORD_ORDER__=1234"), "no")

    def test_big_endian_words(self):
        self.assertEqual(self.order("-U__FLOAT_WORD_ORDER__ -D__FLOAT_WORD_ORDER__=4321"), "yes")

    def test_a_compiler_that_does_not_say(self):
        self.assertIsNone(self.order("-U__FLOAT_WORD_ORDER__"))


if __name__ == "__main__":
    unittest.main()
