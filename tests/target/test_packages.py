# SPDX-License-Identifier: Apache-2.0
"""Packages: a PyPI package the image carries does its job, and a package
copied into the writable site directory (an SD card) imports, its .pth
honoured."""

import posixpath

import pytest

from nxqemu import has_line

CBOR_EXPECTED = [  # cbor2 5.9.0 on the host's CPython prints the same
    "cbor = a46673656e736f726274316763656c73697573fb40358000000000006773616d706c657383010203"
    "626f6bf5",
    "roundtrip = True",
]
SITE_RAMDISK = 3  # /dev/ram3: the fatfs fixture uses ram2


def test_cbor2_from_the_image(nsh, firmware, hostfs):
    if "cbor2==" not in firmware.config.get("CONFIG_INTERPRETERS_PYTHON_RS_PACKAGES", ""):
        pytest.skip("the image has no cbor2 (INTERPRETERS_PYTHON_RS_PACKAGES)")
    out, st = nsh.python(f"{hostfs}/cbor.py")
    missing = [line for line in CBOR_EXPECTED if not has_line(out, line)]
    assert not missing, f"missing {missing} in:\n{out}"
    assert st == 0, out


def test_a_package_on_the_sd_card_imports(nsh, firmware, hostfs):
    site = firmware.config.get("CONFIG_INTERPRETERS_PYTHON_RS_SITE_DIR", "").strip('"')
    card = posixpath.dirname(site)
    if not site or card in ("", "/"):
        pytest.skip("no writable site directory below a mount point "
                    "(INTERPRETERS_PYTHON_RS_SITE_DIR)")
    if not firmware.has("FS_FAT"):
        pytest.skip("the firmware has no FAT file system (FS_FAT) to stand in for an SD card")
    # Before the card is there, python starts as usual.
    out, st = nsh.python('-c "print(6*7)"')
    assert has_line(out, "42") and st == 0, out
    for cmd in (f"mkrd -m {SITE_RAMDISK} -s 512 640", f"mkfatfs /dev/ram{SITE_RAMDISK}",
                f"mount -t vfat /dev/ram{SITE_RAMDISK} {card}"):
        out, st = nsh.sh(cmd, 60)
        assert st == 0, f"`{cmd}`: status {st}, {out!r}"
    out, st = nsh.python(f"{hostfs}/site_dir.py {site}")
    assert has_line(out, "written") and st == 0, out
    out, st = nsh.python('-c "import sdpkg, extra_mod; print(sdpkg.WHERE, extra_mod.EXTRA)"')
    assert has_line(out, "card 42"), out
    assert st == 0, out
