#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Entries that share bytes, and fields that must be zero.  gold and lld
# --icf=all fold identical functions (tests/fixtures/icf/icf.c: f1 and
# f2); gold keeps both entries, which then name one site: verify warns,
# the applier writes the site once and counts both.  Entries that share
# bytes otherwise are errors for verify and bad entries for the applier.
# A non-zero reserved byte, or an unused field set, is refused by verify;
# the applier refuses the first and ignores the others (include/pvops.h).
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1
MANGLE=$top/build/tests/mangle

gcc -O2 -ffunction-sections -fno-ipa-icf -I"$top/include" -c "$top/tests/fixtures/icf/icf.c" \
	-o icf.o && "$PVLINK" table -q icf.o -o icf.pv.o ||
	{ fail "build" "the fixture does not build"; finish; }

# entry_site IMAGE I: the address entry I names (its self-relative site field)
entry_site() {
	local addr off field
	read -r addr off < <(readelf -SW "$1" | sed 's/^ *\[ *[0-9]*\]//' |
		awk '$1 == "pvlink_sites" { print $3, $4 }')
	field=$(od -An -t d4 -j $((0x$off + 24 * $2 + 4)) -N 4 "$1" | tr -d ' ')
	printf '0x%x' $((0x$addr + 24 * $2 + 4 + field))
}
sym() { printf '0x%x' "0x$(nm "$1" | awk -v s="$2" '$3 == s { print $1 }')"; }

# verify IMAGE: stdout, the exit status, stderr; the folded function is
# named f1 or f2, as the linker chose (gold f1, lld f2): shown as f
verify() { "$PVLINK" verify "$1" 2>err; echo "exit $?"; sed 's/ f[12]+/ f+/' err; }

counts() { printf '%s: %s direct, %s indirect, 0 mismatch, %s bad_entry, 0 failed, %s writes' "$@"; }
run_expect() {
	expect "$1" "$(counts apply "$3" 0 "$4" "$5")
$(counts again "$3" 0 "$4" 0)
calls: 26
$(counts restore 0 "$3" "$4" "$5")
calls: 26" "$("./$2" 2>&1)"
}

# gold 2.40 stops with an internal error on --icf=all with --emit-relocs
if gcc -fuse-ld=gold -Wl,--icf=all icf.pv.o "$top/build/libpvops.a" -o gold 2>gold.err; then
	expect "gold: f1 and f2 folded" "$(sym gold f1)" "$(sym gold f2)"
	site=$(entry_site gold 0)
	expect "gold: two entries name one site" "$site" "$(entry_site gold 1)"
	expect "gold: verify warns about the twin, and passes" \
"gold: 3 entries, 0 bad; 0 patchable sites rescanned, 0 without entry
exit 0
gold: warning: f+0x4: entry 1 (site $site): the same site as entry 0 (identical code folded?): the applier writes it once" \
		"$(verify gold)"
	run_expect "gold: twins written once, both counted" gold 3 0 2

	cp gold clash
	$MANGLE entry-to clash 1 slot "$(sym clash main)"    # readable, not the slot
	expect "same site, another slot: verify refuses both" \
"clash: 3 entries, 2 bad; 0 patchable sites rescanned, 0 without entry
exit 1
clash: error: f+0x4: entry 1 (site $site): site no longer holds the recorded instructions
clash: error: f+0x4: entry 1 (site $site): shares bytes with entry 0 (site $site), which describes them otherwise: the applier writes neither" \
		"$(verify clash)"
	run_expect "same site, another slot: the applier writes neither" clash 1 2 1
else
	fail "gold: link" "$(cat gold.err)"
fi

if gcc -fuse-ld=lld -Wl,--icf=all icf.pv.o "$top/build/libpvops.a" -Wl,--emit-relocs \
	-o lld 2>lld.err; then
	expect "lld: f1 and f2 folded" "$(sym lld f1)" "$(sym lld f2)"
	# lld drops the folded copy's SHF_LINK_ORDER piece of the table with it
	expect "lld: verify passes" "lld: 2 entries, 0 bad; 2 patchable sites rescanned, 0 without entry
exit 0" "$(verify lld)"
	run_expect "lld: both sites patched" lld 2 0 2

	site=$(entry_site lld 0)
	cp lld overlap
	$MANGLE entry-to overlap 1 site $((site + 2))
	expect "overlapping sites: verify refuses both" \
"overlap: 2 entries, 2 bad; 2 patchable sites rescanned, 1 without entry
exit 1
overlap: error: f+0x6: entry 1 (site $(printf 0x%x $((site + 2)))): site no longer holds the recorded instructions
overlap: error: f+0x6: entry 1 (site $(printf 0x%x $((site + 2)))): shares bytes with entry 0 (site $site), which describes them otherwise: the applier writes neither
overlap: error: g+0x4: patchable call through ops+0x0 has no table entry (object not run through pvlink table?)" \
		"$(verify overlap)"

	for f in "reserved 1:reserved byte is not zero" \
		 "reg 3:unused field reg is not zero (PVOPS_MEM entry)" \
		 "thunk 16:unused field thunk is not zero (entry without a thunk)"; do
		set -- ${f%%:*}
		cp lld field
		$MANGLE entry field 0 "$1" "$2"
		expect "verify refuses $1 $2 in a PVOPS_MEM entry" \
"field: 2 entries, 1 bad; 2 patchable sites rescanned, 0 without entry
exit 1
field: error: f+0x4: entry 0 (site $site): ${f#*:}" "$(verify field)"
		case $1 in
		reserved) run_expect "the applier refuses a non-zero reserved byte" field 1 1 1 ;;
		*) run_expect "the applier ignores $1, which it does not use" field 2 0 2 ;;
		esac
	done
else
	fail "lld: link" "$(cat lld.err)"
fi
finish
