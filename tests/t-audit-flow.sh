#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# pvlink audit never claims more than the code has: slots loaded and
# called later are unpatchable calls, not reads; stores in main, through
# a pointer to the table, by an inlined memcpy, into half a slot, 16 bytes
# at once and to a packed field are all writes, counted against every
# slot they cover; the table's address in code or data is a possible write
# path; a program that fills its table in PVOPS_INIT code (or --init SYM)
# passes --fail-on runtime-writes.  Each fixture is built by gcc and clang
# at -O2; the checks are counts, not addresses.
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1
fx=$top/tests/fixtures/flow

# q FILE.json EXPR: a Python expression over the report (d), summary (s),
# the first table's fields by offset (f) and the rows by function (r).
q() {
	python3 - "$@" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
f = {x["field_offset"]: x for t in s["tables"] for x in t["fields"]}
r = {}
for x in d["sites"]:
    r.setdefault(x["function"], []).append(x)
print(eval(sys.argv[2]))
PY
}

valid() { audit_json_valid "$1"; }

# audit NAME [options]: the JSON report of NAME.o, and its exit status with options.
audit() {
	local name=$1
	shift
	"$PVLINK" audit "$name.o" --ops ops --ops spare --format json -o "$name.json" 2>/dev/null
	"$PVLINK" audit -q "$name.o" --ops ops --ops spare "$@" >/dev/null 2>&1
	echo $?
}

called_later="the loaded pointer is called later, not at once (tested or kept in a register)"

# The walk's answer for each shape of shapes.S, exactly.
gcc -c "$fx/shapes.S" -o shapes.o
"$PVLINK" audit shapes.o --ops ops --format json -o shapes.json
expect "every data-flow shape, exactly" \
"call_copy call - the loaded pointer is called later, not at once (other instructions between)
call_cmov call - the loaded pointer is called later, not at once (other instructions between)
call_kept call - $called_later
call_loop call - $called_later
thunk_later jump - $called_later
maybe_kept_by_call call - the loaded pointer may be called later, in a register a call between may have kept (a calling convention other than System V's)
read_result_after_call read - reads the field without calling it
read_overwritten read - reads the field without calling it
spill_reload call - $called_later
spill_call call - $called_later
spill_overwritten read - reads the field without calling it
escape_store read - the loaded pointer is stored, returned, passed on or changed: pvlink cannot see whether it is called
escape_argument read - the loaded pointer is stored, returned, passed on or changed: pvlink cannot see whether it is called
lost_jump_table read - the loaded pointer could not be followed (a computed jump, or code pvlink did not decode): it may be called
lost_cold read - the loaded pointer could not be followed (a computed jump, or code pvlink did not decode): it may be called
fill_rep write 24 fills the table (rep stos/movs, memcpy or memset onto its address)
fill_memset write 16 fills the table (rep stos/movs, memcpy or memset onto its address)
address_and_fill address - takes the table's address (a base pointer kept in a register)
store_wide write 32 stores to the ops field" \
	"$(q shapes.json '"\n".join("%s %s %s %s" % (x["function"], x["kind"], x["width"] or "-", x["reason"]) for x in d["sites"])')"
expect "shapes: writes per slot (rep from 8, memset of 16, one 32-byte store); 9 unpatchable sites" \
	"[2 3 2 2] 9 0" \
	"$(q shapes.json '[f[o]["writes"] for o in (0, 8, 16, 24)], s["sites"] - s["patchable"], s["patchable"]' | sed 's/^(//; s/)$//; s/\], /] /; s/, / /g')"
"$PVLINK" audit -q shapes.o --ops ops --fail-on unpatchable >/dev/null 2>&1
expect "shapes: --fail-on unpatchable fails" 1 $?

for cc in gcc clang; do
	build() { $cc -O2 -fno-pic -g -I"$fx" -I"$top/include" -c "$fx/$1.c" -o "$cc-$1.o"; }
	for f in main_store ptr_store memcpy_main stores calls; do build $f; done

	# (a) a store in main: .text.startup (gcc) is not init code.
	expect "$cc: store in main fails --fail-on runtime-writes" 1 \
		"$(audit $cc-main_store --fail-on runtime-writes)"
	expect "$cc: store in main is a runtime write" "1 0" \
		"$(q $cc-main_store.json 's["runtime_writes"], s["init_writes"]' | tr -d '(),')"

	# (b) a store through a pointer: both tables' addresses are write paths.
	expect "$cc: pointer store fails --fail-on runtime-writes" 1 \
		"$(audit $cc-ptr_store --fail-on runtime-writes)"
	expect "$cc: pointer store: two possible write paths" "2 2" \
		"$(q $cc-ptr_store.json 's["write_paths"], s["address_uses"]' | tr -d '(),')"

	# (c) memcpy inlined into main: two 16-byte stores, four slots written.
	expect "$cc: inlined memcpy fails --fail-on runtime-writes" 1 \
		"$(audit $cc-memcpy_main --fail-on runtime-writes)"
	expect "$cc: inlined memcpy writes every slot" "2 [1, 1, 1, 1]" \
		"$(q $cc-memcpy_main.json 's["runtime_writes"], [f[o]["writes"] for o in (0, 8, 16, 24)]' |
		   sed 's/^(\(.*\))$/\1/; s/, \[/ [/')"

	# memcpy and memset onto a 20-slot table: every slot written twice,
	# whatever the compiler made of them; no address is left over.
	build fill
	"$PVLINK" audit $cc-fill.o --ops big --format json -o $cc-fill.json
	expect "$cc: memcpy and memset write every slot twice" "20 [2] 0" \
		"$(q $cc-fill.json 'len(f), sorted(set(x["writes"] for x in f.values())), s["address_uses"]' | tr -d '(),')"

	# A 4-byte store into half a slot; a 16-byte store over two; a packed field.
	audit $cc-stores >/dev/null
	"$PVLINK" audit $cc-stores.o --ops ops --ops pk --format json -o $cc-stores.json
	expect "$cc: partial, wide and packed stores are writes" "3 0" \
		"$(q $cc-stores.json 's["runtime_writes"], sum(x["reads"] for x in f.values())' | tr -d '(),')"
	expect "$cc: writes per slot of ops (half of put; a and b at once)" "[0, 1, 1, 1]" \
		"$(q $cc-stores.json '[sum(x["writes"] for t in s["tables"] if t["ops"] == "ops" for x in t["fields"] if x["field_offset"] == o) for o in (0, 8, 16, 24)]')"
	expect "$cc: widths of the stores" "[4, 16, 8]" \
		"$(q $cc-stores.json '[x["width"] for x in d["sites"] if x["kind"] == "write"]')"
	expect "$cc: a call through a packed field is an unpatchable call" "jump 1 0" \
		"$(q $cc-stores.json '" ".join(str(v) for v in (r["call_packed"][0]["kind"], [x["calls"] for t in s["tables"] if t["ops"] == "pk" for x in t["fields"] if x["field_offset"] == 1][0], s["patchable"]))')"
	expect "$cc: the packed field is written where it is" "pk.fn 1 1" \
		"$(q $cc-stores.json '[(t["ops"] + "." + x["field"], x["field_offset"], x["writes"]) for t in s["tables"] if t["ops"] == "pk" for x in t["fields"] if x["writes"]][0]' | tr -d "()',")"

	# Loaded, tested, called: unpatchable calls, and --fail-on unpatchable fails.
	expect "$cc: load-test-call fails --fail-on unpatchable" 1 \
		"$(audit $cc-calls --fail-on unpatchable)"
	expect "$cc: load, test, tail call" "jump False $called_later" \
		"$(q $cc-calls.json '" ".join(str(r["maybe_put"][0][k]) for k in ("kind", "patchable", "reason"))')"
	expect "$cc: load, test, call" "call False $called_later" \
		"$(q $cc-calls.json '" ".join(str(r["count_put"][0][k]) for k in ("kind", "patchable", "reason"))')"
	expect "$cc: put counted as called twice, never patchable" "2 0 1" \
		"$(q $cc-calls.json 'f[8]["calls"], f[8]["patchable"], f[8]["reads"]' | tr -d '(),')"
	expect "$cc: a returned pointer stays a read, saying why" \
		"read the loaded pointer is stored, returned, passed on or changed: pvlink cannot see whether it is called" \
		"$(q $cc-calls.json 'r["which"][0]["kind"] + " " + r["which"][0]["reason"]')"
	expect "$cc: the table's address in data is reported" "data runtime .quad ops+0x0" \
		"$(q $cc-calls.json '" ".join((r["current"][0]["kind"], r["current"][0]["phase"], r["current"][0]["form"]))')"
	expect "$cc: twice's calls: one of them a sum of two" "2" \
		"$(q $cc-calls.json 'f[0]["calls"]')"
	for j in $cc-*.json; do
		expect "$cc: $j matches the schema" valid "$(valid $j)"
	done

	# A linked program: the fill in PVOPS_INIT code passes the gate; the
	# same fill unmarked fails it, unless --init names it.
	for m in MARKED UNMARKED; do
		$cc -O2 -D$m -I"$fx" -I"$top/include" -Wl,--emit-relocs "$fx/prog.c" -o $cc-$m
		expect "$cc: $m program runs" 42 "$(./$cc-$m)"
	done
	"$PVLINK" audit -q $cc-MARKED --ops ops --fail-on runtime-writes >/dev/null 2>&1
	expect "$cc: fill in PVOPS_INIT code passes --fail-on runtime-writes" 0 $?
	"$PVLINK" audit $cc-MARKED --ops ops --format json -o $cc-marked.json 2>/dev/null
	expect "$cc: PVOPS_INIT writes are init writes in the linked program" "0 True" \
		"$(q $cc-marked.json 's["runtime_writes"], s["init_writes"] > 0' | tr -d '(),')"
	"$PVLINK" audit -q $cc-UNMARKED --ops ops --fail-on runtime-writes >/dev/null 2>&1
	expect "$cc: unmarked fill fails --fail-on runtime-writes" 1 $?
	"$PVLINK" audit -q $cc-UNMARKED --ops ops --init fill --fail-on runtime-writes >/dev/null 2>&1
	expect "$cc: --init fill passes it" 0 $?
done

# -O0: a local function pointer kept in the frame is still followed.
for cc in gcc clang; do
	$cc -O0 -fno-pic -I"$fx" -c "$fx/local_fp.c" -o $cc-local_fp.o
	"$PVLINK" audit $cc-local_fp.o --ops ops --format json -o $cc-local_fp.json
	expect "$cc -O0: frame-kept pointers are unpatchable calls" "local_fp call False|checked call False" \
		"$(q $cc-local_fp.json '"|".join("%s %s %s" % (x["function"], x["kind"], x["patchable"]) for x in d["sites"])')"
done

# i386: the same walk over 32-bit registers; the data row is a .long.
for cc in gcc clang; do
	$cc -m32 -O2 -fno-pic -I"$fx" -c "$fx/calls.c" -o $cc-calls32.o
	"$PVLINK" audit $cc-calls32.o --ops ops --format json -o $cc-calls32.json
	expect "$cc -m32: load-test-calls, a returned pointer, the address in data" \
		"maybe_put jump False|count_put call False|which read False|current data .long ops+0x0" \
		"$(q $cc-calls32.json '"|".join("%s %s %s" % (x["function"], x["kind"], x["form"] if x["kind"] == "data" else x["patchable"]) for x in d["sites"] if x["function"] != "twice")')"
done

# --init names a function and gcc's clones of it (fill.constprop.0).
gcc -O2 -fno-pic -I"$fx" -c "$fx/clone.c" -o clone.o
expect "gcc made a clone" 1 "$(nm clone.o | grep -c ' fill\.')"
"$PVLINK" audit -q clone.o --ops ops --fail-on runtime-writes >/dev/null 2>&1
expect "the clone's writes are runtime writes unnamed" 1 $?
"$PVLINK" audit -q clone.o --ops ops --init fill --fail-on runtime-writes >/dev/null 2>&1
expect "--init fill covers fill.constprop.0" 0 $?
"$PVLINK" audit -q clone.o --ops ops --init fil --fail-on runtime-writes >/dev/null 2>&1
expect "--init fil does not" 1 $?

# A fill with an absurd count is counted against at most 4096 slots.
gcc -c "$fx/huge_fill.S" -o huge_fill.o
"$PVLINK" audit huge_fill.o --ops ops --format json -o huge_fill.json
expect "absurd fill: width kept, 4096 slots counted" "4294967288 4096" \
	"$(q huge_fill.json 'd["sites"][0]["width"], len(f)' | tr -d '(),')"

# The user-space example fills its table in PVOPS_INIT code: both gates pass.
udir=$work/userspace
mkdir -p "$udir" && cp "$top"/examples/userspace/{*.[ch],Makefile} "$udir"
if make -s -C "$udir" TOP="$top" PVLINK="$PVLINK" hashdemo >ubuild.log 2>&1; then
	"$PVLINK" audit "$udir/hashdemo" --fail-on unpatchable --fail-on runtime-writes >u.txt 2>&1
	expect "example program passes both gates" 0 $?
	expect "example program totals" \
		"total: 8 sites, 8 patchable (100.0%), 0 not patchable; 0 runtime writes, 6 init writes" \
		"$(sed -n 2p u.txt)"
else
	fail "example build" "$(cat ubuild.log)"
fi

"$PVLINK" audit gcc-calls.o --ops ops --init >/dev/null 2>&1
expect "--init without a name is a usage error" 2 $?

finish
