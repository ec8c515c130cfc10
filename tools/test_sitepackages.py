# SPDX-License-Identifier: Apache-2.0
"""tools/sitepackages.py: what goes into the image's site-packages, and the
messages that stop the build."""

import hashlib
import importlib.util
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("sitepackages", HERE / "sitepackages.py")
sp = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sp)

PURE_WHEEL_META = "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def make_wheel(folder, filename, files, wheel_meta=PURE_WHEEL_META):
    path = folder / filename
    dist = "-".join(filename.split("-")[:2]) + ".dist-info"
    with zipfile.ZipFile(path, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
        z.writestr(f"{dist}/WHEEL", wheel_meta)
        z.writestr(f"{dist}/METADATA", "Metadata-Version: 2.1\n")
    return path, hashlib.sha256(path.read_bytes()).hexdigest()


class SitePackages(unittest.TestCase):
    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp())
        self.wheels = self.tmp / "wheels"
        self.wheels.mkdir()
        self.dest = self.tmp / "site-packages"

    def tearDown(self):
        subprocess.run(["rm", "-rf", str(self.tmp)], check=True)

    def run_main(self, *args):
        return subprocess.run([sys.executable, str(HERE / "sitepackages.py"), "--dest",
                               str(self.dest), *args], capture_output=True, text=True)

    def test_a_listed_wheel_is_unpacked(self):
        _, digest = make_wheel(self.wheels, "demo_pkg-1.0-py3-none-any.whl", {
            "demo_pkg/__init__.py": "X = 1\n",
            "demo_pkg-1.0.data/purelib/demo_extra.py": "Y = 2\n",
            "demo_pkg-1.0.data/scripts/demo": "#!python\n",
        })
        res = self.run_main("--packages", f"Demo.Pkg==1.0 --hash=sha256:{digest}",
                            "--wheel-dir", str(self.wheels))
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual((self.dest / "demo_pkg/__init__.py").read_text(), "X = 1\n")
        self.assertEqual((self.dest / "demo_extra.py").read_text(), "Y = 2\n")
        self.assertTrue((self.dest / "demo_pkg-1.0.dist-info/METADATA").is_file())
        self.assertFalse((self.dest / "demo").exists())
        self.assertIn("package Demo.Pkg 1.0", res.stdout)

    def test_a_wrong_hash_stops_the_build(self):
        make_wheel(self.wheels, "demo-1.0-py3-none-any.whl", {"demo.py": ""})
        res = self.run_main("--packages", "demo==1.0 --hash=sha256:" + "0" * 64,
                            "--wheel-dir", str(self.wheels))
        self.assertEqual(res.returncode, 1)
        self.assertIn("demo 1.0: no wheel with the SHA-256 " + "0" * 64, res.stderr)
        self.assertIn("pypi.org/project/demo/1.0", res.stderr)
        self.assertFalse((self.dest / "demo.py").exists())

    def test_a_compiled_wheel_stops_the_build(self):
        meta = "Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: cp313-cp313-linux_x86_64\n"
        _, digest = make_wheel(self.wheels, "fast-2.0-cp313-cp313-linux_x86_64.whl",
                               {"fast.so": "ELF"}, meta)
        res = self.run_main("--packages", f"fast==2.0 --hash=sha256:{digest}",
                            "--wheel-dir", str(self.wheels))
        self.assertEqual(res.returncode, 1)
        self.assertIn("fast 2.0: fast-2.0-cp313-cp313-linux_x86_64.whl is not a pure-Python "
                      "wheel", res.stderr)
        self.assertFalse((self.dest / "fast.so").exists())

    def test_a_package_that_needs_ctypes_stops_a_build_without_it(self):
        _, digest = make_wheel(self.wheels, "dev-1.0-py3-none-any.whl",
                               {"dev/__init__.py": "import ctypes\n"})
        args = ("--packages", f"dev==1.0 --hash=sha256:{digest}", "--wheel-dir", str(self.wheels))
        self.assertEqual(self.run_main(*args).returncode, 0)
        res = self.run_main(*args, "--no-ctypes")
        self.assertEqual(res.returncode, 1)
        self.assertIn("dev 1.0 imports ctypes (dev/__init__.py)", res.stderr)
        self.assertIn("CONFIG_INTERPRETERS_PYTHON_RS_CTYPES", res.stderr)

    def test_a_missing_wheel_names_the_folder_option(self):
        res = self.run_main("--packages", "gone==1.0 --hash=sha256:" + "a" * 64,
                            "--wheel-dir", str(self.wheels))
        self.assertEqual(res.returncode, 1)
        self.assertIn("no gone-1.0-*.whl in", res.stderr)
        self.assertIn("CONFIG_INTERPRETERS_PYTHON_RS_WHEEL_DIR", res.stderr)

    def test_a_malformed_entry_says_the_format(self):
        for text in ("nuttx-periphery==0.2.0", "nuttx-periphery>=0.2 --hash=sha256:" + "a" * 64,
                     "a==1 --hash=sha256:" + "a" * 64 + " b==2"):
            res = self.run_main("--packages", text, "--wheel-dir", str(self.wheels))
            self.assertEqual(res.returncode, 1, text)
            self.assertIn("is not a package with its hash; write each as NAME==VERSION "
                          "--hash=sha256:HASH", res.stderr)

    def test_a_path_out_of_site_packages_is_refused(self):
        _, digest = make_wheel(self.wheels, "evil-1.0-py3-none-any.whl", {"../evil.py": ""})
        res = self.run_main("--packages", f"evil==1.0 --hash=sha256:{digest}",
                            "--wheel-dir", str(self.wheels))
        self.assertEqual(res.returncode, 1)
        self.assertIn("refusing the path", res.stderr)
        self.assertFalse((self.tmp / "evil.py").exists())

    def test_without_pip_the_message_says_what_to_install(self):
        with self.assertRaises(sp.PackageError) as cm:
            sp.find_wheel("demo", "1.0", "a" * 64, None, self.tmp / "dl",
                          pip_python="/nonexistent/python3")
        self.assertIn("apt-get install python3-pip", str(cm.exception))

    def test_the_site_directory_is_added_with_its_pth_files(self):
        site_dir = self.tmp / "sd card" / "site-packages"
        (site_dir / "extra").mkdir(parents=True)
        (site_dir / "mine.py").write_text("WHERE = 'sd'\n")
        (site_dir / "more.pth").write_text("extra\n")
        (site_dir / "extra" / "deep.py").write_text("DEEP = True\n")
        res = self.run_main("--site-dir", str(site_dir))
        self.assertEqual(res.returncode, 0, res.stderr)
        code = ("import site, sys; site.addsitedir(sys.argv[1]); import mine, deep; "
                "print(mine.WHERE, deep.DEEP)")
        out = subprocess.run([sys.executable, "-S", "-c", code, str(self.dest)],
                             capture_output=True, text=True, check=True).stdout
        self.assertEqual(out, "sd True\n")

    def test_an_absent_site_directory_is_no_error(self):
        self.assertEqual(self.run_main("--site-dir", "/nonexistent/site").returncode, 0)
        code = "import site, sys; site.addsitedir(sys.argv[1]); print('ok')"
        out = subprocess.run([sys.executable, "-S", "-c", code, str(self.dest)],
                             capture_output=True, text=True, check=True).stdout
        self.assertEqual(out, "ok\n")


@unittest.skipIf(shutil.which("make") is None, "needs make")
class KconfigDefault(unittest.TestCase):
    def test_the_default_list_survives_make_and_parses(self):
        """The Makefile reads the option from NuttX's .config, where make
        would cut a value at '#'."""
        kconfig = (HERE.parent / "Kconfig").read_text()
        block = kconfig[kconfig.index("config INTERPRETERS_PYTHON_RS_PACKAGES"):]
        default = re.search(r'default (".*?") if', block).group(1)
        with tempfile.TemporaryDirectory() as tmp:
            pathlib.Path(tmp, ".config").write_text(f"CONFIG_X={default}\n")
            unquote = next(line for line in (HERE.parent / "Makefile").read_text().splitlines()
                           if line.startswith("unquote = "))
            pathlib.Path(tmp, "Makefile").write_text(
                f"include .config\n{unquote}\nall:\n\t@echo '$(call unquote,$(CONFIG_X))'\n")
            out = subprocess.run(["make", "-s", "-C", tmp], capture_output=True, text=True,
                                 check=True).stdout.strip()
        self.assertEqual(sp.parse(out), [("nuttx-periphery", "0.2.0",
                         "6955244297c9d01577fa4cbc18580edaad10098a41737611342a553c83aa9510")])


if __name__ == "__main__":
    unittest.main()
