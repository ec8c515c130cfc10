#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""CPython's own tests on the board: run test modules one `python -m test`
at a time, read what regrtest printed, and sum it up.

Used by tests/target/test_cpython_suite.py (the runner of the on-target
suite) and unit-tested by tools/test_cpython_suite.py. A module is run as

    cd /tmp && python -m test -v MODULE

with regrtest's default resources (none: tests that need the network, a
GUI, audio, lots of CPU or disk are skipped as CPython's own offline runs
skip them). `-v` makes unittest print a line per test and its summary
("Ran N tests", "FAILED (failures=F, errors=E, skipped=S)"), which is what
the counts are read from; regrtest's own total does not count errors.
"""

import re
from dataclasses import dataclass, field

RAN_RE = re.compile(r"^Ran (\d+) tests? in ", re.M)
SUMMARY_RE = re.compile(r"^(OK|FAILED)(?: \(([^)]*)\))?\s*$", re.M)
RESULT_RE = re.compile(r"^== Tests result: ([A-Z ,]+?) ==", re.M)
MODULE_SKIPPED_RE = re.compile(r"^(test_\w+) skipped -- (.*?)\s*$", re.M)
# `test_x (test.test_mod.Class.test_x) ... skipped 'reason'`; a docstring
# line may come between the name and the dots.
TEST_SKIPPED_RE = re.compile(r"\.\.\. skipped (['\"])(.*?)\1\s*$", re.M)

# States of a module's run, worst first: what the table's result column says.
CRASH, TIMEOUT, NO_RESULT, FAILED, PASSED, SKIPPED = (
    "crash", "timeout", "no result", "failed", "passed", "skipped")


@dataclass
class ModuleResult:
    module: str
    state: str
    ran: int = 0
    failures: int = 0
    errors: int = 0
    skipped: int = 0
    expected_failures: int = 0
    skip_reasons: dict = field(default_factory=dict)
    note: str = ""

    @property
    def passed(self):
        """Tests that ran and did what they test: not failed, not in error,
        not skipped (an expected failure is CPython's own marking and
        counts as passed, as unittest does)."""
        return max(self.ran - self.failures - self.errors - self.skipped, 0)


def _summary_counts(text):
    counts = {}
    for part in (text or "").split(","):
        key, _, value = part.strip().partition("=")
        if value.strip().isdigit():
            counts[key.strip()] = counts.get(key.strip(), 0) + int(value)
    return counts


def parse_output(module, output):
    """A ModuleResult from what `python -m test -v MODULE` printed."""
    result = ModuleResult(module, NO_RESULT)
    result.ran = sum(int(n) for n in RAN_RE.findall(output))
    for _, counts in SUMMARY_RE.findall(output):
        c = _summary_counts(counts)
        result.failures += c.get("failures", 0)
        result.errors += c.get("errors", 0)
        result.skipped += c.get("skipped", 0)
        result.expected_failures += c.get("expected failures", 0)
    for _, reason in TEST_SKIPPED_RE.findall(output):
        result.skip_reasons[reason] = result.skip_reasons.get(reason, 0) + 1
    skipped_module = MODULE_SKIPPED_RE.search(output)
    verdict = RESULT_RE.search(output)
    if skipped_module and result.ran == 0:
        result.state = SKIPPED
        result.note = skipped_module.group(2)
    elif verdict is None:
        result.note = "regrtest printed no result"
    elif result.failures or result.errors or "FAILURE" in verdict.group(1):
        result.state = FAILED
        if result.ran == 0:
            result.note = "did not import or load" if "uncaught exception" in output \
                else verdict.group(1).strip()
    else:
        result.state = PASSED
    return result


def command(module):
    return f"python -m test -v {module}"


def read_modules(path):
    """Module names from a list file: one a line, # comments, blank lines."""
    names = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            name = line.split("#", 1)[0].strip()
            if name:
                names.append(name)
    return names


def totals(results):
    t = ModuleResult("total", "")
    for r in results:
        t.ran += r.ran
        t.failures += r.failures
        t.errors += r.errors
        t.skipped += r.skipped
        t.expected_failures += r.expected_failures
    return t


def markdown_table(results):
    """The table of docs/conformance.md: a row per module and the total."""
    rows = ["| module | ran | passed | failed | errors | skipped | result | note |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for r in list(results) + [totals(results)]:
        rows.append(f"| {r.module} | {r.ran} | {r.passed} | {r.failures} | {r.errors} | "
                    f"{r.skipped} | {r.state} | {r.note} |")
    return "\n".join(rows)


def skip_table(results):
    """Skip reasons over all modules, most frequent first."""
    reasons = {}
    for r in results:
        for reason, n in r.skip_reasons.items():
            reasons.setdefault(reason, [0, set()])
            reasons[reason][0] += n
            reasons[reason][1].add(r.module)
    rows = ["| skips | reason | modules |", "| ---: | --- | --- |"]
    for reason, (n, modules) in sorted(reasons.items(), key=lambda kv: (-kv[1][0], kv[0])):
        rows.append(f"| {n} | {reason} | {', '.join(sorted(modules))} |")
    return "\n".join(rows)
