# SPDX-License-Identifier: Apache-2.0
"""Reading regrtest's output (tools/cpython_suite.py). The samples are what
CPython's regrtest printed for a module with one test of each outcome, a
module that does not import and a module skipped whole."""

import os
import tempfile
import unittest

import cpython_suite as cs

MIXED = 'test_error (test_fake.T.test_error) ... ERROR\r\ntest_fail (test_fake.T.test_fail) ... FAIL\r\ntest_ok (test_fake.T.test_ok) ... ok\r\ntest_skip (test_fake.T.test_skip) ... skipped \'requires fork\'\r\ntest_xfail (test_fake.T.test_xfail) ... expected failure\r\n\r\n======================================================================\r\nERROR: test_error (test_fake.T.test_error)\r\n----------------------------------------------------------------------\r\nTraceback (most recent call last):\r\n  File "/tmp/fakedir/test_fake.py", line 5, in test_error\r\n    def test_error(self): raise OSError(38, "nope")\r\n                          ^^^^^^^^^^^^^^^^^^^^^^^^^\r\nOSError: [Errno 38] nope\r\n\r\n======================================================================\r\nFAIL: test_fail (test_fake.T.test_fail)\r\n----------------------------------------------------------------------\r\nTraceback (most recent call last):\r\n  File "/tmp/fakedir/test_fake.py", line 4, in test_fail\r\n    def test_fail(self): self.assertEqual(1, 2)\r\n                         ^^^^^^^^^^^^^^^^^^^^^^\r\nAssertionError: 1 != 2\r\n\r\n----------------------------------------------------------------------\r\nRan 5 tests in 0.008s\r\n\r\nFAILED (failures=1, errors=1, skipped=1, expected failures=1)\r\ntest test_fake failed\r\ntest_fake failed (1 error, 1 failure)\r\n\r\n== Tests result: FAILURE ==\r\n\r\n1 test failed:\r\n    test_fake\r\n\r\nTotal duration: 106 ms\r\nTotal tests: run=5 failures=1 skipped=1\r\nTotal test files: run=1/1 failed=1\r\nResult: FAILURE\r\n'

BROKEN = "ModuleNotFoundError: No module named 'nonexistent_module_xyz'\r\n\r\ntest_broken failed (uncaught exception)\r\n\r\n== Tests result: FAILURE ==\r\n\r\n1 test failed:\r\n    test_broken\r\n\r\nTotal duration: 88 ms\r\nTotal tests: run=0\r\nTotal test files: run=1/1 failed=1\r\nResult: FAILURE\r\n"

SKIPPED_MODULE = "test_winreg skipped -- No module named 'winreg'\r\ntest_winreg skipped\r\n\r\n== Tests result: SUCCESS ==\r\n\r\n1 test skipped:\r\n    test_winreg\r\n\r\nTotal duration: 49 ms\r\nTotal tests: run=0\r\nTotal test files: run=1/1 skipped=1\r\nResult: SUCCESS\r\n"


class ParseOutput(unittest.TestCase):
    def test_each_outcome_is_counted(self):
        r = cs.parse_output("test_fake", MIXED)
        self.assertEqual((r.state, r.ran, r.failures, r.errors, r.skipped, r.expected_failures),
                         (cs.FAILED, 5, 1, 1, 1, 1))
        self.assertEqual(r.passed, 2)
        self.assertEqual(r.skip_reasons, {"requires fork": 1})
        self.assertEqual(r.failure_lines, {"test_error: OSError: [Errno N] nope": 1,
                                           "test_fail: AssertionError: N != N": 1})
        table = cs.failure_table([r]).splitlines()
        self.assertEqual(table[2:], ["| 2 | not analysed | AssertionError: N != N; "
                                     "OSError: [Errno N] nope | test_fake |"])

    def test_failures_are_counted_by_cause(self):
        r = cs.ModuleResult("test_codecs", cs.FAILED, ran=3, errors=3, failure_lines={
            "test_big5: LookupError: unknown encoding: bigN": 2,
            "test_x: AssertionError: N != N": 1})
        self.assertEqual(cs.failure_table([r]).splitlines()[2:], [
            "| 2 | CJK codecs left out of this build (size) | LookupError: unknown encoding: bigN "
            "| test_codecs |",
            "| 1 | not analysed | AssertionError: N != N | test_codecs |"])

    def test_a_module_that_does_not_import_fails(self):
        r = cs.parse_output("test_broken", BROKEN)
        self.assertEqual((r.state, r.ran, r.note), (cs.FAILED, 0, "did not import or load"))

    def test_a_module_skipped_whole(self):
        r = cs.parse_output("test_winreg", SKIPPED_MODULE)
        self.assertEqual((r.state, r.ran, r.note), (cs.SKIPPED, 0, "No module named 'winreg'"))

    def test_success(self):
        out = "Ran 30 tests in 0.022s\r\n\r\nOK (skipped=2)\r\n\r\n== Tests result: SUCCESS ==\r\n"
        r = cs.parse_output("test_bool", out)
        self.assertEqual((r.state, r.ran, r.skipped, r.passed), (cs.PASSED, 30, 2, 28))

    def test_no_verdict_is_no_result(self):
        r = cs.parse_output("test_x", "Ran 3 tests in 1s\r\n")
        self.assertEqual(r.state, cs.NO_RESULT)

    def test_a_module_cut_short_counts_the_tests_it_finished(self):
        # A package's finished part prints its summary; the part that ran
        # out of time only its verdict lines, some after the test's output.
        out = ("Ran 3 tests in 1s\r\n\r\nOK\r\n"
               "test_a (test.t.T.test_a) ... ok\r\n"
               "test_b (test.t.T.test_b) ... skipped 'requires fork'\r\n"
               "test_c (test.t.T.test_c) ... Trying:\r\n    x\r\nok\r\n"
               "test_d (test.t.T.test_d) ... FAIL\r\n"
               "test_e (test.t.T.test_e) ... ")
        r = cs.parse_output("test_t", out)
        self.assertEqual((r.state, r.ran, r.skipped, r.failures, r.passed),
                         (cs.NO_RESULT, 7, 1, 1, 5))


class Tables(unittest.TestCase):
    def test_markdown_has_a_row_per_module_and_a_total(self):
        results = [cs.parse_output("test_fake", MIXED), cs.ModuleResult("test_os", cs.TIMEOUT)]
        table = cs.markdown_table(results).splitlines()
        self.assertEqual(len(table), 2 + 3)
        self.assertIn("| test_fake | 5 | 2 | 1 | 1 | 1 | failed |", table[2])
        self.assertIn("| test_os | 0 | 0 | 0 | 0 | 0 | timeout |", table[3])
        self.assertTrue(table[4].startswith("| total | 5 | 2 |"))

    def test_skip_reasons_are_summed_across_modules(self):
        a = cs.ModuleResult("a", cs.PASSED, skip_reasons={"requires fork": 2})
        b = cs.ModuleResult("b", cs.PASSED, skip_reasons={"requires fork": 1, "x": 5})
        rows = cs.skip_table([a, b]).splitlines()
        self.assertEqual(rows[2], "| 5 | x | other | no | b |")
        self.assertEqual(rows[3], "| 3 | requires fork | no processes on NuttX | yes | a, b |")


class PassRate(unittest.TestCase):
    def test_causes(self):
        for reason, cause, excluded in [
            ("requires Windows", "a test for another platform", True),
            ("Use of the 'urlfetch' resource not enabled", "a resource CPython's offline runs leave out", True),
            ("requires working os.fork()", "no processes on NuttX", True),
            ("requires subprocess support", "no processes on NuttX", True),
            ("Requires functional symlink implementation", "no symbolic links in NuttX's file systems", True),
            ("requires working os.chmod()", "no file modes on NuttX", True),
            ("not enough memory: 2.0G minimum needed", "more memory than the board has", True),
            ("requires os.link", "no hard links in NuttX's file systems", True),
            ("Missing hardlink implementation", "no hard links in NuttX's file systems", True),
            ("Requires dynamic loading support.",
             "no shared libraries on NuttX (test modules built in)", True),
            ("test requires os.link to be missing", "skipped on Linux too, or by this configuration",
             True),
            ("requires bz2", "a module this build leaves out", False),
            ("test requires docstrings", "built without docstrings (size)", False),
            ("a reason nobody wrote down", "other", False),
        ]:
            self.assertEqual(cs.skip_cause(reason), (cause, excluded), reason)

    def test_rate_leaves_out_only_skips_for_what_nuttx_lacks(self):
        r = cs.ModuleResult("m", cs.FAILED, ran=100, failures=5, skipped=15,
                            skip_reasons={"requires working os.fork()": 10, "requires bz2": 5})
        # passed = 100 - 5 - 15 = 80; denominator = 100 - 10
        self.assertAlmostEqual(cs.pass_rate([r]), 80 / 90)
        self.assertIn("pass rate 88.9 %", cs.summary([r]))
        self.assertIn("hung or crashed: none", cs.summary([r]))


class ConsoleLog(unittest.TestCase):
    def test_each_module_part_is_read_and_the_silent_ones_judged(self):
        log = ("=== test test_cpython_suite.py::test_cpython_module[test_fake] ===\n" + MIXED
               + "\n=== test test_cpython_suite.py::test_cpython_module[test_hang] ===\n"
               + "test_x (t.T.test_x) ... \n"
               + "=== test test_cpython_suite.py::test_cpython_module[test_boom] ===\n"
               + "riscv_exception: EXCEPTION: Load access fault.\n")
        results = cs.results_from_log(log)
        self.assertEqual([(r.module, r.state) for r in results],
                         [("test_fake", cs.FAILED), ("test_hang", cs.TIMEOUT), ("test_boom", cs.CRASH)])
        self.assertIn("hung or crashed: test_hang (timeout), test_boom (crash)", cs.report(results))


class ModuleList(unittest.TestCase):
    def test_comments_and_blank_lines_are_ignored(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write("# builtins\ntest_bool\n\ntest_int  # ints\n")
        try:
            self.assertEqual(cs.read_modules(f.name), ["test_bool", "test_int"])
        finally:
            os.unlink(f.name)

    def test_the_suite_list_names_at_least_90_modules_once(self):
        here = os.path.dirname(os.path.abspath(__file__))
        names = cs.read_modules(os.path.join(here, "..", "tests", "target", "cpython_modules.txt"))
        self.assertGreaterEqual(len(names), 90)
        self.assertEqual(len(names), len(set(names)))


if __name__ == "__main__":
    unittest.main()
