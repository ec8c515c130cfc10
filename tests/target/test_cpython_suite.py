# SPDX-License-Identifier: Apache-2.0
"""CPython's own test suite on the board (docs/conformance.md): one
`python -m test -v MODULE` per module in /tmp, with a time limit. A module
that hangs or takes the board down is recorded as such, and the next one
gets a freshly booted board. The counts are printed as a table at the end
(--cpython-report writes it to a file). Needs a firmware built with
INTERPRETERS_PYTHON_RS_TEST_SUITE; --cpython-modules picks the modules."""

import os

import cpython_suite as cs
import nxqemu
import pytest


def module_names(config):
    value = config.getoption("--cpython-modules")
    if os.path.isfile(value):
        return cs.read_modules(value)
    return [name.strip() for name in value.split(",") if name.strip()]


def pytest_generate_tests(metafunc):
    if "cpython_module" in metafunc.fixturenames:
        metafunc.parametrize("cpython_module", module_names(metafunc.config))


def test_cpython_module(request, firmware, board, cpython_module):
    if not firmware.has("INTERPRETERS_PYTHON_RS_TEST_SUITE"):
        pytest.skip("the firmware was built without CPython's test suite "
                    "(INTERPRETERS_PYTHON_RS_TEST_SUITE)")
    timeout = request.config.getoption("--cpython-timeout")
    board.run("cd /tmp", 20)
    mark = board.mark()
    command = cs.command(cpython_module).replace("python", firmware.progname, 1)
    try:
        result = cs.parse_output(cpython_module, board.run(command, timeout))
    except nxqemu.BoardDead as e:
        result = cs.parse_output(cpython_module, board.text(mark))
        result.state = cs.TIMEOUT if e.kind == "timeout" else cs.CRASH
        result.note = str(e)[:120].replace("|", "/")
        board.stop()
        board.dead = True
    if not hasattr(request.config, "cpython_results"):
        request.config.cpython_results = []
    request.config.cpython_results.append(result)
    assert result.state not in (cs.CRASH, cs.TIMEOUT), f"{cpython_module}: {result.note}"
