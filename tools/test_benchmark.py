# SPDX-License-Identifier: Apache-2.0
"""Tests of tools/benchmark.py: binutils and NSH output parsing, the figures
and the table, and the runtime sequence against a fake NSH (a small Python
program standing in for QEMU, so no firmware is needed)."""

import argparse
import contextlib
import io
import os
import pathlib
import sys
import tempfile
import unittest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import benchmark as bm  # noqa: E402
import nxqemu  # noqa: E402

# riscv64-unknown-elf-nm -S --defined-only, lines as our firmware has them.
NM = """\
80055562 00000068 T python_main
800555ca 0000000a t OUTLINED_FUNCTION_0
80055be6 00000010 t OUTLINED_FUNCTION_0
80054500 00000236 T _RINvCsgn8k1o6XSwr_5mount14ensure_mountedNtNtNtCsatJTlDO7dAW_9python_rs5nuttx2os5NuttxEBI_
80d575a8 00000004 d _RNvCs2ayKGJpcth4_3log6LOGGER.0
80054600 00000020 T _ZN4core3fmt5write17h0123456789abcdefE
80054700 00000030 T _ZN6Server5startEv
80054800 00000030 T _ZN4core3ptr9drop_aliasE
80054800 00000030 T _ZN4core3ptr9drop_alias17h00000000deadbeefE
80050310 0000016a t check_and_mount_romfs
8005047a 00000070 T mutex_test
80bbab40 R python_rs_romfs_end
8026ba00 0094f140 R python_rs_romfs_start
802398d0 00920c00 r romfs_cpython_modules_img
"""

# riscv64-unknown-elf-size -A, shortened.
SIZE_A = """\
nuttx  :
section                               size         addr
.text                              2460882   2147483648
.rodata                           11512904   2149944576
.srodata.cst8                         4168   2161457480
.srodata.g_home                          2   2161461764
.rela.dyn                               12   2161471028
.tdata                                  14   2161471040
.tbss                                    8   2161471056
.data                               303664   2161471056
.got                                     8   2161774720
.sdata.g_wdactivelist                    8   2161774736
.sdata.PyExc_Warning                     4   2161774936
.bss                                199296   2161775584
.comment                                91            0
.debug_info                       18709270            0
Total                             46741368


"""

# python_wrapper.o of the upstream app, by size -A.
OBJECT_SIZE_A = """\
python_wrapper.o  :
section                                   size   addr
.text                                        0      0
.data                                        0      0
.bss                                         0      0
.rodata.check_and_mount_romfs.str1.4       261      0
.text.check_and_mount_romfs                390      0
.rodata.python_main.str1.4                  67      0
.text.python_main                          136      0
.rodata.__FUNCTION__.0                      22      0
.rodata.romfs_cpython_modules_img      9571328      0
.debug_info                               2591      0
Total                                  9578712
"""

# Console text of NSH `time` (its blank line, then the time).
TIME_OUT = '\x1b[Ktime "python -c pass"\r\n\r\n0.0680 sec\r\nnsh> '
FREE = (
    "      total       used       free    maxused    maxfree  nused  nfree name\n"
    "   19059104     304552   18754552    1986120   17072744    660     20 Umem\n"
)


class Symbols(unittest.TestCase):
    def test_parse_nm(self):
        symbols = bm.parse_nm(NM + "         U Py_BytesMain\nlibpython_rs.a:\n\nx.o:\n")
        self.assertIn((0x80055562, 0x68, "python_main"), symbols)
        self.assertIn((0x80BBAB40, None, "python_rs_romfs_end"), symbols)
        self.assertNotIn("Py_BytesMain", [name for _, _, name in symbols])
        self.assertEqual(len(symbols), 14)

    def test_launcher_code(self):
        yes = ["python_main", "OUTLINED_FUNCTION_12",
               "_RNvCs2ayKGJpcth4_3log6LOGGER.0", "_RINvCsgn8k1o6XSwr_5mount14ensure_mounted",
               "_R0NvC3foo3bar", "_ZN4core3fmt5write17h0123456789abcdefE"]
        no = ["check_and_mount_romfs", "main", "_ZN6Server5startEv", "_Rfoo", "_RNG_state",
              "_RAISE_SYNTAX_ERROR_INVALID_TARGET",
              "OUTLINED_FUNCTION_x", "python_main2", "nsh_main"]
        for name in yes:
            self.assertTrue(bm.is_launcher_code(name, "python_main"), name)
        for name in no:
            self.assertFalse(bm.is_launcher_code(name, "python_main"), name)

    def test_symbol_bytes_counts_an_alias_once(self):
        symbols = bm.parse_nm(NM)
        ours = bm.symbol_bytes(symbols, lambda n: bm.is_launcher_code(n, "python_main"))
        self.assertEqual(ours, 0x68 + 0xA + 0x10 + 0x236 + 4 + 0x20 + 0x30)
        upstream = bm.symbol_bytes(symbols, lambda n: n in {"python_main", "check_and_mount_romfs"})
        self.assertEqual(upstream, 0x68 + 0x16A)

    def test_find_symbol(self):
        symbols = bm.parse_nm(NM)
        start, _ = bm.find_symbol(symbols, "python_rs_romfs_start")
        end, size = bm.find_symbol(symbols, "python_rs_romfs_end")
        self.assertEqual(end - start, 0x94F140)
        self.assertIsNone(size)
        with self.assertRaises(bm.MeasureError) as cm:
            bm.find_symbol(symbols, "nope")
        self.assertIn("nope", str(cm.exception))


class Sections(unittest.TestCase):
    def test_parse_size_sections(self):
        sections = bm.parse_size_sections(SIZE_A)
        self.assertEqual(sections[0], (".text", 2460882))
        self.assertNotIn("Total", [name for name, _ in sections])
        self.assertNotIn("section", [name for name, _ in sections])
        self.assertEqual(len(sections), 14)

    def test_section_totals_sum_by_prefix(self):
        totals = bm.section_totals(bm.parse_size_sections(SIZE_A))
        self.assertEqual(totals, {
            "text": 2460882,
            "rodata": 11512904 + 4168 + 2,
            "data": 303664 + 8 + 4,  # not .tdata, .got, .rela.dyn
            "bss": 199296,  # not .tbss
        })

    def test_section_totals_leave_the_romfs_array_out(self):
        sections = bm.parse_size_sections(OBJECT_SIZE_A)
        totals = bm.section_totals(sections, leave_out=(".rodata.romfs_cpython_modules_img",))
        self.assertEqual(bm.text_and_all(totals), (390 + 136, 390 + 136 + 261 + 67 + 22))


class NshOutput(unittest.TestCase):
    def test_parse_nsh_time(self):
        self.assertEqual(bm.parse_nsh_time(nxqemu.command_output(TIME_OUT)), 0.068)
        self.assertEqual(bm.parse_nsh_time("1.0 sec\n\n12.3456 sec"), 12.3456)
        self.assertIsNone(bm.parse_nsh_time("nsh: time: missing required argument(s)"))
        self.assertIsNone(bm.parse_nsh_time("took 0.5 sec here"))

    def test_other_lines(self):
        self.assertEqual(bm.other_lines("\n0.0680 sec"), [])
        self.assertEqual(bm.other_lines("Traceback\nValueError: x\n\n0.1 sec"),
                         ["Traceback", "ValueError: x"])

    def test_user_heap_has_maxused(self):
        row = nxqemu.user_heap(FREE)
        self.assertEqual((row["used"], row["maxused"]), (304552, 1986120))
        self.assertIsNone(nxqemu.user_heap("nsh: free: command not found"))


class Figures(unittest.TestCase):
    def test_growth_per_run(self):
        self.assertEqual(bm.growth_per_run(144408, 361584, 3), 108588.0)
        self.assertEqual(bm.growth_per_run(304552, 304552, 20), 0.0)

    def test_parse_build_seconds(self):
        self.assertEqual(bm.parse_build_seconds("312:95.5"), (312.0, 95.5))
        for bad in ("312", "a:b", "1:2:3", ""):
            with self.assertRaises(argparse.ArgumentTypeError):
                bm.parse_build_seconds(bad)

    def test_format_value(self):
        self.assertEqual(bm.format_value(24834, "bytes"), "24834")
        self.assertEqual(bm.format_value(108588.0, "bytes/run"), "108588.0")
        self.assertEqual(bm.format_value(0.068, "s"), "0.0680")
        self.assertEqual(bm.format_value(312.0, "build s"), "312")
        self.assertEqual(bm.format_value(None, "s"), "n/a")

    def test_ratio_text(self):
        self.assertEqual(bm.ratio_text(24834, 474), "52.39")
        self.assertEqual(bm.ratio_text(0.068, 0.0895), "0.76")
        self.assertEqual(bm.ratio_text(1, 1), "1.00")
        self.assertEqual(bm.ratio_text(0.0, 0.0), "-")
        self.assertEqual(bm.ratio_text(None, 3), "n/a")
        self.assertEqual(bm.ratio_text(3, None), "n/a")

    def test_failed_figures_are_none_and_said_on_stderr(self):
        figures = bm.Figures("ours")
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            figures.attempt(("a", "b"), lambda: (1, 2))
            figures.attempt(("c",), lambda: 3)
            self.assertFalse(figures.failed)
            figures.attempt(("d", "e"), lambda: bm.find_symbol([], "python_main"))
        self.assertEqual(figures, {"a": 1, "b": 2, "c": 3, "d": None, "e": None})
        self.assertTrue(figures.failed)
        self.assertEqual(err.getvalue(), "benchmark: ours: d, e: n/a: no symbol python_main\n")


ROWS = [("size", "code (bytes)", "bytes"), ("time", "run (virtual s)", "s"),
        ("alone", "alone (bytes)", "bytes"), ("build", "build (s)", "build s")]


class Table(unittest.TestCase):
    def test_rows_with_upstream(self):
        ours = {"size": 24834, "time": 0.068, "alone": 26004}
        upstream = {"size": 474, "time": None}
        self.assertEqual(bm.table_rows(ROWS, ours, upstream), [
            ("code (bytes)", "24834", "474", "52.39"),
            ("run (virtual s)", "0.0680", "n/a", "n/a"),
            ("alone (bytes)", "26004", "-", "-"),  # no --upstream-object
        ])  # no build row: no --build-seconds

    def test_rows_without_upstream(self):
        self.assertEqual(bm.table_rows(ROWS, {"size": 24834, "time": None}, None), [
            ("code (bytes)", "24834", "-", "-"),
            ("run (virtual s)", "n/a", "-", "-"),
        ])

    def test_plain_table_is_aligned(self):
        text = bm.format_table([("code (bytes)", "24834", "474", "52.39"),
                                ("run (virtual s)", "0.0680", "n/a", "n/a")])
        self.assertEqual(text.splitlines(), [
            "metric             ours  upstream  ours/upstream",
            "code (bytes)      24834       474          52.39",
            "run (virtual s)  0.0680       n/a            n/a",
        ])

    def test_markdown_table(self):
        text = bm.format_table([("code (bytes)", "24834", "474", "52.39")], markdown=True)
        self.assertEqual(text.splitlines(), [
            "| metric | ours | upstream | ours/upstream |",
            "|---|---:|---:|---:|",
            "| code (bytes) | 24834 | 474 | 52.39 |",
        ])

    def test_metric_rows(self):
        rows = bm.metric_rows(7)
        keys = [key for key, _, _ in rows]
        self.assertEqual(len(keys), len(set(keys)))
        self.assertTrue(set(bm.RUNTIME_KEYS) <= set(keys))
        for _, label, kind in rows:
            self.assertNotIn("|", label)
            self.assertIn(kind, bm.FORMATS)
        self.assertIn("heap used after 7 runs (bytes)", [label for _, label, _ in rows])
        for key, _ in bm.PEAK_COMMANDS:
            for row in ("peak", "ram", "pyheap", "ramhw"):
                self.assertIn(f"{row}_{key}", keys)

    def test_peak_figures(self):
        free = """\
      total       used       free    maxused    maxfree  nused  nfree name
   12582912    1311600   11271312    1426624   10962032      8      6 python
   19289056   12936352    6352704   13080160    6044600    701     16 Umem
"""
        heap = bm.python_heap(free)
        self.assertEqual(heap, (12582912, 1426624))
        # The block counted whole, then by its high-water mark.
        self.assertEqual(bm.peak_figures(380639, 13080160, heap),
                         (13080160, 13460799, 1426624, 13460799 - 12582912 + 1426624))
        # Upstream: no heap of its own.
        self.assertIsNone(bm.python_heap(free.replace("python", "other")))
        self.assertEqual(bm.peak_figures(356427, 1874480, None),
                         (1874480, 2230907, None, 2230907))
        self.assertEqual(bm.peak_figures(None, 1874480, None), (1874480, None, None, None))

    def test_pyruntime_counts_as_data(self):
        totals = bm.section_totals([(".data", 142131), (".PyRuntime", 147048), (".bss", 67232)])
        self.assertEqual(totals["data"], 289179)


class Main(unittest.TestCase):
    def run_main(self, argv):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = bm.main(argv)
        return rc, out.getvalue(), err.getvalue()

    def test_no_firmware_skips(self):
        for argv in ([], [""], ["", "--upstream", "/nonexistent"]):
            rc, out, _ = self.run_main(argv)
            self.assertEqual(rc, 0)
            self.assertEqual(out, "benchmark: no firmware given, skipped\n")

    def test_missing_inputs_fail(self):
        with tempfile.NamedTemporaryFile() as fw:
            for argv in (["/nonexistent/nuttx"], [fw.name, "--upstream", "/nonexistent/up"],
                         [fw.name, "--upstream-object", "/nonexistent/o"]):
                rc, out, err = self.run_main(argv)
                self.assertEqual((rc, out), (1, ""))
                self.assertIn("no such file", err)

    def test_runs_must_allow_a_growth(self):
        with tempfile.NamedTemporaryFile() as fw:
            rc, _, err = self.run_main([fw.name, "--runs", "1"])
        self.assertEqual(rc, 1)
        self.assertIn("--runs", err)


class Runtime(unittest.TestCase):
    """The command sequence against a fake NSH on pipes."""

    def setUp(self):
        self.board = nxqemu.Board([sys.executable, str(HERE / "fake_nsh.py")])

    def tearDown(self):
        self.board.stop()

    def test_sequence(self):
        figures = bm.Figures("ours")
        bm.runtime(figures, self.board, "python", 4)
        self.assertFalse(figures.failed)
        self.assertEqual(figures, {
            "heap_boot": 16336,
            "time_first": 0.0679,
            "heap_first": 304552, "peak_first": 1986120,
            "time_last": 0.0676,
            "heap_last": 307552, "peak_last": 1986120,
            "heap_growth": 1000.0,
            "time_import": 0.116,
            "time_repl": 0.1908,
        })
        self.assertIsNone(self.board.proc)  # QEMU stopped

    def test_output_makes_the_rest_n_a(self):
        figures = bm.Figures("ours")
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            bm.runtime(figures, self.board, "broken", 3)
        self.assertTrue(figures.failed)
        self.assertEqual(figures["heap_boot"], 16336)
        self.assertEqual([k for k in bm.RUNTIME_KEYS if figures[k] is None],
                         [k for k in bm.RUNTIME_KEYS if k != "heap_boot"])
        self.assertIn("`broken -c pass` printed ['Traceback (most recent call last):']", err.getvalue())


if __name__ == "__main__":
    unittest.main()
