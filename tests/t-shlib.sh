#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Each module applies exactly its own table: a shared library from its
# constructor next to a program with a table of its own; a program with
# no table next to a library with one; a dlopen()ed plugin in a host
# linked with and without -rdynamic.  With GNU ld, gold and lld.  Every
# module links libpvops.a, whose entry points and table bounds must stay
# local to it (include/pvops.h, PVOPS_LOCAL).  Fixture: tests/fixtures/shlib/.
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1
src=$top/tests/fixtures/shlib
lib=$top/build/libpvops.a

cc() { gcc -O2 -I"$top/include" "$@"; }
table() { "$PVLINK" table -q "$1.o" -o "$1.pv.o"; }
cc -fPIC -c "$src/lib.c" -o lib.o && cc -fPIC -c "$src/plugin.c" -o plugin.o &&
	cc -c "$src/main.c" -o main.o && cc -c "$src/host.c" -o host.o &&
	cc -c "$src/notable.c" -o notable.o &&
	table lib && table plugin && table main && table host ||
	{ fail "build" "the fixture does not compile"; finish; }

counts() {
	printf '%s: %s direct, %s nop, 0 indirect, 0 mismatch, 0 bad_entry, 0 failed, %s writes\n' "$@"
}

for ld in bfd gold lld; do
	if ! gcc -fuse-ld=$ld -Wl,--version >/dev/null 2>&1; then
		skip "$ld" "gcc -fuse-ld=$ld does not work here"
		continue
	fi
	mkdir -p $ld
	link() { gcc -fuse-ld=$ld "$@"; }
	# libpvops.a before the library, as a program that uses it lists it
	if ! link -shared lib.pv.o "$lib" -o $ld/liblib.so ||
	   ! link -shared plugin.pv.o "$lib" -o $ld/plugin.so ||
	   ! link main.pv.o "$lib" -L$ld -llib -Wl,-rpath,"$PWD/$ld" -o $ld/main ||
	   ! link notable.o "$lib" -L$ld -llib -Wl,-rpath,"$PWD/$ld" -o $ld/notable ||
	   ! link host.pv.o "$lib" -o $ld/host ||
	   ! link -rdynamic host.pv.o "$lib" -o $ld/host-rdynamic; then
		fail "$ld: link" "the fixture does not link"
		continue
	fi

	expect "$ld: a library applies its own table, the program its own" \
"$(counts "lib constructor" 3 0 3)
$(counts "main apply" 2 0 2)
$(counts "main again" 2 0 0)
$(counts "lib apply" 3 0 0)
calls: 301 63" "$($ld/main 2>&1)"

	expect "$ld: a program without a table finds none, the library's stays its own" \
"$(counts "main apply" 0 0 0)
$(counts "lib constructor" 3 0 3)
$(counts "lib apply" 3 0 0)
calls: 63" "$($ld/notable 2>&1)"

	for host in host host-rdynamic; do
		expect "$ld: a plugin applies its own table ($host)" \
"$(counts "host apply" 2 0 2)
$(counts "plugin constructor" 4 0 4)
$(counts "plugin apply" 4 0 0)
plugin calls: 10006
$(counts "host again" 2 0 0)
host calls: 301" "$($ld/$host "$PWD/$ld/plugin.so" 2>&1)"
	done

	# GNU ld lists __start_/__stop_ in .dynsym as HIDDEN: the loader binds nothing to them
	expect "$ld: the library exports no applier or table symbol" "" \
		"$(readelf -W --dyn-syms $ld/liblib.so |
			awk '$7 != "UND" && $6 != "HIDDEN" && $8 ~ /pvops_|pvlink_sites/')"
done
finish
