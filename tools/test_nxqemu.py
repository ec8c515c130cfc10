# SPDX-License-Identifier: Apache-2.0
"""Tests of tools/nxqemu.py: console parsing, prompt matching, NSH output
formats, the firmware's configuration, and the pexpect board against a fake
NSH (tools/fake_nsh.py, so no firmware is needed)."""

import pathlib
import sys
import unittest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import nxqemu as qh  # noqa: E402

# Console text as QEMU rv-virt with the upstream app printed it (CRLF, the
# ESC [ K that NSH's readline writes before echoing, syslog records).
FIRST_RUN = (
    '\x1b[Kpython -c "print(6*7)"\r\n'
    "[   19.058494] check_and_mount_romfs: Mounting ROMFS filesystem at "
    "target=/usr/local/lib with source=/dev/ram1\r\n"
    "42\r\n"
    "nsh> "
)
FREE = (
    "\x1b[Kfree\r\n"
    "      total       used       free    maxused    maxfree  nused  nfree name\r\n"
    "   19314368     144336   19170032    1640712   17672536   3159   1269 Umem\r\n"
)
MOUNT = (
    "  /mnt/host type hostfs\r\n"
    "  /proc type procfs\r\n"
    "  /tmp type tmpfs\r\n"
    "  /usr/local/lib type romfs\r\n"
)
TRACEBACK = (
    "\x1b[Kpython -c \"raise ValueError('x')\"\r\n"
    "Traceback (most recent call last):\r\n"
    '  File \x1b[35m"<string>"\x1b[0m, line \x1b[35m1\x1b[0m, in \x1b[35m<module>\x1b[0m\r\n'
    "\x1b[1;35mValueError\x1b[0m: \x1b[35mx\x1b[0m\r\n"
    "nsh> "
)


class ConsoleText(unittest.TestCase):
    def test_strip_ansi(self):
        self.assertEqual(qh.strip_ansi("\x1b[Kecho\x1b[1;35m x\x1b[0m"), "echo x")

    def test_clean_lines_drops_cr_and_syslog(self):
        self.assertEqual(qh.clean_lines("a\r\n[    0.035844] x: y\r\nb\r\n"), ["a", "b", ""])
        self.assertEqual(qh.clean_lines("[    0.035844] x: y\r\n", drop_syslog=False),
                         ["[    0.035844] x: y", ""])

    def test_syslog_pattern_needs_a_timestamp(self):
        # Python's own output starting with "[" is kept.
        self.assertEqual(qh.clean_lines("['a', 'b']\r\n[1]\r\n"), ["['a', 'b']", "[1]", ""])

    def test_command_output_strips_echo_syslog_and_prompt(self):
        self.assertEqual(qh.command_output(FIRST_RUN), "42")

    def test_command_output_of_a_silent_command(self):
        self.assertEqual(qh.command_output("\x1b[Kpython -c pass\r\nnsh> "), "")

    def test_command_output_keeps_inner_blank_lines(self):
        self.assertEqual(qh.command_output("\x1b[Kcmd\r\na\r\n\r\nb\r\nnsh> "), "a\n\nb")

    def test_command_output_without_prompt_yet(self):
        self.assertEqual(qh.command_output("\x1b[Kcmd\r\npartial"), "partial")
        self.assertEqual(qh.command_output("\x1b[Kcm"), "")

    def test_traceback_colours_are_removed(self):
        out = qh.command_output(TRACEBACK)
        self.assertIn("ValueError: x", out)
        self.assertTrue(out.startswith("Traceback"))

    def test_find_prompt(self):
        self.assertEqual(qh.find_prompt("abc\r\nnsh> "), 5)
        self.assertEqual(qh.find_prompt("no prompt"), -1)
        self.assertEqual(qh.find_prompt("2\r\n>>> ", qh.REPL_PROMPT), 3)

    def test_has_line(self):
        self.assertTrue(qh.has_line("x\n42\ny", "42"))
        self.assertTrue(qh.has_line("42  ", "42"))
        self.assertFalse(qh.has_line("420", "42"))
        self.assertFalse(qh.has_line("", "42"))

    def test_crash_pattern(self):
        self.assertTrue(qh.CRASH_RE.search("dump_assert_info: Assertion failed panic: at file"))
        self.assertTrue(qh.CRASH_RE.search(
            "riscv_exception: EXCEPTION: Load access fault. MCAUSE: 00000005, EPC: 800a1b2c"))
        self.assertTrue(qh.CRASH_RE.search("_assert: Assertion failed : at file: mm_heap/mm_free.c:112"))
        self.assertFalse(qh.CRASH_RE.search("AssertionError: x"))


class NshFormats(unittest.TestCase):
    def test_parse_status(self):
        self.assertEqual(qh.parse_status("0"), 0)
        self.assertEqual(qh.parse_status("1"), 1)
        self.assertEqual(qh.parse_status("noise\n 3 \n"), 3)
        self.assertIsNone(qh.parse_status(""))
        self.assertIsNone(qh.parse_status("nsh: echo: error"))

    def test_parse_free(self):
        heaps = qh.parse_free(FREE)
        self.assertEqual(list(heaps), ["Umem"])
        self.assertEqual(heaps["Umem"]["total"], 19314368)
        self.assertEqual(heaps["Umem"]["used"], 144336)
        self.assertEqual(heaps["Umem"]["free"], 19170032)
        self.assertEqual(heaps["Umem"]["nfree"], 1269)
        self.assertEqual(qh.heap_used(FREE), 144336)

    def test_heap_used_prefers_the_user_heap(self):
        text = (
            "      total       used       free    maxused    maxfree  nused  nfree name\n"
            "       1000        100        900        100        900      1      1 Kmem\n"
            "       2000        200       1800        200       1800      1      1 Umem\n"
        )
        self.assertEqual(qh.heap_used(text), 200)

    def test_heap_used_without_names_or_rows(self):
        text = "   total   used   free\n   1000    300    700\n"
        self.assertEqual(qh.heap_used(text), 300)
        self.assertIsNone(qh.heap_used("nsh: free: command not found"))

    def test_parse_mounts(self):
        self.assertEqual(qh.parse_mounts(MOUNT)[-1], ("/usr/local/lib", "romfs"))
        self.assertEqual(qh.count_mounts(MOUNT, "/usr/local/lib", "romfs"), 1)
        self.assertEqual(qh.count_mounts(MOUNT, "/usr/local/lib", "hostfs"), 0)

    def test_count_mounts_is_exact(self):
        text = MOUNT + "  /usr/local/lib2 type romfs\r\n  /usr/local/lib type romfs\r\n"
        self.assertEqual(qh.count_mounts(text, "/usr/local/lib", "romfs"), 2)
        self.assertEqual(qh.count_mounts(text, "/usr/local/lib2", "romfs"), 1)


class Qemu(unittest.TestCase):
    def test_qemu_command(self):
        cmd = qh.qemu_command("/fw", "rv32")
        self.assertEqual(cmd, [
            "qemu-system-riscv32", "-semihosting", "-M", "virt,aclint=on", "-cpu", "rv32",
            "-smp", "1", "-bios", "none", "-kernel", "/fw", "-nographic",
        ])
        cmd = qh.qemu_command("/fw", "rv64", icount=True)
        self.assertEqual(cmd[0], "qemu-system-riscv64")
        self.assertIn("rv64", cmd)
        self.assertEqual(cmd[-2:], ["-icount", "shift=0,sleep=off"])

    def test_arm_boards(self):
        cmd = qh.qemu_command("/fw", "armv7a")
        self.assertEqual(cmd[0], "qemu-system-arm")
        self.assertIn("cortex-a7", cmd)
        self.assertIn("virt,virtualization=off,gic-version=2", cmd)
        cmd = qh.qemu_command("/fw", "armv8a")
        self.assertEqual(cmd[0], "qemu-system-aarch64")
        self.assertIn("cortex-a53", cmd)
        for qemu, _ in qh.QEMU_MACHINES.values():
            self.assertIn(qemu, qh.QEMU_PACKAGES)

    def test_ram_counts_from_the_machines_ram_base(self):
        rv = {"CONFIG_RAM_START": "0x80000000", "CONFIG_RAM_SIZE": "268435456"}
        self.assertEqual(qh.ram_needed(rv, "rv32"), 256 * 1024 * 1024)
        arm = {"CONFIG_RAM_START": "0x40200000", "CONFIG_RAM_SIZE": "266338304"}
        self.assertEqual(qh.ram_needed(arm, "armv7a"), 256 * 1024 * 1024)
        self.assertEqual(qh.ram_needed({}, "armv8a"), 0)
        for arch in qh.QEMU_MACHINES:
            self.assertIn(arch, qh.QEMU_RAM_BASE)

    def test_memory_beyond_qemus_default(self):
        self.assertNotIn("-m", qh.qemu_command("/fw", "rv32", ram=128 * 1024 * 1024))
        cmd = qh.qemu_command("/fw", "rv32", ram=256 * 1024 * 1024 + 1)
        self.assertEqual(cmd[-2:], ["-m", "257M"])


class Config(unittest.TestCase):
    CONFIG = (
        "# Automatically generated file; DO NOT EDIT.\n"
        "CONFIG_ARCH_RISCV=y\n"
        "# CONFIG_ARCH_RV64 is not set\n"
        "CONFIG_ARCH_RV32=y\n"
        'CONFIG_INTERPRETERS_PYTHON_RS_MOUNTPOINT="/usr/local/lib"\n'
        'CONFIG_INTERPRETERS_PYTHON_RS_XOPTIONS="a \\"b\\" c\\\\d"\n'
        "CONFIG_INTERPRETERS_PYTHON_RS_STACKSIZE=307200\n"
    )

    def test_read_config(self):
        config = qh.read_config(self.CONFIG)
        self.assertEqual(config["CONFIG_INTERPRETERS_PYTHON_RS_MOUNTPOINT"], "/usr/local/lib")
        self.assertEqual(config["CONFIG_INTERPRETERS_PYTHON_RS_XOPTIONS"], 'a "b" c\\d')
        self.assertEqual(config["CONFIG_INTERPRETERS_PYTHON_RS_STACKSIZE"], "307200")
        self.assertNotIn("CONFIG_ARCH_RV64", config)

    def test_board_arch(self):
        self.assertEqual(qh.board_arch(qh.read_config(self.CONFIG)), "rv32")
        self.assertEqual(qh.board_arch({"CONFIG_ARCH_RISCV": "y", "CONFIG_ARCH_RV64": "y"}), "rv64")
        self.assertIsNone(qh.board_arch({"CONFIG_ARCH_ARM": "y"}))
        self.assertEqual(qh.board_arch({"CONFIG_ARCH_ARM": "y",
                                        "CONFIG_ARCH_CHIP_QEMU_CORTEXA7": "y"}), "armv7a")
        a53 = {"CONFIG_ARCH_ARM64": "y", "CONFIG_ARCH_CHIP_QEMU_A53": "y"}
        self.assertEqual(qh.board_arch(a53), "armv8a")
        self.assertEqual(qh.board_arch(dict(a53, CONFIG_ARM64_GIC_VERSION="3")), "armv8a")
        # QEMU's machine differs: a GICv2 build or another core is not guessed.
        self.assertIsNone(qh.board_arch(dict(a53, CONFIG_ARM64_GIC_VERSION="2")))
        self.assertIsNone(qh.board_arch({"CONFIG_ARCH_ARM64": "y", "CONFIG_ARCH_CHIP_QEMU_A72": "y"}))


class ExpectLoop(unittest.TestCase):
    """Board against the fake NSH on pipes: prompt waits, status, timeouts."""

    def setUp(self):
        self.board = qh.Board([sys.executable, str(HERE / "fake_nsh.py")])
        self.board.boot(timeout=10)

    def tearDown(self):
        self.board.stop()

    def test_run_and_status(self):
        self.assertEqual(self.board.sh("something"), ("out 1\nout 2", 0))
        self.assertEqual(self.board.sh("false"), ("", 1))
        self.assertEqual(self.board.run("echo ok"), "ok")
        self.assertTrue(self.board.typed)

    def test_bytes_that_are_not_utf8_travel_both_ways(self):
        self.assertEqual(self.board.run("echo \udcff"), "\udcff")

    def test_one_line_per_command(self):
        with self.assertRaises(ValueError):
            self.board.run("python -c 'a'\necho b")

    def test_timeout_is_board_dead(self):
        with self.assertRaises(qh.BoardDead) as cm:
            self.board.run("hang", timeout=1)
        self.assertIn("within", str(cm.exception))
        self.assertEqual(cm.exception.kind, "timeout")
        self.assertTrue(self.board.dead)

    def test_crash_dump_is_board_dead_without_waiting(self):
        with self.assertRaises(qh.BoardDead) as cm:
            self.board.run("crash", timeout=30)
        self.assertIn("crashed", str(cm.exception))
        self.assertEqual(cm.exception.kind, "crash")

    def test_exit_is_board_dead(self):
        with self.assertRaises(qh.BoardDead) as cm:
            self.board.run("exit", timeout=10)
        self.assertEqual(cm.exception.kind, "exit")

    def test_sync_after_a_partial_line(self):
        self.board.send("partial")
        self.board.sync(timeout=20)
        self.assertEqual(self.board.run("echo ok"), "ok")

    def test_reboot_resets_state(self):
        self.board.state.add("host")
        self.board.run("echo x")
        self.board.boot(timeout=10)
        self.assertEqual(self.board.state, set())
        self.assertFalse(self.board.typed)
        self.assertEqual(self.board.boots, 2)


if __name__ == "__main__":
    unittest.main()
