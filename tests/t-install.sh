#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# make install puts the tool, its man page, the header, the applier and
# the linker-script fragment under DESTDIR/PREFIX, and a program builds
# against that installed copy alone.
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1
root=$work/root
make -s -C "$top" install PREFIX=/usr DESTDIR="$root" >install.log 2>&1 ||
	{ fail "make install" "$(cat install.log)"; finish; }
cd "$root/usr" || exit 1
expect "installed files" "bin/pvlink
include/pvops.h
lib/libpvops.a
share/man/man1/pvlink.1
share/pvlink/kernel-glue/apply.c
share/pvlink/kernel-glue/arm64/encode.h
share/pvlink/kernel-glue/pvops.lds
share/pvlink/kernel-glue/retpoline.S
share/pvlink/kernel-glue/x86/encode.h" "$(find . -type f | sed 's|^\./||' | sort)"
expect "installed pvlink runs" "pvlink 0.1" "$(bin/pvlink --version)"
if gcc -std=c11 -Wall -Wextra -Werror -O2 -Iinclude -c share/pvlink/kernel-glue/apply.c \
	-o "$work/apply.o" 2>"$work/apply.err"; then
	pass "the installed applier compiles from the installed files alone"
else
	fail "the installed applier compiles from the installed files alone" "$(cat "$work/apply.err")"
fi

# The user-space example, built with only the installed copy.
ex=$work/example
mkdir -p "$ex" && cp "$top"/examples/userspace/{*.[ch],Makefile} "$ex"
rm -f "$ex/pvops.h"
if make -s -C "$ex" TOP="$root/usr" PVLINK="$root/usr/bin/pvlink" \
	LIBPVOPS="$root/usr/lib/libpvops.a" hashdemo >"$work/build.log" 2>&1; then
	expect "example built against the installed copy patches its sites" \
		"patched: 4 direct, 2 inlined, 2 nop, 0 left indirect, 0 mismatch" \
		"$(HASH_BACKEND=fnv "$ex/hashdemo" | grep '^patched:')"
else
	fail "example build against the installed copy" "$(cat "$work/build.log")"
fi
finish
