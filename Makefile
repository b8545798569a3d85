# SPDX-License-Identifier: GPL-3.0-or-later
#
# pvlink: `make` builds the tool and the applier, `make demo` shows it
# working, `make check` runs the tests.  Quiet by default; V=1 shows the
# commands.  Local overrides go in config.mak.

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= gcc
CFLAGS  ?= -O2 -g
WERROR  ?=
-include config.mak

ifeq ($(V),1)
Q :=
else
Q := @
endif

# The library flags are computed on first use, in a recipe, and kept: on a
# fresh machine pkg-config and the -dev packages only exist once the
# deps-build step has run, so a value computed while make reads this file
# would be empty and the link would fail.  Every rule that uses them has
# deps-build as an order-only prerequisite.
PKGS := libelf libdw capstone libbpf
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(shell pkg-config --cflags $$(PKGS)))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $$(shell pkg-config --libs $$(PKGS)))$(PKG_LIBS)

WARN   := -Wall -Wextra -Wshadow -Wstrict-prototypes $(WERROR)
TOOL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) $(SANITIZE_FLAGS) -Iinclude -iquote pvlink $(PKG_CFLAGS)
TOOL_LIBS   = $(PKG_LIBS) -lopcodes -lbfd
DEPS_SH ?= scripts/deps.sh

# SANITIZE=1: a separate AddressSanitizer + UndefinedBehaviorSanitizer
# build of the tool in build/san/, which `make check SANITIZE=1` tests.
ifeq ($(SANITIZE),1)
SANITIZE_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
TOOL_DIR := build/san
PVLINK_BIN := build/san/pvlink
else
TOOL_DIR := build/pvlink
PVLINK_BIN := pvlink/pvlink
endif

# Generic code in pvlink/, each machine under pvlink/arch/<name>/.
TOOL_SRCS := $(wildcard pvlink/*.c pvlink/arch/*/*.c)
TOOL_HDRS := $(wildcard pvlink/*.h pvlink/arch/*/*.h)
# Each machine's encodings, which kernel-glue/apply.c includes.
GLUE_ENCODERS := $(sort $(wildcard kernel-glue/*/encode.h))
TOOL_OBJS := $(TOOL_SRCS:pvlink/%.c=$(TOOL_DIR)/%.o) $(TOOL_DIR)/glue_apply.o
GLUE_HOSTED := build/libpvops.a

all: $(PVLINK_BIN) $(GLUE_HOSTED)

$(TOOL_DIR)/%.o: pvlink/%.c $(TOOL_HDRS) include/pvops.h | $(TOOL_DIR) deps-build
	@$(if $(Q),echo "  CC      $@")
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(TOOL_CFLAGS) -c $< -o $@

# The tool checks sites with the applier's own encoder (pvops_original).
$(TOOL_DIR)/glue_apply.o: kernel-glue/apply.c $(GLUE_ENCODERS) include/pvops.h | $(TOOL_DIR) deps-build
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(TOOL_CFLAGS) -c $< -o $@

$(PVLINK_BIN): $(TOOL_OBJS) | deps-build
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(SANITIZE_FLAGS) $^ $(TOOL_LIBS) -o $@

# The applier for programs: apply.c + the mprotect() environment.
build/glue/%.o: kernel-glue/%.c $(GLUE_ENCODERS) include/pvops.h | build/glue
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=c11 $(WARN) $(CFLAGS) -fPIC -Iinclude -c $< -o $@

$(GLUE_HOSTED): build/glue/apply.o build/glue/hosted.o
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

build/pvlink build/san build/glue build/tests build/fuzz:
	$(Q)mkdir -p $@

# Helpers the tests build on (not installed).
build/tests/mangle: tests/tools/mangle.c include/pvops.h | build/tests deps-build
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=gnu11 $(WARN) $(CFLAGS) -Iinclude $(PKG_CFLAGS) $< $(PKG_LIBS) -o $@

test-tools: build/tests/mangle

# Installs missing Debian packages (scripts/deps.sh); a no-op when all are
# there.  deps waits for deps-build: two apt-get runs at once under -j
# would fight over dpkg's lock.
deps-build:
	$(Q)$(DEPS_SH) build
deps: deps-build
	$(Q)$(DEPS_SH) all

demo: deps all
	$(Q)$(MAKE) -s -C examples/minikernel PVLINK=$(CURDIR)/pvlink/pvlink demo
	$(Q)$(MAKE) -s -C examples/userspace PVLINK=$(CURDIR)/pvlink/pvlink demo

boot: all
	$(Q)$(MAKE) -s -C examples/minikernel PVLINK=$(CURDIR)/pvlink/pvlink boot

check: deps all test-tools
	$(Q)PVLINK=$(CURDIR)/$(PVLINK_BIN) \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	tests/run.sh

# Benchmarks (not part of check): call cost, pvlink at scale, the applier.
bench: deps all
	$(Q)bench/run.sh

# The larger sweep: more optimisation levels, every linker, --gc-sections.
check-full:
	$(Q)$(MAKE) check FULL=1

# Differential testing with N generated programs from seed SEED (default:
# the time): each built, run as built and patched, outputs compared; a
# wrong one lands in tests/soundness/regress/.  ARCH=aarch64: AArch64
# programs under qemu-aarch64 (tests/t-gen-a64.sh).
N ?= 1000
soundness: deps all
	$(Q)PVLINK=$(CURDIR)/$(PVLINK_BIN) GEN_N=$(N) GEN_SEED=$(or $(SEED),$(shell date +%s)) \
		bash tests/$(if $(filter aarch64,$(ARCH)),t-gen-a64.sh,t-gen.sh)

# Coverage-guided fuzzing of the input path (clang's libFuzzer), from a
# corpus of real objects; crashes and hangs land in build/fuzz/found/ and
# belong in tests/fuzz/regress/ once fixed.
FUZZ_SECONDS ?= 60
FUZZ_BIN := build/fuzz/fuzz_input
$(FUZZ_BIN): tests/fuzz/fuzz_input.c $(filter-out pvlink/main.c,$(TOOL_SRCS)) kernel-glue/apply.c \
		$(GLUE_ENCODERS) $(TOOL_HDRS) include/pvops.h | build/fuzz deps
	@$(if $(Q),echo "  CLANG   $@")
	$(Q)clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude -iquote pvlink \
		$(PKG_CFLAGS) \
		$(filter %.c,$^) $(TOOL_LIBS) -o $@

fuzz: deps $(FUZZ_BIN)
	$(Q)tests/fuzz/run.sh $(FUZZ_BIN) $(FUZZ_SECONDS)

# Linux 6.1 with the pvlink series: make linux, check-linux, linux-stock,
# bench-linux (examples/linux/README.md).
include examples/linux/linux.mk

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include \
		$(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/pvlink/kernel-glue
	install -m 755 $(PVLINK_BIN) $(DESTDIR)$(PREFIX)/bin/pvlink
	install -m 644 include/pvops.h $(DESTDIR)$(PREFIX)/include/pvops.h
	install -m 644 $(GLUE_HOSTED) $(DESTDIR)$(PREFIX)/lib/libpvops.a
	install -m 644 Documentation/pvlink.1 $(DESTDIR)$(PREFIX)/share/man/man1/pvlink.1
	install -m 644 kernel-glue/apply.c kernel-glue/pvops.lds kernel-glue/retpoline.S \
		$(DESTDIR)$(PREFIX)/share/pvlink/kernel-glue/
	for h in $(GLUE_ENCODERS); do \
		install -D -m 644 $$h $(DESTDIR)$(PREFIX)/share/pvlink/$$h || exit 1; \
	done

clean:
	rm -rf build pvlink/pvlink
	-$(MAKE) -s -C examples/minikernel clean
	-$(MAKE) -s -C examples/userspace clean

.PHONY: all demo boot check check-full bench install clean deps deps-build test-tools fuzz soundness
