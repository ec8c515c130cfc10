# SPDX-License-Identifier: Apache-2.0
############################################################################
# CPython for NuttX, started by a Rust launcher (nuttx-apps application)
#
# What this Makefile does, in build order:
#   1. takes the pinned CPython release archive (a local copy named by
#      CONFIG_INTERPRETERS_PYTHON_RS_ARCHIVE, else a download), checks its
#      SHA-256 before anything is unpacked, unpacks it and applies
#      patches/*.patch in name order (no fuzz allowed);
#   2. builds a host ("build") Python of the same version, which CPython's
#      cross build needs to freeze modules and which compiles the stdlib;
#   3. configures CPython for the target with a config.site and a
#      Modules/Setup.local both generated from the NuttX configuration,
#      and builds libpython plus its helper archives into one archive,
#      build/lib/libpython<X.Y>.a, which Make.defs hands to the linker;
#   4. compiles the stdlib and the listed PyPI packages (verified wheels,
#      tools/sitepackages.py) to .pyc, stages them with the user scripts
#      and packs a reproducible ROMFS image (tools/mkromfs.py);
#   5. embeds the image with .incbin (python_rs_romfs.S) into .rodata;
#   6. builds the Rust launcher with cargo (section marked below).
#
# Everything generated lives under build/ ; "make distclean" removes it.
#
# The NuttX CMake build (CMakeLists.txt) runs this Makefile too, with
# PYRS_CMAKE_DEFS naming a file it generates in place of NuttX's Make.defs:
# tools, flags, the .config and where to build; then Application.mk is
# not used and CMake compiles, registers and links the app.
############################################################################

ifeq ($(PYRS_CMAKE_DEFS),)
include $(APPDIR)/Make.defs
else
include $(PYRS_CMAKE_DEFS)
endif

# ---------------------------------------------------------------------------
# Settings from Kconfig (strings arrive quoted)
# ---------------------------------------------------------------------------

# Word by word: a value with spaces ("a b") is two words, `"a` and `b"`.
unquote = $(patsubst "%,%,$(patsubst %",%,$(strip $(1))))

PYRS_VERSION    := $(call unquote,$(CONFIG_INTERPRETERS_PYTHON_RS_VERSION))
PYRS_SERIES     := $(basename $(PYRS_VERSION))
PYRS_SHA256     := $(call unquote,$(CONFIG_INTERPRETERS_PYTHON_RS_SHA256))
PYRS_ARCHIVE    := $(call unquote,$(CONFIG_INTERPRETERS_PYTHON_RS_ARCHIVE))
PYRS_SCRIPTS    := $(call unquote,$(CONFIG_INTERPRETERS_PYTHON_RS_SCRIPTS_DIR))
PYRS_SECTORSIZE := $(CONFIG_INTERPRETERS_PYTHON_RS_SECTORSIZE)
PYRS_PACKAGES   := $(call unquote,$(CONFIG_INTERPRETERS_PYTHON_RS_PACKAGES))
PYRS_WHEEL_DIR  := $(call unquote,$(CONFIG_INTERPRETERS_PYTHON_RS_WHEEL_DIR))
PYRS_SITE_DIR   := $(call unquote,$(CONFIG_INTERPRETERS_PYTHON_RS_SITE_DIR))

PYRS_URL ?= https://www.python.org/ftp/python/$(PYRS_VERSION)/Python-$(PYRS_VERSION).tar.xz

# ---------------------------------------------------------------------------
# Build knobs (make variables; override on the make command line)
# ---------------------------------------------------------------------------

# Optimisation level of the target C code (CPython's OPT).
PYRS_OPT ?= -Os

# compileall optimisation for the stdlib .pyc (Kconfig choice): 0 keeps
# asserts and docstrings, 1 drops asserts, 2 also drops docstrings.
PYRS_PYC_OPTIMIZE ?= $(if $(CONFIG_INTERPRETERS_PYTHON_RS_PYC_OPTIMIZE_0),0,$(if \
                      $(CONFIG_INTERPRETERS_PYTHON_RS_PYC_OPTIMIZE_2),2,1))

# Keep the .py sources in the image next to the .pyc (tracebacks then show
# source lines; the image roughly doubles).
PYRS_KEEP_SOURCES ?= n

# Extension modules left out although NuttX could build them (size).  The
# CJK codecs alone are about 1 MB of tables.
PYRS_DISABLED_MODULES ?= _codecs_cn _codecs_hk _codecs_iso2022 _codecs_jp \
                         _codecs_kr _codecs_tw _multibytecodec

# Stdlib packages and modules left out of the image (Kconfig profile).
# Small: test suites, desktop and GUI modules, installers, pydoc's data,
# and modules whose C part is not built for NuttX.
ifeq ($(CONFIG_INTERPRETERS_PYTHON_RS_STDLIB_FULL),y)
  PYRS_STDLIB_DROP ?=
else
  PYRS_STDLIB_DROP ?= test __phello__ idlelib tkinter turtle.py turtledemo \
                      webbrowser.py antigravity.py ensurepip venv pydoc_data \
                      curses sqlite3 multiprocessing ssl.py bz2.py lzma.py
endif

# Stack of the threads Python starts (threading).  NuttX's default pthread
# stack is a few KB, which CPython overflows at once (and the overflow
# lands on the thread's TLS); use the size of the Python task itself.
PYRS_THREAD_STACK ?= $(CONFIG_INTERPRETERS_PYTHON_RS_STACKSIZE)

# Volume name written into the ROMFS superblock.
PYRS_VOLUME ?= python$(PYRS_SERIES)

# ---------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------

# Set by Make.defs (the CMake build: by its stand-in, or here).
PYRS_BUILD   ?= $(CURDIR)/build
PYRS_DLDIR   := $(PYRS_BUILD)/download
PYRS_SRC     := $(PYRS_BUILD)/Python-$(PYRS_VERSION)
PYRS_HOST    := $(PYRS_BUILD)/host
PYRS_HOSTPY  := $(PYRS_HOST)/python
PYRS_TARGET  := $(PYRS_BUILD)/target
PYRS_LIBDIR  := $(PYRS_BUILD)/lib
PYRS_LIB     := $(PYRS_LIBDIR)/libpython$(PYRS_SERIES).a
PYRS_STAGE   := $(PYRS_BUILD)/romfs
PYRS_IMAGE   := $(PYRS_BUILD)/python-rs.romfs
PYRS_PATCHES := $(sort $(wildcard $(CURDIR)/patches/*.patch))

# The configured NuttX: the folder holding .config and include/nuttx/config.h,
# and the NuttX include folders.  The Make build keeps all in TOPDIR; the
# CMake build sets these to its binary folder and its include list.
PYRS_NX_CONFDIR ?= $(TOPDIR)
PYRS_NX_INCDIRS ?= $(TOPDIR)/include
PYRS_DOTCONFIG  := $(PYRS_NX_CONFDIR)/.config

ifneq ($(PYRS_ARCHIVE),)
  PYRS_TARBALL := $(PYRS_ARCHIVE)
else
  PYRS_TARBALL := $(PYRS_DLDIR)/Python-$(PYRS_VERSION).tar.xz
endif

# Stamps mark finished steps.
PYRS_UNPACKED := $(PYRS_SRC)/.pyrs-patched
PYRS_HOSTDONE := $(PYRS_HOST)/.pyrs-built
PYRS_CONFIGD  := $(PYRS_TARGET)/.pyrs-configured

# Where things are on the target.  The image is mounted at MOUNTPOINT and
# holds python<X.Y>/ (the stdlib) and scripts/ (CONFIG_..._SCRIPTS_DIR), so
# with PYTHONHOME=/usr/local and MOUNTPOINT=/usr/local/lib the stdlib is at
# /usr/local/lib/python<X.Y> and user scripts at /usr/local/lib/scripts.
PYRS_MOUNTPOINT := $(call unquote,$(CONFIG_INTERPRETERS_PYTHON_RS_MOUNTPOINT))
PYRS_TARGET_STDLIB := $(PYRS_MOUNTPOINT)/python$(PYRS_SERIES)

# ---------------------------------------------------------------------------
# Release archives (CPython's, section 1; libffi's, libffi.mk)
# ---------------------------------------------------------------------------

# Both take the archive's make variables by their prefix $(1): $(1)_TARBALL
# (the file), $(1)_ARCHIVE (the configured local copy, empty to download),
# $(1)_URL and $(1)_SHA256; its Kconfig options by their prefix $(2)
# ($(2)_ARCHIVE, $(2)_SHA256); and $(3), the archive's name in messages.

# The archive's rule ($(eval $(call ...))): a download goes to $@.part
# first, so an interrupted one leaves nothing that looks complete; a
# configured local copy is never fetched over.
define PYRS_ARCHIVE_RULE
$$($(1)_TARBALL):
ifeq ($$($(1)_ARCHIVE),)
	$$(Q) mkdir -p $$(PYRS_DLDIR)
	@echo "python-rs: downloading $$($(1)_URL)"
	$$(Q) curl -fL --retry 2 -o $$@.part "$$($(1)_URL)" || { \
	  rm -f $$@.part; \
	  echo "python-rs: download failed. Offline? Set" \
	       "$(2)_ARCHIVE to a local copy of" \
	       "$(3)." >&2; \
	  exit 1; }
	$$(Q) mv $$@.part $$@
else
	@echo "python-rs: $(2)_ARCHIVE names $$@," \
	      "which does not exist. Point it at a copy of" \
	      "$(3), or empty it to download" \
	      "$$($(1)_URL)" >&2
	@exit 1
endif
endef

# The SHA-256 check, before anything is unpacked (a recipe: $(call ...)).
# A bad download is deleted, so the next build fetches it again; a local
# copy is left alone.
define PYRS_VERIFY_ARCHIVE
	$(Q) if [ -z "$($(1)_SHA256)" ]; then \
	  echo "python-rs: $(2)_SHA256 is empty;" \
	       "set it to the SHA-256 of $(3)." >&2; \
	  exit 1; fi
	$(Q) if [ ! -f "$($(1)_TARBALL)" ]; then \
	  echo "python-rs: $($(1)_TARBALL) does not exist." >&2; \
	  echo "python-rs: set $(2)_ARCHIVE to a local" \
	       "copy of $(3), or leave it empty to" \
	       "download $($(1)_URL)" >&2; \
	  exit 1; fi
	$(Q) actual=$$(sha256sum "$($(1)_TARBALL)" | cut -d' ' -f1); \
	if [ "$$actual" != "$($(1)_SHA256)" ]; then \
	  echo "python-rs: SHA-256 mismatch for $($(1)_TARBALL)" >&2; \
	  echo "python-rs:   expected $($(1)_SHA256)" >&2; \
	  echo "python-rs:   actual   $$actual" >&2; \
	  $(if $($(1)_ARCHIVE),,rm -f "$($(1)_TARBALL)"; \
	  echo "python-rs: the download was deleted; the next build fetches it again." >&2;) \
	  echo "python-rs: use the genuine $(3)" \
	       "($(2)_ARCHIVE), or fix" \
	       "$(2)_SHA256 if the version changed." >&2; \
	  exit 1; fi
endef

# ---------------------------------------------------------------------------
# Compiler flags for CPython's configure, derived from NuttX's
# ---------------------------------------------------------------------------

# Captured before this Makefile adds anything of its own.
PYRS_NX_CFLAGS := $(subst ",,$(CFLAGS))

# The preprocessor-only probes of configure see just CPPFLAGS, so the NuttX
# headers and macros (-D/-U) go there; everything else (notably -march and
# -mabi) stays in CFLAGS.  Optimisation goes to OPT instead.
PYRS_CPPFLAGS := $(addprefix -isystem ,$(PYRS_NX_INCDIRS)) $(filter -D% -U%,$(PYRS_NX_CFLAGS))
PYRS_CFLAGS   := $(filter-out -D% -U% -O%,$(PYRS_NX_CFLAGS))
PYRS_CFLAGS   += -DTHREAD_STACK_SIZE=$(PYRS_THREAD_STACK)
# RISC-V: without relaxation the firmware's link has nothing to shorten in
# libpython (Kconfig LINK_RELAX says what that costs and saves).
ifeq ($(CONFIG_ARCH_RISCV)$(CONFIG_INTERPRETERS_PYTHON_RS_LINK_RELAX),y)
PYRS_CFLAGS   += -mno-relax
endif

# 32-bit ARM, thread-locals (CPython's current thread state is one):
# - GCC reads the thread pointer from CP15's TPIDRURO on v6K and later
#   cores, which NuttX never sets; -mtp=soft calls NuttX's __aeabi_read_tp
#   (arch/arm/src/common/arm_tls.c) instead.
# - GCC reaches an extern thread-local through a GOT slot holding its offset
#   (initial-exec), and ARM linker scripts of NuttX boards leave .got out of
#   the .data that start-up copies to RAM (qemu-armv7a's: the slot reads 0).
#   The firmware is one static link: the offset is a link-time constant.
# Without them, CPython's first allocation writes to address 0 (flash on
# qemu-armv7a, which then stops reading as code) and the board hangs.
ifeq ($(CONFIG_ARCH_ARM),y)
PYRS_CFLAGS   += -mtp=soft -ftls-model=local-exec
endif

# Without a double-precision FPU there is no fused double multiply-add, and
# newlib's fma() is then x * y + z, rounded twice (its own manual: "DO NOT
# USE"): CPython's hypot(), sumprod() and statistics lose their last bits
# (rv32 ilp32f: 13 of test_math's hypot cases).  UNRELIABLE_FMA is
# CPython's switch to its own error-free products (Dekker) for these.
ifneq ($(CONFIG_ARCH_DPFPU),y)
PYRS_CFLAGS   += -DUNRELIABLE_FMA
endif

# NuttX's AR carries its flags ("ar rcs"); configure wants the tool alone.
PYRS_AR := $(firstword $(AR))

PYRS_ZLIB_INC := $(APPDIR)/system/zlib/zlib

# Target CPU name for the configure host triplet <cpu>-nuttx-elf.
ifeq ($(CONFIG_ARCH_RV32),y)
  PYRS_CPU := riscv32
else ifeq ($(CONFIG_ARCH_RV64),y)
  PYRS_CPU := riscv64
else ifeq ($(CONFIG_ARCH_ARM64),y)
  PYRS_CPU := aarch64
else ifeq ($(CONFIG_ARCH_ARM),y)
  PYRS_CPU := arm
else ifeq ($(CONFIG_ARCH_X86_64),y)
  PYRS_CPU := x86_64
else
  PYRS_CPU := $(subst -,,$(CONFIG_ARCH))
endif
PYRS_HOST_TRIPLET := $(PYRS_CPU)-nuttx-elf

# Cache settings that follow NuttX options rather than the libc tables:
# ac_cv_func_<function>=yes when the option is y, else no.
pyrs_site = ac_cv_func_$(1)=$(if $(filter y,$(2)),yes,no)
PYRS_SITE_SET := $(call pyrs_site,system,$(CONFIG_SYSTEM_SYSTEM)) \
                 $(call pyrs_site,fork,$(CONFIG_ARCH_HAVE_FORK)) \
                 $(call pyrs_site,vfork,$(CONFIG_ARCH_HAVE_VFORK)) \
                 $(call pyrs_site,dlopen,$(CONFIG_LIBC_DLFCN))

# Modules NuttX cannot support in this configuration.
PYRS_OFF_MODULES := $(PYRS_DISABLED_MODULES)
# NuttX's struct rusage has only the time and maxrss fields.
PYRS_OFF_MODULES += resource
ifneq ($(CONFIG_ARCH_HAVE_FORK),y)
  # _posixsubprocess always compiles its fork() path.
  PYRS_OFF_MODULES += _posixsubprocess
endif
ifeq ($(CONFIG_INTERPRETERS_PYTHON_RS_CTYPES),y)
  # libffi, cross-built here (libffi.mk); configure takes it from these
  # variables as it takes zlib, and the library joins libpython (below).
  include $(CURDIR)/libffi.mk
  PYRS_FFI_ENV := LIBFFI_CFLAGS="-I$(PYRS_LIBFFI_INC)" LIBFFI_LIBS="-lffi"
else
  PYRS_OFF_MODULES += _ctypes
  ifneq ($(CONFIG_INTERPRETERS_PYTHON_RS_STDLIB_FULL),y)
    PYRS_STDLIB_DROP += ctypes
  endif
endif
ifneq ($(CONFIG_NET),y)
  PYRS_OFF_MODULES += _socket
  PYRS_CONFIGURE_OPTS += --disable-ipv6
endif

PYRS_CONFIGURE_OPTS += --prefix=$(call unquote,$(CONFIG_INTERPRETERS_PYTHON_RS_HOME))
PYRS_CONFIGURE_OPTS += --disable-shared
ifeq ($(CONFIG_INTERPRETERS_PYTHON_RS_TEST_SUITE),y)
  # CPython builds these only as shared libraries, which NuttX cannot load.
  # The import tests need these three (test_importlib's helpers skip the
  # whole module without _testsinglephase) and accept them built in.
  PYRS_STATIC_MODULES += _testimportmultiple _testmultiphase _testsinglephase
  # These stay out: process inspection, ctypes' test library and the
  # limited-API examples have nothing to test in a built-in module.
  PYRS_OFF_MODULES += _testexternalinspection _ctypes_test xxlimited xxlimited_35
  # The test package keeps its sources (no .pyc): discovery looks for
  # them, and tracebacks show the lines.
  PYRS_COMPILEALL_SKIP := |/test/
else
  PYRS_CONFIGURE_OPTS += --disable-test-modules
endif
# pymalloc stays on (CPython's default small-object allocator); its arenas
# live in the Python heap, which the launcher empties before every run.
PYRS_CONFIGURE_OPTS += --with-ensurepip=no --without-mimalloc
PYRS_CONFIGURE_OPTS += --with-pkg-config=no --without-doc-strings
PYRS_CONFIGURE_OPTS += --with-build-python=$(PYRS_HOSTPY)

# Write $(1).new, then replace $(1) only if the text differs: rules that
# depend on $(1) rerun only on a real change (make re-reads the mtime).
define PYRS_REPLACE_IF_CHANGED
	$(Q) if cmp -s $(1).new $(1); then rm -f $(1).new; else mv $(1).new $(1); fi
endef

# CPython's own Makefile must not see NuttX's command-line variables.
PYRS_SUBMAKE = $(MAKE) MAKEOVERRIDES= -C

# ---------------------------------------------------------------------------
# 0. The board, checked before the long builds start
# ---------------------------------------------------------------------------

# 32-bit ARM: NuttX sets up each task's thread-locals (CPython keeps its
# thread state in one) from the block its board linker script bounds with
# _stdata/_etdata/_stbss/_etbss (arch/arm/src/common/arm_tls.c).  Most ARM
# boards' scripts have no such sections (32 of 446 in NuttX 4ebc8a7, not
# qemu-armv7a's), and the firmware's link would fail only at the very end.
PYRS_BOARD_SCRIPTS := $(if $(CONFIG_ARCH_ARM),$(wildcard $(ARCHSCRIPT)))
PYRS_BOARD_CHECKED := $(PYRS_BUILD)/board.checked
# An architecture may offer SCHED_THREAD_LOCAL without implementing it
# (arm64 in NuttX 4ebc8a7: no up_tls_initialize, TPIDR_EL0 never set).
PYRS_ARCH_SRC := $(TOPDIR)/arch/$(call unquote,$(CONFIG_ARCH))/src

$(PYRS_BOARD_CHECKED): $(PYRS_DOTCONFIG) $(PYRS_BOARD_SCRIPTS)
	$(Q) if [ -d $(PYRS_ARCH_SRC) ] && \
	     ! grep -rqs --include='*.c' up_tls_initialize $(PYRS_ARCH_SRC); then \
	  echo "python-rs: NuttX's $(call unquote,$(CONFIG_ARCH)) port has no thread-local" \
	       "storage (no up_tls_initialize in $(PYRS_ARCH_SRC)), which CPython's thread" \
	       "state needs: the firmware would not link" >&2; exit 1; fi
	$(Q) if [ -n "$(PYRS_BOARD_SCRIPTS)" ] && ! grep -q '_stdata' $(PYRS_BOARD_SCRIPTS); then \
	  echo "python-rs: the board's linker script $(PYRS_BOARD_SCRIPTS) places no" \
	       "thread-local sections, which NuttX needs for CPython's thread state: add" \
	       ".tdata and .tbss after .rodata, bounded by _stdata/_etdata and" \
	       "_stbss/_etbss, as boards/arm/stm32f4/nucleo-f412zg/scripts/f412zg.ld does" >&2; \
	  exit 1; fi
	$(Q) mkdir -p $(dir $@)
	$(Q) touch $@

# ---------------------------------------------------------------------------
# 1. Archive: fetch (only if no local copy is configured), verify, unpack
# ---------------------------------------------------------------------------

$(eval $(call PYRS_ARCHIVE_RULE,PYRS,CONFIG_INTERPRETERS_PYTHON_RS,Python-$(PYRS_VERSION).tar.xz))

# Which source is wanted: a change of version, checksum, local path or of
# the set of patches (one removed, say) unpacks (and verifies) again.
$(PYRS_BUILD)/archive.id: pyrs-force
	$(Q) mkdir -p $(PYRS_BUILD)
	$(Q) echo "$(PYRS_VERSION) $(PYRS_SHA256) $(PYRS_TARBALL) $(notdir $(PYRS_PATCHES))" > $@.new
	$(call PYRS_REPLACE_IF_CHANGED,$@)

$(PYRS_UNPACKED): $(PYRS_TARBALL) $(PYRS_PATCHES) $(PYRS_BUILD)/archive.id | $(PYRS_BOARD_CHECKED)
	$(call PYRS_VERIFY_ARCHIVE,PYRS,CONFIG_INTERPRETERS_PYTHON_RS,Python-$(PYRS_VERSION).tar.xz)
	$(Q) rm -rf $(PYRS_SRC)
	$(Q) mkdir -p $(PYRS_BUILD)
	@echo "python-rs: unpacking Python-$(PYRS_VERSION)"
	$(Q) tar -xJf $(PYRS_TARBALL) -C $(PYRS_BUILD)
	$(Q) test -d $(PYRS_SRC) || { \
	  echo "python-rs: $(PYRS_TARBALL) has no Python-$(PYRS_VERSION)/" >&2; \
	  exit 1; }
	$(Q) for p in $(PYRS_PATCHES); do \
	  echo "python-rs: applying $$(basename $$p)"; \
	  patch -d $(PYRS_SRC) -p1 --no-backup-if-mismatch --fuzz=0 -N -s \
	    < $$p || exit 1; \
	done
	$(Q) touch $@

# ---------------------------------------------------------------------------
# 2. Host (build) Python
# ---------------------------------------------------------------------------

$(PYRS_HOSTDONE): $(PYRS_UNPACKED)
	$(Q) rm -rf $(PYRS_HOST)
	$(Q) mkdir -p $(PYRS_HOST)
	@echo "python-rs: configuring the host Python"
	$(Q) cd $(PYRS_HOST) && env -u CFLAGS -u CPPFLAGS -u LDFLAGS -u LIBS \
	  -u AR -u LD -u CXX CC="$(HOSTCC)" CONFIG_SITE= \
	  $(PYRS_SRC)/configure --disable-test-modules --with-ensurepip=no \
	  --prefix=$(PYRS_HOST)/install > $(PYRS_HOST)/configure.log 2>&1 || { \
	  tail -30 $(PYRS_HOST)/configure.log; exit 1; }
	@echo "python-rs: building the host Python"
	+$(Q) $(PYRS_SUBMAKE) $(PYRS_HOST) > $(PYRS_HOST)/build.log 2>&1 || { \
	  tail -40 $(PYRS_HOST)/build.log; exit 1; }
	$(Q) $(PYRS_HOSTPY) -c "import sys; assert sys.version.startswith('$(PYRS_VERSION)')"
	$(Q) touch $@

# ---------------------------------------------------------------------------
# 3. Target libpython
# ---------------------------------------------------------------------------

# config.site and Setup.local are regenerated whenever the NuttX
# configuration changes, but replaced (and so trigger a new configure) only
# when their text changes.

$(PYRS_TARGET)/config.site: $(PYRS_HOSTDONE) $(PYRS_DOTCONFIG) \
                            $(CURDIR)/tools/nuttx-config-site.py
	$(Q) mkdir -p $(PYRS_TARGET)
	$(Q) $(PYRS_HOSTPY) $(CURDIR)/tools/nuttx-config-site.py \
	  --topdir $(TOPDIR) --configure-ac $(PYRS_SRC)/configure.ac \
	  --cpp "$(CC) -E $(PYRS_CPPFLAGS) $(PYRS_CFLAGS)" \
	  $(addprefix --set ,$(PYRS_SITE_SET)) --out $@.new
	$(call PYRS_REPLACE_IF_CHANGED,$@)

$(PYRS_TARGET)/Setup.local: $(PYRS_DOTCONFIG) $(CURDIR)/Makefile
	$(Q) mkdir -p $(PYRS_TARGET)
	$(Q) { echo "# Generated by python-rs/Makefile from the NuttX configuration"; \
	  echo "*static*"; \
	  for m in $(sort $(PYRS_STATIC_MODULES)); do echo "$$m $$m.c"; done; \
	  echo "*disabled*"; \
	  for m in $(sort $(PYRS_OFF_MODULES)); do echo $$m; done; } > $@.new
	$(call PYRS_REPLACE_IF_CHANGED,$@)

# The compiler and configure settings, so that changing any of them (even
# on the make command line) configures again.
$(PYRS_TARGET)/flags: pyrs-force
	$(Q) mkdir -p $(PYRS_TARGET)
	$(Q) printf '%s\n' "CC=$(CC)" "AR=$(PYRS_AR)" "CPPFLAGS=$(PYRS_CPPFLAGS)" \
	  "CFLAGS=$(PYRS_CFLAGS)" "OPT=$(PYRS_OPT)" "HOST=$(PYRS_HOST_TRIPLET)" \
	  "OPTS=$(PYRS_CONFIGURE_OPTS)" "ZLIB=$(PYRS_ZLIB_INC)" "FFI=$(PYRS_FFI_ENV)" > $@.new
	$(call PYRS_REPLACE_IF_CHANGED,$@)

$(PYRS_CONFIGD): $(PYRS_HOSTDONE) $(PYRS_TARGET)/config.site \
                 $(PYRS_TARGET)/Setup.local $(PYRS_TARGET)/flags $(PYRS_LIBFFI_LIB)
	$(Q) rm -rf $(PYRS_TARGET)/build
	$(Q) mkdir -p $(PYRS_TARGET)/build/Modules
	$(Q) cp $(PYRS_TARGET)/Setup.local $(PYRS_TARGET)/build/Modules/Setup.local
	@echo "python-rs: configuring CPython for $(PYRS_HOST_TRIPLET)"
	$(Q) cd $(PYRS_TARGET)/build && env -u LDFLAGS -u LIBS \
	  CONFIG_SITE=$(PYRS_TARGET)/config.site \
	  CC="$(CC)" CPP="$(CC) -E" AR="$(PYRS_AR)" ARFLAGS="rcs" \
	  CPPFLAGS="$(PYRS_CPPFLAGS)" CFLAGS="$(PYRS_CFLAGS)" OPT="$(PYRS_OPT)" \
	  LDFLAGS="-nostdlib" \
	  ZLIB_CFLAGS="-I$(PYRS_ZLIB_INC)" ZLIB_LIBS="-lz" $(PYRS_FFI_ENV) \
	  $(PYRS_SRC)/configure --host=$(PYRS_HOST_TRIPLET) \
	  --build=$$($(PYRS_SRC)/config.guess) $(PYRS_CONFIGURE_OPTS) \
	  > $(PYRS_TARGET)/configure.log 2>&1 || { \
	  tail -30 $(PYRS_TARGET)/configure.log; exit 1; }
	$(Q) touch $@

# The allocation calls of libpython, sent to the launcher's Python heap.
PYRS_HEAP_CALLS := malloc calloc realloc free memalign

# Everything the NuttX link needs from the CPython build, as one archive so
# Make.defs can name a single library. It holds one object, a partial link
# of libpython, the helper archives of its modules and libffi (libpython.ld): their
# writable data in one section each, bounded by pyrs_python_data_start/_end
# and pyrs_python_bss_start/_end, which the launcher restores before every
# run, and their heap calls renamed to pyrs_python_<call>.
$(PYRS_LIB): $(PYRS_CONFIGD) $(CURDIR)/libpython.ld $(PYRS_LIBFFI_LIB)
	@echo "python-rs: building libpython$(PYRS_SERIES).a"
	+$(Q) $(PYRS_SUBMAKE) $(PYRS_TARGET)/build libpython$(PYRS_SERIES).a pybuilddir.txt \
	  > $(PYRS_TARGET)/build.log 2>&1 || { \
	  grep -B2 -A6 -E "error|Error" $(PYRS_TARGET)/build.log | tail -60; \
	  exit 1; }
	$(Q) mkdir -p $(PYRS_LIBDIR)
	$(Q) rm -f $(PYRS_TARGET)/all.a
	$(Q) cd $(PYRS_TARGET)/build && { \
	  echo "CREATE $(PYRS_TARGET)/all.a"; \
	  echo "ADDLIB libpython$(PYRS_SERIES).a"; \
	  for a in $$(find Modules -name '*.a' | LC_ALL=C sort) $(PYRS_LIBFFI_LIB); do \
	    echo "ADDLIB $$a"; done; \
	  echo "SAVE"; echo "END"; } | $(PYRS_AR) -M
	$(Q) $(CC) $(PYRS_CFLAGS) -nostdlib -r -Wl,-T,$(CURDIR)/libpython.ld \
	  -Wl,--whole-archive $(PYRS_TARGET)/all.a -Wl,--no-whole-archive \
	  -o $(PYRS_TARGET)/libpython.o
	$(Q) $(OBJCOPY) $(foreach c,$(PYRS_HEAP_CALLS),--redefine-sym $(c)=pyrs_python_$(c)) \
	  $(PYRS_TARGET)/libpython.o
	$(Q) rm -f $@.tmp
	$(Q) $(PYRS_AR) rcs $@.tmp $(PYRS_TARGET)/libpython.o
	$(Q) mv $@.tmp $@

# ---------------------------------------------------------------------------
# 4. Stdlib image
# ---------------------------------------------------------------------------

PYRS_STDLIB_STAGE := $(PYRS_STAGE)/python$(PYRS_SERIES)

# _sysconfigdata (sysconfig's record of the build) gets the build machine's
# folders replaced by fixed names, so the image does not depend on where
# the trees are checked out.
# The .pyc are compiled in unchecked-hash mode (no source mtime in the
# header) with the target path recorded as their file name, so they depend
# only on the sources; mkromfs.py sorts entries and ignores timestamps.
# marshal's output also depends on reference counts inside the compiling
# process, i.e. on which modules it loaded and how: the host Python runs
# isolated, with a fixed hash seed, writing no bytecode, after the
# __pycache__ folders earlier build steps left in its Lib are removed, so
# it always imports the same modules from source. The test suite's files
# with deliberately broken syntax or encoding stay as they are (-x), as in
# CPython's own install.
$(PYRS_IMAGE): $(PYRS_LIB) $(CURDIR)/tools/mkromfs.py $(CURDIR)/Makefile \
               $(PYRS_DOTCONFIG) $(CURDIR)/tools/sitepackages.py \
               $(if $(PYRS_WHEEL_DIR),$(wildcard $(PYRS_WHEEL_DIR)/*.whl)) \
               $(if $(PYRS_SCRIPTS),$(shell find $(PYRS_SCRIPTS) 2>/dev/null))
	$(Q) rm -rf $(PYRS_STAGE)
	$(Q) mkdir -p $(PYRS_STDLIB_STAGE)
	@echo "python-rs: staging the stdlib"
	$(Q) cd $(PYRS_SRC)/Lib && \
	  find . \( -name __pycache__ -o -name '*.pyc' \) -prune -o -type f -print \
	  | LC_ALL=C sort | while read -r f; do \
	    top=$${f#./}; top=$${top%%/*}; \
	    case " $(PYRS_STDLIB_DROP) " in *" $$top "*) continue;; esac; \
	    mkdir -p "$(PYRS_STDLIB_STAGE)/$$(dirname "$$f")"; \
	    cp "$$f" "$(PYRS_STDLIB_STAGE)/$$f"; \
	  done
	$(Q) for f in $(PYRS_TARGET)/build/$$(cat $(PYRS_TARGET)/build/pybuilddir.txt)/_sysconfigdata_*.py; do \
	  sed -e 's|$(PYRS_BUILD)|/python-rs/build|g' -e 's|$(CURDIR)|/python-rs|g' \
	      $(if $(filter-out $(TOPDIR),$(PYRS_NX_CONFDIR)),-e 's|$(PYRS_NX_CONFDIR)|/nuttx-build|g') \
	      -e 's|$(TOPDIR)|/nuttx|g' -e 's|$(APPDIR)|/apps|g' \
	      "$$f" > $(PYRS_STDLIB_STAGE)/$$(basename "$$f"); \
	done
	$(Q) $(PYRS_HOSTPY) $(CURDIR)/tools/sitepackages.py \
	  --dest $(PYRS_STDLIB_STAGE)/site-packages --packages "$(PYRS_PACKAGES)" \
	  $(if $(PYRS_WHEEL_DIR),--wheel-dir "$(PYRS_WHEEL_DIR)",--download-dir $(PYRS_DLDIR)/wheels) \
	  $(if $(filter y,$(CONFIG_INTERPRETERS_PYTHON_RS_CTYPES)),,--no-ctypes) \
	  --site-dir "$(PYRS_SITE_DIR)"
	$(Q) find $(PYRS_SRC)/Lib -name __pycache__ -prune -exec rm -rf {} +
	$(Q) SOURCE_DATE_EPOCH=0 PYTHONHASHSEED=0 $(PYRS_HOSTPY) -I -B -m compileall \
	  -q -b -j 1 -o $(PYRS_PYC_OPTIMIZE) --invalidation-mode unchecked-hash \
	  -x 'bad_coding|badsyntax$(PYRS_COMPILEALL_SKIP)' \
	  -s $(PYRS_STDLIB_STAGE) -p $(PYRS_TARGET_STDLIB) \
	  $(PYRS_STDLIB_STAGE) > $(PYRS_BUILD)/compileall.log 2>&1 || { \
	  tail -20 $(PYRS_BUILD)/compileall.log; exit 1; }
ifneq ($(PYRS_KEEP_SOURCES),y)
	$(Q) find $(PYRS_STDLIB_STAGE) -name '*.py' -exec sh -c \
	  'for f; do if [ -f "$${f}c" ]; then rm "$$f"; fi; done' sh {} +
endif
ifneq ($(PYRS_SCRIPTS),)
	$(Q) test -d "$(PYRS_SCRIPTS)" || { \
	  echo "python-rs: CONFIG_INTERPRETERS_PYTHON_RS_SCRIPTS_DIR=$(PYRS_SCRIPTS) is not a folder" >&2; \
	  exit 1; }
	$(Q) mkdir -p $(PYRS_STAGE)/scripts
	$(Q) cp -R "$(PYRS_SCRIPTS)/." $(PYRS_STAGE)/scripts/
endif
	$(Q) find $(PYRS_STAGE) -type d -exec chmod 755 {} + && \
	  find $(PYRS_STAGE) -type f -exec chmod 644 {} +
	@echo "python-rs: packing $(notdir $@)"
	$(Q) $(PYRS_HOSTPY) $(CURDIR)/tools/mkromfs.py -d $(PYRS_STAGE) -f $@ \
	  -V "$(PYRS_VOLUME)" -p $(PYRS_SECTORSIZE) $(if $(CONFIG_NAME_MAX),-n $(CONFIG_NAME_MAX))
	@echo "python-rs: $(notdir $@): $$(wc -c < $@) bytes," \
	  "sha256 $$(sha256sum $@ | cut -d' ' -f1)"

# ---------------------------------------------------------------------------
# 5. Embed the image (no C array: the assembler includes the bytes)
# ---------------------------------------------------------------------------

ASRCS   += python_rs_romfs.S
AFLAGS  += -Wa,-I$(PYRS_BUILD)

# --- Rust launcher (cargo) ---
include $(CURDIR)/rust.mk
# --- end of Rust launcher (cargo) ---

# ---------------------------------------------------------------------------
# NSH registration (no MAINSRC: <progname>_main comes from the Rust crate)
# ---------------------------------------------------------------------------

MODULE    = $(CONFIG_INTERPRETERS_PYTHON_RS)
PROGNAME  = $(CONFIG_INTERPRETERS_PYTHON_RS_PROGNAME)
PRIORITY  = $(CONFIG_INTERPRETERS_PYTHON_RS_PRIORITY)
STACKSIZE = $(CONFIG_INTERPRETERS_PYTHON_RS_STACKSIZE)

# Convenience targets; python-rs-all is what the CMake build runs.
.PHONY: python-rs-lib python-rs-image python-rs-launcher python-rs-all pyrs-force
pyrs-force:
python-rs-lib: $(PYRS_LIB)
python-rs-image: $(PYRS_IMAGE)
python-rs-launcher: $(PYRS_RUST_LIB)
python-rs-all: python-rs-image python-rs-launcher

clean::
	$(call DELDIR, $(PYRS_STAGE))
	$(call DELFILE, $(PYRS_IMAGE))

distclean::
	$(call DELDIR, $(PYRS_BUILD))

ifeq ($(PYRS_CMAKE_DEFS),)
include $(APPDIR)/Application.mk

# The image object must follow the image; the link needs the library.
$(CAOBJS): $(PYRS_IMAGE) $(PYRS_LIB) $(PYRS_RUST_LIB)
endif
