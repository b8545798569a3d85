#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The hosted environment (kernel-glue/hosted.c) on damaged tables: a
# program whose table has bad entries (site 0, all zeros, a site or a slot
# in unmapped memory), duplicate or clashing entries, or a page that
# cannot be made writable must run with its good sites patched and the
# others counted, never fault, and keep every page's protection.
# Fixture: tests/fixtures/hosted/prog.c (six sites, s0..s5, in order).
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1
MANGLE=$top/build/tests/mangle
src=$top/tests/fixtures/hosted

# build NAME [CFLAGS...]: prog.c through pvlink table, linked with libpvops.a
build() {
	local name=$1
	shift
	gcc -O2 -I"$top/include" "$@" -c "$src/prog.c" -o "$name.o" &&
		"$PVLINK" table -q "$name.o" -o "$name.pv.o" &&
		gcc "$name.pv.o" ${extra:-} "$top/build/libpvops.a" -o "$name"
}
build prog || { fail "build" "the fixture does not build"; finish; }

# The six entries' sites must be s0..s5 in order: entry i names si.
sites=$(nm prog | awk '/ T s[0-5]$/ { print $3 }' | sort | tr '\n' ' ')
expect "fixture: six sites" "s0 s1 s2 s3 s4 s5 " "$sites"

counts() { printf '%s: %s direct, 0 inlined, 0 nop, %s indirect, 0 mismatch, %s bad_entry, %s failed, %s writes' "$@"; }

# run IMAGE: its output, and its exit status last
run() { "./$1" 2>&1; echo "exit $?"; }

# check NAME IMAGE DIRECT BAD FAILED WRITES: the whole output of a run
check() {
	local name=$1 image=$2 d=$3 bad=$4 failed=$5 w=$6
	expect "$name" "calls: 66
$(counts apply "$d" 0 "$bad" "$failed" "$w")
calls: 66
protection: text r-xp data rw-p table rw-p
unchanged: 1
$(counts again "$d" 0 "$bad" "$failed" 0)
$(counts restore 0 "$d" "$bad" "$failed" "$w")
calls: 66
exit 0" "$(run "$image")"
}

check "intact table: six sites patched" prog 6 0 0 6

# Below the lowest segment: unmapped in any layout (a PIE's is at 0).
low=$(readelf -lW prog | awk '$1 == "LOAD" { print $3; exit }')
unmapped=$(printf '0x%x' $((low - 0x100000)))

cp prog damaged
$MANGLE entry damaged 1 site 0 &&               # the site is the entry itself, in .data
$MANGLE entry damaged 2 all 0 &&
$MANGLE entry-to damaged 3 site "$unmapped" &&
$MANGLE entry-to damaged 4 slot "$unmapped" ||
	fail "mangle" "could not damage the table"
check "bad entries: site 0, all zeros, site or slot unmapped: 2 patched, 4 bad" damaged 2 4 0 2

for what in "site 0" "all 0" "site-to $unmapped"; do
	cp prog one
	set -- $what
	case $1 in
	site-to) $MANGLE entry-to one 2 site "$2" ;;
	*) $MANGLE entry one 2 "$1" "$2" ;;
	esac
	check "one bad entry ($what) fails only itself" one 5 1 0 5
done

# gold --icf=all leaves two entries naming one site: here entry 1 names s0.
cp prog twins
$MANGLE entry-copy twins 1 0
check "twin entries: one write, both counted, s1 left indirect" twins 6 0 0 5
cp twins clash
$MANGLE entry-to clash 1 slot "0x$(nm clash | awk '$3 == "scratch" { print $1 }')"
check "same site, another slot: neither written, both bad" clash 4 2 0 4

# A page that cannot be made writable fails only its own site.
extra="-Wl,--wrap=mprotect failmprotect.o"
gcc -O2 -c "$src/failmprotect.c" -o failmprotect.o &&
	build paged -DPAGE_PER_SITE || fail "build paged" "does not build"
check "mprotect refused for one page: 5 patched, 1 failed" paged 5 0 1 5
finish
