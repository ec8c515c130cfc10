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


@unittest.skipIf(shutil.which("gcc") is None, "needs gcc")
class UnlistedFunctions(unittest.TestCase):
    """Functions NuttX builds but does not list follow its configuration."""

    def setUp(self):
        self.topdir = tempfile.mkdtemp()
        for rel in ("include/nuttx", "libs/libc", "libs/libm", "syscall"):
            os.makedirs(os.path.join(self.topdir, rel))
        for rel in ("libs/libc/libc.csv", "libs/libm/libm.csv", "syscall/syscall.csv"):
            open(os.path.join(self.topdir, rel), "w").close()

    def tearDown(self):
        shutil.rmtree(self.topdir)

    def present(self, config_h):
        with open(os.path.join(self.topdir, "include", "nuttx", "config.h"), "w") as f:
            f.write(config_h)
        table = config_site.nuttx_table(self.topdir)
        names = [name for name, conds in table.items() for _ in conds]
        conds = [cond for conds in table.values() for cond in conds]
        true = config_site.evaluate(conds, f"gcc -E -I{self.topdir}/include", self.topdir)
        return {names[i] for i in true}

    def test_siginterrupt_with_all_signals(self):
        self.assertIn("siginterrupt", self.present("#define CONFIG_ENABLE_ALL_SIGNALS 1\n"))

    def test_no_siginterrupt_without_them(self):
        present = self.present("")
        self.assertNotIn("siginterrupt", present)
        self.assertIn("sigwait", present)

    def test_no_signal_calls_when_signals_are_off(self):
        present = self.present("#define CONFIG_DISABLE_ALL_SIGNALS 1\n")
        self.assertFalse({"sigwait", "pause", "killpg"} & present)
        self.assertIn("renameat", present)


class CompileOnlyProbes(unittest.TestCase):
    def test_py_check_func_names_are_read(self):
        with tempfile.NamedTemporaryFile("w", suffix=".ac", delete=False) as f:
            f.write("PY_CHECK_FUNC([eventfd], [\n#include <sys/eventfd.h>\n])\n"
                    "PY_CHECK_FUNC([symlink], [@%:@include <unistd.h>])\n"
                    "AC_CHECK_FUNCS([uname])\n")
        try:
            self.assertEqual(config_site.compiled_functions(f.name), ["eventfd", "symlink"])
            self.assertEqual(config_site.probed_functions(f.name), ["uname"])
        finally:
            os.unlink(f.name)


if __name__ == "__main__":
    unittest.main()
