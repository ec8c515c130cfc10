# SPDX-License-Identifier: Apache-2.0
"""Host tests of tools/qemu_demo.py: the configuration fragments against this
app's Kconfig, the settings logic, archive checks, the app copy, and the
messages for a missing tree, tool or archive."""

import contextlib
import io
import os
import re
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).parent))
import qemu_demo  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def tarball(path, files):
    """A .tar.gz at `path` with {relative name: text} under one top folder."""
    with tempfile.TemporaryDirectory() as tmp:
        top = Path(tmp) / "top-1.0"
        for name, text in files.items():
            (top / name).parent.mkdir(parents=True, exist_ok=True)
            (top / name).write_text(text)
        subprocess.run(["tar", "-czf", str(path), "-C", tmp, "top-1.0"], check=True)


class Fragments(unittest.TestCase):
    def test_every_fragment_parses_and_names_known_options(self):
        kconfig = (REPO / "Kconfig").read_text()
        ours = set(re.findall(r"^config (INTERPRETERS_PYTHON_RS\w*)", kconfig, re.M))
        for board in qemu_demo.BOARDS.values():
            settings = qemu_demo.board_settings(board)
            self.assertIn("CONFIG_INTERPRETERS_PYTHON_RS", settings)
            for name in settings:
                if name.startswith("CONFIG_INTERPRETERS_PYTHON_RS"):
                    self.assertIn(name[len("CONFIG_"):], ours, name)

    def test_boards_choose_their_core(self):
        rv32 = qemu_demo.board_settings(qemu_demo.BOARDS["rv-virt-32"])
        rv64 = qemu_demo.board_settings(qemu_demo.BOARDS["rv-virt-64"])
        self.assertEqual(rv32["CONFIG_ARCH_CHIP_QEMU_RV32"], "y")
        self.assertEqual(rv64["CONFIG_ARCH_CHIP_QEMU_RV64"], "y")
        self.assertIsNone(rv64["CONFIG_ARCH_CHIP_QEMU_RV32"])

    def test_arm_board_sets_no_riscv_option(self):
        arm = qemu_demo.board_settings(qemu_demo.BOARDS["qemu-armv7a"])
        self.assertFalse([name for name, value in arm.items() if "RISCV" in name and value])
        self.assertEqual(arm["CONFIG_FLASH_START"], "0x00600000")

    def test_tls_sections_go_before_eronly_once(self):
        script_text = ("  .rodata : {\n  } > ROM\n\n  _eronly = LOADADDR(.data);\n"
                       "  .data : {\n  } > RAM AT > ROM\n")
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "dramboot.ld"
            script.write_text(script_text)
            with contextlib.redirect_stdout(io.StringIO()):
                qemu_demo.add_tls_sections(script)
                once = script.read_text()
                qemu_demo.add_tls_sections(script)
            self.assertEqual(script.read_text(), once)
            self.assertLess(once.index("_etbss"), once.index("_eronly"))
            self.assertLess(once.index("} > ROM"), once.index("_stdata"))
            script.write_text("SECTIONS { }\n")
            with self.assertRaisesRegex(qemu_demo.DemoError, "no `_eronly =` line"):
                qemu_demo.add_tls_sections(script)

    def test_parse(self):
        text = "# comment\n\nCONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=\"x y\"\n"
        self.assertEqual(qemu_demo.parse_fragment(text),
                         {"CONFIG_A": "y", "CONFIG_B": None, "CONFIG_C": '"x y"'})
        with self.assertRaisesRegex(qemu_demo.DemoError, r"f:2: not a Kconfig setting"):
            qemu_demo.parse_fragment("CONFIG_A=y\nA=y\n", "f")


class Settings(unittest.TestCase):
    CONFIG = "CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=3\n"

    def test_apply_replaces_and_appends(self):
        out = qemu_demo.apply_settings(self.CONFIG, {"CONFIG_A": None, "CONFIG_B": "y",
                                                     "CONFIG_D": '"p"'})
        self.assertEqual(out, '# CONFIG_A is not set\nCONFIG_B=y\nCONFIG_C=3\nCONFIG_D="p"\n')

    def test_unmet(self):
        self.assertEqual(qemu_demo.unmet_settings(self.CONFIG, {"CONFIG_A": "y",
                                                                "CONFIG_B": None,
                                                                "CONFIG_E": None}), [])
        self.assertEqual(qemu_demo.unmet_settings(self.CONFIG, {"CONFIG_B": "y", "CONFIG_C": "4"}),
                         ["CONFIG_B=y (is: not set)", "CONFIG_C=4 (is: 3)"])

    def test_quoted(self):
        self.assertEqual(qemu_demo.quoted('a "b" \\c'), '"a \\"b\\" \\\\c"')


class Archives(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def test_missing_cpython_names_the_files(self):
        with self.assertRaisesRegex(qemu_demo.DemoError,
                                    r"no CPython archive .*Python-3\.13\.5\.tar\.xz or "
                                    r"python3\.13_3\.13\.5\.orig\.tar\.xz"):
            qemu_demo.pinned_archives(self.dir)

    def test_wrong_archive_is_refused_before_any_build(self):
        (self.dir / "Python-3.13.5.tar.xz").write_text("not it")
        with self.assertRaisesRegex(qemu_demo.DemoError, r"SHA-256 .* not the pinned archive"):
            qemu_demo.pinned_archives(self.dir)

    def test_pinned_archives_and_wheels_become_settings(self):
        with mock.patch.object(qemu_demo, "sha256", side_effect=lambda p: {
                "Python-3.13.5.tar.xz": qemu_demo.kconfig_default("INTERPRETERS_PYTHON_RS_SHA256"),
                "libffi_3.4.8.orig.tar.gz":
                    qemu_demo.kconfig_default("INTERPRETERS_PYTHON_RS_LIBFFI_SHA256")}[p.name]):
            for name in ("Python-3.13.5.tar.xz", "libffi_3.4.8.orig.tar.gz", "x-1-py3-none-any.whl"):
                (self.dir / name).write_text("")
            settings = qemu_demo.pinned_archives(self.dir)
        self.assertEqual(settings["CONFIG_INTERPRETERS_PYTHON_RS_ARCHIVE"],
                         f'"{self.dir / "Python-3.13.5.tar.xz"}"')
        self.assertIn("CONFIG_INTERPRETERS_PYTHON_RS_LIBFFI_ARCHIVE", settings)
        self.assertEqual(settings["CONFIG_INTERPRETERS_PYTHON_RS_WHEEL_DIR"], f'"{self.dir}"')

    def test_debian_zlib_is_unpacked_with_the_marker(self):
        apps = self.dir / "apps"
        (apps / "system/zlib").mkdir(parents=True)
        with self.assertRaisesRegex(qemu_demo.DemoError, r"no zlib archive .*zlib13\.zip"):
            qemu_demo.feed_zlib(apps, self.dir)
        tarball(self.dir / "zlib_1.3.1.orig.tar.gz", {"contrib/minizip/unzip.c": "", "zlib.h": ""})
        with contextlib.redirect_stdout(io.StringIO()):
            qemu_demo.feed_zlib(apps, self.dir)
        self.assertTrue((apps / "system/zlib/zlib/zlib.h").exists())
        self.assertTrue((apps / "system/zlib/zlib/.git").exists())

    def test_not_a_zlib_archive(self):
        apps = self.dir / "apps"
        (apps / "system/zlib").mkdir(parents=True)
        tarball(self.dir / "zlib_1.3.1.orig.tar.gz", {"README": ""})
        with self.assertRaisesRegex(qemu_demo.DemoError, r"not a zlib source archive"):
            with contextlib.redirect_stdout(io.StringIO()):
                qemu_demo.feed_zlib(apps, self.dir)
        self.assertFalse((apps / "system/zlib/zlib").exists())

    def test_debian_newlib_gets_the_edits(self):
        nuttx = self.dir / "nuttx"
        newlib = nuttx / "libs/libm/newlib"
        newlib.mkdir(parents=True)
        (newlib / "Make.defs").write_text("  NEWLIB_VERSION=esp-4.1\n  NEWLIB_VERSION=4.3.0.2023\n")
        with self.assertRaisesRegex(qemu_demo.DemoError, r"newlib-4\.3\.0\.2023\.tar\.gz"):
            qemu_demo.feed_newlib(nuttx, self.dir)
        tarball(self.dir / "newlib_4.5.0.orig.tar.gz", {
            "newlib/libm/complex/cproj.c": "#include <sys/cdefs.h>\nint x;\n",
            "newlib/libm/machine/riscv/feclearexcept.c": "", "newlib/libm/machine/riscv/s_fma.c": "",
            "newlib/libm/fenv/fenv_stub.c": "", "newlib/libm/math/signgam.c": ""})
        with contextlib.redirect_stdout(io.StringIO()):
            qemu_demo.feed_newlib(nuttx, self.dir)
        libm = newlib / "newlib/newlib/libm"
        self.assertEqual((libm / "complex/cproj.c").read_text(), "int x;\n")
        self.assertEqual(sorted(p.name for p in libm.rglob("*.c")), ["cproj.c", "s_fma.c"])
        self.assertTrue((newlib / "newlib/.git").exists())


class Configure(unittest.TestCase):
    def test_olddefconfig_only_when_the_options_changed(self):
        board = qemu_demo.BOARDS["rv-virt-32"]
        settings = {"CONFIG_A": "y"}
        with tempfile.TemporaryDirectory() as tmp:
            nuttx, apps = Path(tmp) / "nuttx", Path(tmp) / "apps"
            nuttx.mkdir()
            (apps / qemu_demo.APP_DIR).mkdir(parents=True)
            (apps / qemu_demo.APP_DIR / "Kconfig").write_text("config A\n")
            (nuttx / ".config").write_text("CONFIG_A=y\n")
            calls, drop = [], []

            def run(argv, **kw):
                calls.append(argv)
                if drop and argv == ["make", "olddefconfig"]:  # Kconfig drops CONFIG_A
                    (nuttx / ".config").write_text("# CONFIG_A is not set\n")
            with mock.patch.object(qemu_demo, "run", run), \
                    contextlib.redirect_stdout(io.StringIO()):
                qemu_demo.configure(nuttx, apps, board, settings, None)
                self.assertEqual(calls, [["make", "olddefconfig"]])
                qemu_demo.configure(nuttx, apps, board, settings, None)
                self.assertEqual(len(calls), 1)
                (apps / qemu_demo.APP_DIR / "Kconfig").write_text("config A\nconfig B\n")
                qemu_demo.configure(nuttx, apps, board, settings, None)
                self.assertEqual(len(calls), 2)
                drop.append(True)
                (apps / qemu_demo.APP_DIR / "Kconfig").write_text("config A\n")
                with self.assertRaisesRegex(qemu_demo.DemoError, "did not take .*CONFIG_A=y"):
                    qemu_demo.configure(nuttx, apps, board, {"CONFIG_A": "y"}, None)
            self.assertEqual(calls[-2][:2], ["tools/configure.sh", "-E"])


class TreesToolsApp(unittest.TestCase):
    def test_missing_tree(self):
        with tempfile.TemporaryDirectory() as tmp:
            err = io.StringIO()
            with contextlib.redirect_stderr(err), \
                    mock.patch.object(qemu_demo, "check_tools"):
                status = qemu_demo.main([tmp, tmp])
        self.assertEqual(status, 1)
        self.assertIn("not a nuttx tree (no tools/configure.sh)", err.getvalue())

    def test_missing_tools_are_named_with_their_package(self):
        with mock.patch.dict(os.environ, {"PATH": "/nonexistent"}):
            with self.assertRaisesRegex(qemu_demo.DemoError,
                                        r"riscv64-unknown-elf-gcc \(Debian: gcc-riscv64-unknown-"
                                        r"elf\).*qemu-system-riscv64 \(Debian: qemu-system-misc\)"):
                qemu_demo.check_tools(qemu_demo.BOARDS["rv-virt-64"])

    def test_missing_python_modules_are_named(self):
        with mock.patch.object(qemu_demo.importlib.util, "find_spec", return_value=None):
            with self.assertRaisesRegex(qemu_demo.DemoError,
                                        r"the Python module elftools \(pip install pyelftools\)"):
                qemu_demo.check_tools(qemu_demo.BOARDS["qemu-armv7a"])

    def test_app_copy_is_incremental_and_drops_stale_files(self):
        with tempfile.TemporaryDirectory() as tmp:
            apps = Path(tmp)
            (apps / "interpreters").mkdir()
            (apps / "Kconfig").write_text("generated")
            with contextlib.redirect_stdout(io.StringIO()):
                qemu_demo.install_app(apps)
            dest = apps / qemu_demo.APP_DIR
            self.assertFalse((apps / "Kconfig").exists())
            self.assertEqual((dest / "Kconfig").read_bytes(), (REPO / "Kconfig").read_bytes())
            self.assertFalse((dest / ".git").exists())
            (dest / "patches/9999-stale.patch").write_text("")
            (dest / "build").mkdir(exist_ok=True)
            (dest / "build/kept").write_text("")
            before = (dest / "Makefile").stat().st_mtime_ns
            qemu_demo.install_app(apps)
            self.assertEqual((dest / "Makefile").stat().st_mtime_ns, before)
            self.assertFalse((dest / "patches/9999-stale.patch").exists())
            self.assertTrue((dest / "build/kept").exists())

    def test_foreign_app_folder_is_left_alone(self):
        with tempfile.TemporaryDirectory() as tmp:
            dest = Path(tmp) / qemu_demo.APP_DIR
            dest.mkdir(parents=True)
            with self.assertRaisesRegex(qemu_demo.DemoError, "is not this app"):
                qemu_demo.install_app(Path(tmp))
            (dest / "Kconfig").write_text("config SOMETHING_ELSE\n")
            with self.assertRaisesRegex(qemu_demo.DemoError, "is not this app"):
                qemu_demo.install_app(Path(tmp))


if __name__ == "__main__":
    unittest.main()
