# SPDX-License-Identifier: GPL-3.0-or-later
# Linux 6.1 with the pvlink series (examples/linux), included by the top
# Makefile.  The work is done by examples/linux/linux.sh; see
# examples/linux/README.md.
#
#   make linux          build the patched variants, boot them, report
#   make check-linux    the same, then assert against examples/linux/expect
#   make linux-expect   rewrite examples/linux/expect from the last boots
#   make linux-stock    the same variants without the series
#   make bench-linux    boot time, stock against patched
#
# LINUX_VARIANTS, LINUX_JOBS, LINUX_TAR, LINUX_BOOT_TIMEOUT and
# LINUX_BENCH_RUNS override the defaults below.

LINUX_VARIANTS     ?= xxl retpoline orc
LINUX_JOBS         ?= $(shell nproc)
LINUX_TAR          ?= /usr/src/linux-source-6.1.tar.xz
LINUX_BOOT_TIMEOUT ?= 300
LINUX_BENCH_RUNS   ?= 5

LINUX_SH = TOP=$(CURDIR) PVLINK=$(CURDIR)/$(PVLINK_BIN) OUT=$(CURDIR)/build/linux \
	LINUX_TAR=$(LINUX_TAR) VARIANTS="$(LINUX_VARIANTS)" JOBS=$(LINUX_JOBS) \
	BOOT_TIMEOUT=$(LINUX_BOOT_TIMEOUT) BENCH_RUNS=$(LINUX_BENCH_RUNS) \
	examples/linux/linux.sh

# The kernel's build tools, its source package, ccache and QEMU; the tool
# itself needs the build set, which deps-build installs first.
deps-linux: deps-build
	$(Q)$(DEPS_SH) linux

linux: deps-linux $(PVLINK_BIN)
	$(Q)$(LINUX_SH) run patched

check-linux: deps-linux $(PVLINK_BIN)
	$(Q)$(LINUX_SH) check

linux-expect:
	$(Q)$(LINUX_SH) expect

linux-stock: deps-linux
	$(Q)$(LINUX_SH) run stock

bench-linux: deps-linux $(PVLINK_BIN)
	$(Q)$(LINUX_SH) bench

.PHONY: deps-linux linux check-linux linux-expect linux-stock bench-linux
