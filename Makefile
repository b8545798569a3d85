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

PKGS := libelf libdw capstone
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN   := -Wall -Wextra -Wshadow -Wstrict-prototypes $(WERROR)
TOOL_CFLAGS := -std=gnu11 $(WARN) $(CFLAGS) $(SANITIZE_FLAGS) -Iinclude $(PKG_CFLAGS)
TOOL_LIBS   := $(PKG_LIBS) -lbfd

ifeq ($(SANITIZE),1)
SANITIZE_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

TOOL_SRCS := $(wildcard pvlink/*.c)
TOOL_OBJS := $(TOOL_SRCS:pvlink/%.c=build/pvlink/%.o) build/pvlink/glue_apply.o
GLUE_HOSTED := build/libpvops.a

all: pvlink/pvlink $(GLUE_HOSTED)

build/pvlink/%.o: pvlink/%.c pvlink/*.h include/pvops.h | build/pvlink deps-build
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(TOOL_CFLAGS) -c $< -o $@

# The tool checks sites with the applier's own encoder (pvops_original).
build/pvlink/glue_apply.o: kernel-glue/apply.c include/pvops.h | build/pvlink
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(TOOL_CFLAGS) -c $< -o $@

pvlink/pvlink: $(TOOL_OBJS)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(SANITIZE_FLAGS) $^ $(TOOL_LIBS) -o $@

# The applier for programs: apply.c + the mprotect() environment.
build/glue/%.o: kernel-glue/%.c include/pvops.h | build/glue
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=c11 $(WARN) $(CFLAGS) -Iinclude -c $< -o $@

$(GLUE_HOSTED): build/glue/apply.o build/glue/hosted.o
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

build/pvlink build/glue build/tests:
	$(Q)mkdir -p $@

# Helpers the tests build on (not installed).
build/tests/mangle: tests/tools/mangle.c include/pvops.h | build/tests
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=gnu11 $(WARN) $(CFLAGS) -Iinclude $(PKG_CFLAGS) $< $(PKG_LIBS) -o $@

test-tools: build/tests/mangle

# Installs missing Debian packages (scripts/deps.sh); a no-op when all are there.
deps-build:
	$(Q)scripts/deps.sh build
deps:
	$(Q)scripts/deps.sh all

demo: deps all
	$(Q)$(MAKE) -s -C examples/minikernel PVLINK=$(CURDIR)/pvlink/pvlink demo
	$(Q)$(MAKE) -s -C examples/userspace PVLINK=$(CURDIR)/pvlink/pvlink demo

boot: all
	$(Q)$(MAKE) -s -C examples/minikernel PVLINK=$(CURDIR)/pvlink/pvlink boot

check: deps all test-tools
	$(Q)tests/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include \
		$(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/pvlink/kernel-glue
	install -m 755 pvlink/pvlink $(DESTDIR)$(PREFIX)/bin/pvlink
	install -m 644 include/pvops.h $(DESTDIR)$(PREFIX)/include/pvops.h
	install -m 644 $(GLUE_HOSTED) $(DESTDIR)$(PREFIX)/lib/libpvops.a
	install -m 644 Documentation/pvlink.1 $(DESTDIR)$(PREFIX)/share/man/man1/pvlink.1
	install -m 644 kernel-glue/apply.c kernel-glue/pvops.lds \
		$(DESTDIR)$(PREFIX)/share/pvlink/kernel-glue/

clean:
	rm -rf build pvlink/pvlink
	-$(MAKE) -s -C examples/minikernel clean
	-$(MAKE) -s -C examples/userspace clean

.PHONY: all demo boot check install clean deps deps-build test-tools
