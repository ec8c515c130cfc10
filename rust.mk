# SPDX-License-Identifier: Apache-2.0
############################################################################
# The Rust launcher: built by cargo, linked as build/lib/libpython_rs.a
# (included by the app's Makefile; EXTRA_LIBS in Make.defs names it).
#
# The crate needs nightly Rust with rust-src: NuttX targets are tier 3, so
# core is built from source (-Zbuild-std=core). rust-toolchain.toml names
# the nightly; cargo and rustc run in this directory, where rustup reads it.
# The Rust target must match the board's ABI exactly, or the linker refuses
# to mix the objects.
############################################################################

PYRS_CARGO ?= cargo
PYRS_RUSTC ?= rustc

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
else ifneq ($(filter thumb% armv7a,$(LLVM_ARCHTYPE)),)
  # thumbv7a/armv7a (Cortex-A in Thumb or Arm mode), thumbv7m, ...: rustc
  # names its NuttX targets after NuttX's own LLVM_ARCHTYPE/LLVM_ABITYPE.
  PYRS_RUST_TARGET := $(LLVM_ARCHTYPE)-nuttx-$(LLVM_ABITYPE)
else ifneq ($(filter aarch64,$(LLVM_ARCHTYPE))$(CONFIG_ARCH_ARM64),)
  # NuttX's arm64 Toolchain.defs sets no LLVM_ARCHTYPE (only the simulator
  # on an AArch64 host does).
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
PYRS_RUST_SRCS  := $(CURDIR)/Cargo.toml $(CURDIR)/Cargo.lock $(CURDIR)/rust-toolchain.toml \
                   $(shell find $(addprefix $(CURDIR)/,nuttx-sys nuttx mount launcher nuttx-app targets) \
                     -type f -not -path '*/tests/*')

# Checked before the long CPython build starts (the Makefile orders it
# first): the pinned toolchain with rust-src, and a Rust target for this
# board.
PYRS_RUST_CHECKED := $(PYRS_BUILD)/rust-toolchain.checked

$(PYRS_RUST_CHECKED): $(CURDIR)/rust-toolchain.toml $(PYRS_DOTCONFIG)
	$(Q) if [ -z "$(PYRS_RUST_TARGET)" ]; then \
	  echo "python-rs: no Rust target is known for CONFIG_ARCH=$(CONFIG_ARCH)" \
	       "LLVM_ARCHTYPE=$(LLVM_ARCHTYPE) LLVM_ABITYPE=$(LLVM_ABITYPE) (the launcher" \
	       "needs atomic compare-exchange: on RISC-V the A extension); add one to rust.mk" \
	       "$(if $(CONFIG_ARCH_XTENSA),(Xtensa: rustc has no Xtensa backend; Espressif's" \
	       "fork, installed by espup, has one, with no NuttX target yet))" >&2; exit 1; fi
	$(Q) sysroot=$$($(PYRS_RUSTC) --print sysroot) || { \
	  echo "python-rs: the Rust toolchain named in $(CURDIR)/rust-toolchain.toml" \
	       "is not usable; install it with: (cd $(CURDIR) && rustup toolchain install)" >&2; \
	  exit 1; }; \
	  test -d "$$sysroot/lib/rustlib/src/rust/library/core" || { \
	  echo "python-rs: the Rust toolchain has no rust-src (needed to build core" \
	       "for $(notdir $(PYRS_RUST_TARGET))); (cd $(CURDIR) && rustup component add rust-src)" >&2; \
	  exit 1; }
	$(Q) case "$(PYRS_RUST_TARGET)" in *.json) ;; *) \
	  $(PYRS_RUSTC) --print target-list | grep -qx "$(PYRS_RUST_TARGET)" || { \
	  echo "python-rs: $$($(PYRS_RUSTC) -V) does not know the target $(PYRS_RUST_TARGET)" >&2; \
	  exit 1; };; esac
	$(Q) mkdir -p $(dir $@)
	$(Q) touch $@

$(PYRS_UNPACKED): | $(PYRS_RUST_CHECKED)

$(PYRS_RUST_LIB): $(PYRS_RUST_SRCS) $(PYRS_DOTCONFIG) $(PYRS_RUST_CHECKED)
	@echo "python-rs: building the launcher for $(notdir $(PYRS_RUST_TARGET))"
	+$(Q) NUTTX_TOPDIR="$(PYRS_NX_CONFDIR)" NUTTX_CC="$(CC)" NUTTX_CFLAGS="$(PYRS_CPPFLAGS)" \
	  RUSTFLAGS="$(PYRS_RUSTFLAGS)" \
	  $(PYRS_CARGO) build --release --locked -p nuttx-app \
	  -Zbuild-std=core -Zjson-target-spec \
	  --manifest-path $(CURDIR)/Cargo.toml \
	  --target $(PYRS_RUST_TARGET) --target-dir $(PYRS_CARGO_DIR)
	$(Q) mkdir -p $(PYRS_LIBDIR)
	$(Q) $(OBJCOPY) --wildcard $(patsubst %,--localize-symbol=%*,$(PYRS_LIBM_NAMES)) \
	  $(PYRS_RUST_BUILT) $@.new
	$(call PYRS_CHECK_NO_FMT,$@.new)
	$(Q) mv $@.new $@

# The launcher must not format (no `Debug`, no panic messages): core::fmt
# would cost the firmware about 18 KB. The archive always holds core; what
# counts is what the NSH entry reaches, so link it alone with
# --gc-sections and look for core::fmt among what is left.
PYRS_ENTRY := $(subst -,_,$(call unquote,$(CONFIG_INTERPRETERS_PYTHON_RS_PROGNAME)))_main

define PYRS_CHECK_NO_FMT
	$(Q) $(CC) $(PYRS_CFLAGS) -nostdlib -nostartfiles -Wl,--gc-sections \
	  -Wl,-e,$(PYRS_ENTRY) -Wl,-u,$(PYRS_ENTRY) -Wl,--unresolved-symbols=ignore-all \
	  -o $(PYRS_CARGO_DIR)/launcher-alone.elf $(1)
	$(Q) fmt=$$($(NM) -C $(PYRS_CARGO_DIR)/launcher-alone.elf | grep 'core::fmt::' || true); \
	  if [ -n "$$fmt" ]; then \
	    echo "python-rs: core::fmt is reachable from $(PYRS_ENTRY); the launcher" \
	         "must not format (rust.mk). Reached:" >&2; \
	    echo "$$fmt" | head -20 >&2; exit 1; fi
endef
