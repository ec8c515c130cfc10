# SPDX-License-Identifier: Apache-2.0
"""Tests of tools/ways_out.py: every way out is one NSH line whose Python
code compiles, and the loop of the killed runs says when it runs."""

import pathlib
import shlex
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import ways_out  # noqa: E402

# NSH ends a typed line at CONFIG_LINE_MAX - 1 characters (rv-virt: 300).
LINE_MAX = 300


class WaysOut(unittest.TestCase):
    def test_each_is_one_short_nsh_line(self):
        for way in ways_out.WAYS_OUT:
            line = f"python {way.args}{' &' if way.kill else ''}"
            self.assertLess(len(line), LINE_MAX - 1, way.name)
            self.assertNotIn("\n", line, way.name)

    def test_the_code_compiles(self):
        for way in ways_out.WAYS_OUT:
            words = shlex.split(way.args)
            self.assertEqual(words[0], "-c", way.name)
            compile(words[1], way.name, "exec")

    def test_killed_runs_loop_and_say_so(self):
        for way in ways_out.WAYS_OUT:
            if way.kill is not None:
                self.assertEqual(way.args, ways_out.LOOP)
                self.assertIsNone(way.status)
        self.assertRegex("looping\r\n", ways_out.LOOPING)

    def test_names_are_unique(self):
        names = [way.name for way in ways_out.WAYS_OUT]
        self.assertEqual(len(names), len(set(names)))


if __name__ == "__main__":
    unittest.main()
