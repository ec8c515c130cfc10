"""Tests of tools/qemu-harness.py: console parsing, prompt matching, NSH
output formats, result counting, and the expect loop against a fake NSH
(a small Python program standing in for QEMU, so no firmware is needed)."""

import contextlib
import importlib.util
import io
import os
import pathlib
import sys
import tempfile
import textwrap
import unittest

HERE = pathlib.Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("qemu_harness", HERE / "qemu-harness.py")
qh = importlib.util.module_from_spec(spec)
spec.loader.exec_module(qh)

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


class Results(unittest.TestCase):
    def test_summary_line(self):
        self.assertEqual(qh.summary_line(21, 0), "21 passed, 0 failed")
        self.assertEqual(qh.summary_line(10, 1, 1), "10 passed, 1 failed, 1 skipped")
        self.assertEqual(qh.summary_line(0, 0, 0), "0 passed, 0 failed")

    def test_count_results(self):
        rs = []
        for outcome in ("pass", "fail", "pass", "skip"):
            r = qh.Result("n", "t")
            r.outcome = outcome
            rs.append(r)
        self.assertEqual(qh.count_results(rs), (2, 1, 1))
        self.assertEqual(qh.count_results([]), (0, 0, 0))

    def test_boot_banner_is_the_launchers(self):
        # The line nuttx-app/src/boot.rs prints (its unit test has the same text).
        line = "python: boot script /usr/local/lib/scripts/main.py starts in 1000 ms; press any key to skip it"
        m = qh.BOOT_BANNER_RE.search("ABC\n" + line + "\r\n")
        self.assertEqual(m.groups(), ("/usr/local/lib/scripts/main.py", "1000"))

    def test_select_cases(self):
        all_cases = qh.select_cases([])
        self.assertEqual(len(all_cases), 16)
        self.assertEqual([n for _, n, _ in all_cases][:2], ["first-run", "modules"])
        chosen = qh.select_cases(["repl", "1", "first-run"])
        self.assertEqual([(num, n) for num, n, _ in chosen], [(1, "first-run"), (10, "repl")])
        with self.assertRaises(ValueError):
            qh.select_cases(["nope"])

    def test_every_case_has_a_title(self):
        for name, fn in qh.CASES:
            self.assertTrue((fn.__doc__ or "").strip(), name)

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

    def test_host_files(self):
        with tempfile.TemporaryDirectory() as d:
            qh.make_host_dir(d)
            self.assertTrue(os.path.isdir(os.path.join(d, "subdir")))
            with open(os.path.join(d, "nonutf8.py"), "rb") as f:
                self.assertIn(b"\xff", f.read())
            with open(os.path.join(d, "syntax_error.py")) as f:
                with self.assertRaises(SyntaxError):
                    compile(f.read(), "syntax_error.py", "exec")
            import json
            with open(os.path.join(d, "data.json")) as f:
                self.assertEqual(json.dumps(json.load(f), indent=4), qh.JSON_PRETTY)


class Main(unittest.TestCase):
    def run_main(self, argv):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = qh.main(argv)
        return rc, out.getvalue(), err.getvalue()

    def test_no_firmware_skips(self):
        for argv in ([], [""]):
            rc, out, _ = self.run_main(argv)
            self.assertEqual(rc, 0)
            self.assertEqual(out, "qemu harness: no firmware given, skipped\n")

    def test_missing_firmware_fails(self):
        rc, _, err = self.run_main(["/nonexistent/nuttx"])
        self.assertEqual(rc, 1)
        self.assertIn("no such file", err)

    def test_unknown_case_fails(self):
        rc, _, err = self.run_main(["", "--case", "nope"])
        self.assertEqual(rc, 1)
        self.assertIn("unknown case", err)

    def test_list(self):
        rc, out, _ = self.run_main(["--list"])
        self.assertEqual(rc, 0)
        self.assertEqual(len(out.strip().splitlines()), 16)


FAKE_NSH = textwrap.dedent(r'''
    import os, sys, time
    def w(s):
        os.write(1, s.encode())
    w("ABC[    0.007996] board_userled: LED 1 set to 0\r\n\r\nNuttShell (NSH)\r\nnsh> ")
    status = 0
    line = b""
    while True:
        c = os.read(0, 1)
        if not c:
            break
        if c != b"\n":
            line += c
            continue
        cmd, line = line.decode(), b""
        w("\x1b[K" + cmd + "\r\n")
        if cmd == "echo $?":
            w(f"{status}\r\n")
        elif cmd.startswith("echo "):
            w(cmd[5:] + "\r\n"); status = 0
        elif cmd == "false":
            status = 1
        elif cmd == "hang":
            time.sleep(60)
        elif cmd == "crash":
            w("dump_assert_info: Assertion failed panic: at file: x\r\n")
            time.sleep(60)
        elif cmd == "exit":
            sys.exit(0)
        elif cmd:
            w("[    1.000000] syslog: a record\r\nout 1\r\nout 2\r\n"); status = 0
        w("nsh> ")
''')


class ExpectLoop(unittest.TestCase):
    """Board against a fake NSH on pipes: prompt waits, status, timeouts."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        fake = os.path.join(self.tmp.name, "fake_nsh.py")
        with open(fake, "w") as f:
            f.write(FAKE_NSH)
        self.board = qh.Board([sys.executable, fake])
        self.board.boot(timeout=10)

    def tearDown(self):
        self.board.stop()
        self.tmp.cleanup()

    def test_run_and_status(self):
        self.assertEqual(self.board.sh("something"), ("out 1\nout 2", 0))
        self.assertEqual(self.board.sh("false"), ("", 1))
        self.assertEqual(self.board.run("echo ok"), "ok")
        self.assertTrue(self.board.typed)

    def test_one_line_per_command(self):
        with self.assertRaises(ValueError):
            self.board.run("python -c 'a'\necho b")

    def test_timeout_is_board_dead(self):
        with self.assertRaises(qh.BoardDead) as cm:
            self.board.run("hang", timeout=1)
        self.assertIn("within", str(cm.exception))
        self.assertTrue(self.board.dead)

    def test_crash_dump_is_board_dead_without_waiting(self):
        with self.assertRaises(qh.BoardDead) as cm:
            self.board.run("crash", timeout=30)
        self.assertIn("crashed", str(cm.exception))

    def test_exit_is_board_dead(self):
        with self.assertRaises(qh.BoardDead):
            self.board.run("exit", timeout=10)

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
