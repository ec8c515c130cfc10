# SPDX-License-Identifier: Apache-2.0
############################################################################
# The Rust launcher: built by cargo, linked as build/lib/libpython_rs.a
# (included by the app's Makefile; EXTRA_LIBS in Make.defs names it).
#
# The crate needs nightly Rust with rust-src: NuttX targets are tier 3, so
# core is built from source (-Zbuild-std=core). The Rust target must match
# the board's ABI exactly, or the linker refuses to mix the objects.
############################################################################

PYRS_CARGO ?= cargo +nightly

ifeq ($(LLVM_ARCHTYPE),riscv32)
  ifeq ($(LLVM_ABITYPE),ilp32d)
    # No built-in rustc target has the double-float ABI; ours is in targets/.
    PYRS_RUST_TARGET := $(CURDIR)/targets/riscv32imafdc-unknown-nuttx-elf.json
  else ifeq ($(LLVM_ABITYPE),ilp32f)
    PYRS_RUST_TARGET := riscv32imafc-unknown-nuttx-elf
  else ifeq ($(CONFIG_ARCH_RV_ISA_A),y)
    PYRS_RUST_TARGET := riscv32imac-unknown-nuttx-elf
  endif
  # Without the A extension there is no atomic compare-exchange, which the
  # launcher's one-CPython-at-a-time claim needs: no target, and the build
  # stops with the message below.
else ifeq ($(LLVM_ARCHTYPE),riscv64)
  ifeq ($(LLVM_ABITYPE),lp64d)
    PYRS_RUST_TARGET := riscv64gc-unknown-nuttx-elf
  else
    PYRS_RUST_TARGET := riscv64imac-unknown-nuttx-elf
  endif
else ifneq ($(filter thumb%,$(LLVM_ARCHTYPE)),)
  PYRS_RUST_TARGET := $(LLVM_ARCHTYPE)-nuttx-$(LLVM_ABITYPE)
else ifeq ($(LLVM_ARCHTYPE),aarch64)
  PYRS_RUST_TARGET := aarch64-unknown-nuttx
endif

# Size: the firmware never prints Rust `Debug` output or panic locations,
# and the code avoids panics that format; these flags let core's formatting
# machinery drop out of the link (26 KB -> 8 KB for the launcher).
PYRS_RUSTFLAGS ?= -Zfmt-debug=none -Zlocation-detail=none

# compiler_builtins defines weak C math functions (fmod, sqrt, floor, ...).
# Left global, the linker takes them from our archive for libpython's calls
# before it reaches the board's libm; made local, libm serves them as before.
PYRS_LIBM_NAMES := cbrt ceil copysign fabs fdim floor fma fmax fmin fmod \
                   rint round sqrt trunc

PYRS_CARGO_DIR  := $(PYRS_BUILD)/cargo
PYRS_RUST_BUILT := $(PYRS_CARGO_DIR)/$(basename $(notdir $(PYRS_RUST_TARGET)))/release/libpython_rs.a
PYRS_RUST_LIB   := $(PYRS_LIBDIR)/libpython_rs.a
PYRS_RUST_SRCS  := $(CURDIR)/Cargo.toml $(CURDIR)/Cargo.lock \
                   $(shell find $(addprefix $(CURDIR)/,nuttx-sys mount launcher nuttx-app targets) \
                     -type f -not -path '*/tests/*')

$(PYRS_RUST_LIB): $(PYRS_RUST_SRCS) $(PYRS_DOTCONFIG)
	$(Q) if [ -z "$(PYRS_RUST_TARGET)" ]; then \
	  echo "python-rs: no Rust target is known for LLVM_ARCHTYPE=$(LLVM_ARCHTYPE)" \
	       "LLVM_ABITYPE=$(LLVM_ABITYPE) (the launcher needs atomic" \
	       "compare-exchange: on RISC-V the A extension); add one to rust.mk" >&2; exit 1; fi
	@echo "python-rs: building the launcher for $(notdir $(PYRS_RUST_TARGET))"
	+$(Q) NUTTX_TOPDIR="$(PYRS_NX_CONFDIR)" NUTTX_CC="$(CC)" NUTTX_CFLAGS="$(PYRS_CPPFLAGS)" \
	  RUSTFLAGS="$(PYRS_RUSTFLAGS)" \
	  $(PYRS_CARGO) build --release --locked -p nuttx-app \
	  -Zbuild-std=core -Zjson-target-spec \
	  --manifest-path $(CURDIR)/Cargo.toml \
	  --target $(PYRS_RUST_TARGET) --target-dir $(PYRS_CARGO_DIR)
	$(Q) mkdir -p $(PYRS_LIBDIR)
	$(Q) $(OBJCOPY) --wildcard $(patsubst %,--localize-symbol=%*,$(PYRS_LIBM_NAMES)) \
	  $(PYRS_RUST_BUILT) $@
