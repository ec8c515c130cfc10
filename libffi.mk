# SPDX-License-Identifier: Apache-2.0
############################################################################
# libffi for the target (CPython's ctypes), as build/libffi/libffi.a
#
# Included by the app's Makefile after its paths, its archive rules
# (PYRS_ARCHIVE_RULE, PYRS_VERIFY_ARCHIVE) and its compiler flags.
# libffi's configure is not run: Debian's libffi_<v>.orig.tar.gz is a git
# snapshot without a generated configure, and its link tests could not
# pass with a compiler that has no C library anyway.  Instead the sources
# a static build needs are compiled directly, with ffi.h, ffitarget.h and
# fficonfig.h written here from what the cross compiler reports.
#
# Closures are plain malloc'ed memory that the CPU then executes (libffi's
# fallback when neither Linux nor a trampoline table is in play): this
# needs a heap that is executable, as in NuttX's flat builds.
############################################################################

PYRS_LIBFFI_VERSION := $(call unquote,$(CONFIG_INTERPRETERS_PYTHON_RS_LIBFFI_VERSION))
PYRS_LIBFFI_SHA256  := $(call unquote,$(CONFIG_INTERPRETERS_PYTHON_RS_LIBFFI_SHA256))
PYRS_LIBFFI_ARCHIVE := $(call unquote,$(CONFIG_INTERPRETERS_PYTHON_RS_LIBFFI_ARCHIVE))

# Plain http is enough: the SHA-256 is checked before anything is unpacked.
PYRS_LIBFFI_URL ?= http://deb.debian.org/debian/pool/main/libf/libffi/libffi_$(PYRS_LIBFFI_VERSION).orig.tar.gz

PYRS_LIBFFI_DIR  := $(PYRS_BUILD)/libffi
PYRS_LIBFFI_SRC  := $(PYRS_LIBFFI_DIR)/src/libffi-$(PYRS_LIBFFI_VERSION)
PYRS_LIBFFI_INC  := $(PYRS_LIBFFI_DIR)/include
PYRS_LIBFFI_LIB  := $(PYRS_LIBFFI_DIR)/libffi.a
PYRS_LIBFFI_OBJ  := $(PYRS_LIBFFI_DIR)/obj
# fficonfig.h is private to the build, so it stays out of PYRS_LIBFFI_INC.
PYRS_LIBFFI_CONF := $(PYRS_LIBFFI_DIR)/config

ifneq ($(PYRS_LIBFFI_ARCHIVE),)
  PYRS_LIBFFI_TARBALL := $(PYRS_LIBFFI_ARCHIVE)
else
  PYRS_LIBFFI_TARBALL := $(PYRS_DLDIR)/libffi_$(PYRS_LIBFFI_VERSION).orig.tar.gz
endif

PYRS_LIBFFI_UNPACKED := $(PYRS_LIBFFI_SRC)/.pyrs-unpacked
PYRS_LIBFFI_HEADERS  := $(PYRS_LIBFFI_DIR)/.pyrs-headers

# libffi's configure.host, for the CPUs NuttX and this app support: the
# source folder, the TARGET of ffi.h, and (x86 only) other sources than
# the usual ffi.c and sysv.S.
PYRS_LIBFFI_ARCH_SRCS := ffi.c sysv.S
ifneq ($(filter riscv32 riscv64,$(PYRS_CPU)),)
  PYRS_LIBFFI_ARCH := riscv
  PYRS_LIBFFI_TARGET := RISCV
else ifeq ($(PYRS_CPU),arm)
  PYRS_LIBFFI_ARCH := arm
  PYRS_LIBFFI_TARGET := ARM
  # sysv.S and the closure trampoline are A32 code (".arm"): a Thumb-only
  # core (Cortex-M) would fault in the first ffi_call.
  PYRS_LIBFFI_NEEDS := __ARM_ARCH_ISA_ARM
else ifeq ($(PYRS_CPU),aarch64)
  PYRS_LIBFFI_ARCH := aarch64
  PYRS_LIBFFI_TARGET := AARCH64
else ifeq ($(PYRS_CPU),x86_64)
  PYRS_LIBFFI_ARCH := x86
  PYRS_LIBFFI_TARGET := X86_64
  # ffi64.c calls into ffiw64.c for the Win64 ABI, so both go in.
  PYRS_LIBFFI_ARCH_SRCS := ffi64.c unix64.S ffiw64.c win64.S
endif

# Makefile.am's list without java_raw_api.c (the gcj API) and tramp.c
# (static trampolines, which need mmap of the library file; not defined).
PYRS_LIBFFI_SRCS := src/prep_cif.c src/types.c src/raw_api.c src/closures.c \
                    $(addprefix src/$(PYRS_LIBFFI_ARCH)/,$(PYRS_LIBFFI_ARCH_SRCS))
PYRS_LIBFFI_COBJS := $(patsubst %.c,$(PYRS_LIBFFI_OBJ)/%.o,$(filter %.c,$(PYRS_LIBFFI_SRCS)))
PYRS_LIBFFI_SOBJS := $(patsubst %.S,$(PYRS_LIBFFI_OBJ)/%.o,$(filter %.S,$(PYRS_LIBFFI_SRCS)))

# Makefile.am's AM_CPPFLAGS, with the generated headers first.  The NuttX
# flags come along whole: -march/-mabi must match the rest of the link.
# libffi's #if tests rely on unset macros counting as 0 (-Wno-undef).
PYRS_LIBFFI_CFLAGS = -I$(PYRS_LIBFFI_CONF) -I$(PYRS_LIBFFI_INC) \
                     -I$(PYRS_LIBFFI_SRC)/include -I$(PYRS_LIBFFI_SRC)/src \
                     $(PYRS_CPPFLAGS) $(PYRS_CFLAGS) -Os -Wno-undef

# Assembler features configure would probe (m4/asmcfi.m4, configure.ac):
# prints the #define when $(CC) assembles $(2).
PYRS_LIBFFI_COMMA := ,
pyrs_libffi_as = printf '%b\n' '$(2)' | $(CC) $(PYRS_CFLAGS) -Wa,--fatal-warnings \
                   -c -x assembler -o $(PYRS_LIBFFI_CONF)/probe.o - 2>/dev/null \
                 && printf '\#define $(1) 1\n'; rm -f $(PYRS_LIBFFI_CONF)/probe.o

# The includer's default goal stays what it would be without these rules.
pyrs_libffi_goal := $(.DEFAULT_GOAL)

ifeq ($(PYRS_LIBFFI_ARCH),)

# Stop before any download: nothing could be built.
$(PYRS_LIBFFI_LIB):
	@echo "python-rs: libffi.mk has no mapping for PYRS_CPU=$(PYRS_CPU)" \
	      "(libffi's configure.host names the sources per CPU); add one," \
	      "or turn ctypes off (CONFIG_INTERPRETERS_PYTHON_RS_CTYPES)." >&2
	@exit 1

else

$(eval $(call PYRS_ARCHIVE_RULE,PYRS_LIBFFI,CONFIG_INTERPRETERS_PYTHON_RS_LIBFFI,libffi_$(PYRS_LIBFFI_VERSION).orig.tar.gz))

# Which source is wanted: a change of version, checksum or local path
# unpacks (and verifies) again.
$(PYRS_LIBFFI_DIR)/archive.id: pyrs-force
	$(Q) mkdir -p $(PYRS_LIBFFI_DIR)
	$(Q) echo "$(PYRS_LIBFFI_VERSION) $(PYRS_LIBFFI_SHA256) $(PYRS_LIBFFI_TARBALL)" > $@.new
	$(call PYRS_REPLACE_IF_CHANGED,$@)

# Compiler and flags: a change rebuilds everything from the headers on.
$(PYRS_LIBFFI_DIR)/flags: pyrs-force
	$(Q) mkdir -p $(PYRS_LIBFFI_DIR)
	$(Q) printf '%s\n' "CC=$(CC)" "AR=$(PYRS_AR)" "CPU=$(PYRS_CPU)" \
	  "CFLAGS=$(PYRS_LIBFFI_CFLAGS)" > $@.new
	$(call PYRS_REPLACE_IF_CHANGED,$@)

$(PYRS_LIBFFI_UNPACKED): $(PYRS_LIBFFI_TARBALL) $(PYRS_LIBFFI_DIR)/archive.id
	$(call PYRS_VERIFY_ARCHIVE,PYRS_LIBFFI,CONFIG_INTERPRETERS_PYTHON_RS_LIBFFI,libffi_$(PYRS_LIBFFI_VERSION).orig.tar.gz)
	$(Q) rm -rf $(PYRS_LIBFFI_DIR)/src
	$(Q) mkdir -p $(PYRS_LIBFFI_DIR)/src
	@echo "python-rs: unpacking libffi-$(PYRS_LIBFFI_VERSION)"
	$(Q) tar -xzf $(PYRS_LIBFFI_TARBALL) -C $(PYRS_LIBFFI_DIR)/src
	$(Q) test -d $(PYRS_LIBFFI_SRC) || { \
	  echo "python-rs: $(PYRS_LIBFFI_TARBALL) has no libffi-$(PYRS_LIBFFI_VERSION)/" >&2; \
	  exit 1; }
	$(Q) touch $@

# What configure would have written.  HAVE_LONG_DOUBLE follows configure's
# rule (long double wider than double: 16-byte quad on RISC-V, x86's
# 80-bit), asked of the cross compiler, which cannot run a test program.
# fficonfig.h holds only what the compiled sources test.
$(PYRS_LIBFFI_HEADERS): $(PYRS_LIBFFI_UNPACKED) $(PYRS_LIBFFI_DIR)/flags
	@echo "python-rs: building libffi-$(PYRS_LIBFFI_VERSION) ($(PYRS_LIBFFI_TARGET))"
	$(Q) rm -rf $(PYRS_LIBFFI_INC) $(PYRS_LIBFFI_CONF) $(PYRS_LIBFFI_OBJ)
	$(Q) mkdir -p $(PYRS_LIBFFI_INC) $(PYRS_LIBFFI_CONF)
	$(Q) macros=$$($(CC) $(PYRS_CPPFLAGS) $(PYRS_CFLAGS) -dM -E -x c - </dev/null) || exit 1; \
	  ld=$$(printf '%s\n' "$$macros" | sed -n 's/^#define __SIZEOF_LONG_DOUBLE__ //p'); \
	  d=$$(printf '%s\n' "$$macros" | sed -n 's/^#define __SIZEOF_DOUBLE__ //p'); \
	  if [ -z "$$ld" ] || [ -z "$$d" ]; then \
	    echo "python-rs: $(CC) predefines no __SIZEOF_LONG_DOUBLE__ or" \
	         "__SIZEOF_DOUBLE__; libffi.mk needs a GCC-compatible compiler." >&2; \
	    exit 1; fi; \
	  $(if $(PYRS_LIBFFI_NEEDS),printf '%s\n' "$$macros" | grep -q '^#define $(PYRS_LIBFFI_NEEDS) ' || { \
	    echo "python-rs: libffi's $(PYRS_LIBFFI_ARCH) port needs $(PYRS_LIBFFI_NEEDS)" \
	         "(A32 code) and $(CC) does not define it for this CPU; turn ctypes" \
	         "off (CONFIG_INTERPRETERS_PYTHON_RS_CTYPES)." >&2; exit 1; };) \
	  if [ "$$ld" -gt "$$d" ]; then hld=1; else hld=0; fi; \
	  sed -e 's|@VERSION@|$(PYRS_LIBFFI_VERSION)|g' \
	      -e 's|@TARGET@|$(PYRS_LIBFFI_TARGET)|g' \
	      -e "s|@HAVE_LONG_DOUBLE@|$$hld|g" \
	      -e 's|@HAVE_LONG_DOUBLE_VARIANT@|0|g' \
	      -e 's|@FFI_EXEC_TRAMPOLINE_TABLE@|0|g' \
	      $(PYRS_LIBFFI_SRC)/include/ffi.h.in > $(PYRS_LIBFFI_INC)/ffi.h
	$(Q) if grep -n '@[A-Z_]*@' $(PYRS_LIBFFI_INC)/ffi.h >&2; then \
	  echo "python-rs: ffi.h.in of libffi-$(PYRS_LIBFFI_VERSION) has placeholders" \
	       "libffi.mk does not fill in (above); add them to its ffi.h rule." >&2; \
	  exit 1; fi
	$(Q) cp $(PYRS_LIBFFI_SRC)/src/$(PYRS_LIBFFI_ARCH)/ffitarget.h $(PYRS_LIBFFI_INC)/
	$(Q) { \
	  echo "/* Written by python-rs/libffi.mk in place of libffi's configure */"; \
	  echo "/* ffi_common.h: NuttX has <alloca.h>, and <string.h> with memcpy */"; \
	  echo "#define HAVE_ALLOCA_H 1"; \
	  echo "#define STDC_HEADERS 1"; \
	  echo "#define HAVE_MEMCPY 1"; \
	  echo "/* .cfi_* in the .S files that use ffi_cfi.h (unwinding through them) */"; \
	  $(call pyrs_libffi_as,HAVE_AS_CFI_PSEUDO_OP,\t.cfi_sections .debug_frame\n\t.cfi_startproc\n\t.cfi_endproc); \
	  $(if $(filter x86,$(PYRS_LIBFFI_ARCH)), \
	  echo "/* unix64.S: .eh_frame written with GNU as' pc-relative syntax and type */"; \
	  $(call pyrs_libffi_as,HAVE_AS_X86_PCREL,.text\nfoo: nop\n.data\n.long foo-.); \
	  $(call pyrs_libffi_as,HAVE_AS_X86_64_UNWIND_SECTION_TYPE,.section .eh_frame$(PYRS_LIBFFI_COMMA)"a"$(PYRS_LIBFFI_COMMA)@unwind);) \
	  echo "/* libffi's internal symbols stay out of the firmware's namespace */"; \
	  echo "#define HAVE_HIDDEN_VISIBILITY_ATTRIBUTE 1"; \
	  echo "/* configure.ac's AH_BOTTOM (ELF) */"; \
	  echo "#ifdef LIBFFI_ASM"; \
	  echo "#define FFI_HIDDEN(name) .hidden name"; \
	  echo "#else"; \
	  echo "#define FFI_HIDDEN __attribute__ ((visibility (\"hidden\")))"; \
	  echo "#endif"; \
	  echo "/* Not defined: FFI_MMAP_EXEC_WRIT and FFI_EXEC_STATIC_TRAMP, so"; \
	  echo "   closures.c hands out malloc'ed closures */"; \
	} > $(PYRS_LIBFFI_CONF)/fficonfig.h
	$(Q) touch $@

$(PYRS_LIBFFI_COBJS): $(PYRS_LIBFFI_OBJ)/%.o: $(PYRS_LIBFFI_HEADERS)
	$(Q) mkdir -p $(dir $@)
	$(Q) $(CC) $(PYRS_LIBFFI_CFLAGS) -c $(PYRS_LIBFFI_SRC)/$*.c -o $@

$(PYRS_LIBFFI_SOBJS): $(PYRS_LIBFFI_OBJ)/%.o: $(PYRS_LIBFFI_HEADERS)
	$(Q) mkdir -p $(dir $@)
	$(Q) $(CC) $(PYRS_LIBFFI_CFLAGS) -c $(PYRS_LIBFFI_SRC)/$*.S -o $@

$(PYRS_LIBFFI_LIB): $(PYRS_LIBFFI_COBJS) $(PYRS_LIBFFI_SOBJS)
	$(Q) rm -f $@.tmp
	$(Q) $(PYRS_AR) rcs $@.tmp $^
	$(Q) mv $@.tmp $@

endif

.DEFAULT_GOAL := $(pyrs_libffi_goal)
