/* SPDX-License-Identifier: Apache-2.0 */
/****************************************************************************
 * python_rs_romfs.S
 *
 * The standard library ROMFS image, built by the Makefile as
 * build/python-rs.romfs, included byte for byte into read-only data.  No C
 * array is generated; the assembler reads the file (.incbin searches the
 * -Wa,-I directory the Makefile adds).
 *
 *   python_rs_romfs_start  first byte of the image (aligned)
 *   python_rs_romfs_end    one past the last byte; the size is a multiple
 *                          of CONFIG_INTERPRETERS_PYTHON_RS_SECTORSIZE
 *   python_rs_romfs        what the launcher reads: { address of the
 *                          first byte, size in bytes }, two address-sized
 *                          words (one object: no pointer arithmetic
 *                          between two symbols on the Rust side)
 ****************************************************************************/

  .section .rodata.python_rs_romfs, "a"
  .balign 64

  .globl  python_rs_romfs_start
  .type   python_rs_romfs_start, STT_OBJECT
python_rs_romfs_start:
  .incbin "python-rs.romfs"
  .size   python_rs_romfs_start, . - python_rs_romfs_start

  .globl  python_rs_romfs_end
python_rs_romfs_end:

  .section .rodata.python_rs_romfs_desc, "a"
  .balign 8
  .globl  python_rs_romfs
  .type   python_rs_romfs, STT_OBJECT
python_rs_romfs:
  .dc.a   python_rs_romfs_start
  .dc.a   python_rs_romfs_end - python_rs_romfs_start
  .size   python_rs_romfs, . - python_rs_romfs
