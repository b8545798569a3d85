# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by tests/t-matrix.sh, t-matrix32.sh and t-matrix-a64.sh: link
# flags, retpoline flags, reading the fixture's output, running it both
# ways round, checking a linked cell, and running the cells.  Each script
# defines link_prog, expect_table and unit_tables.
# Sourced after tests/lib.sh.

# -mcmodel=kernel code runs in user space when linked below 2 GB: -no-pie;
# PIE cells link -pie.
codegen_ldflags() {
	case $1 in
	pie) echo "-pie" ;;
	*)   echo "-no-pie" ;;
	esac
}

retpoline_cflags() {
	case $1/$2 in
	gcc/retp)   echo "-mindirect-branch=thunk-extern" ;;
	clang/retp) echo "-mretpoline-external-thunk" ;;
	esac
}

# The lines of the fixture's output after "== NAME", up to the next "== ".
section() {
	awk -v h="== $1" '$0 == h { on = 1; next } /^== / { on = 0 } on' "$2"
}

# "counts: direct=1 inlined=2 ..." after "== NAME" -> "1 2 ..."
counts_of() {
	section "$1" "$2" | awk '/^counts:/ {
		for (i = 2; i <= NF; i++) { split($i, kv, "="); printf "%s%s", kv[2], i < NF ? " " : "" } }'
}

# The first five counters: direct inlined nop indirect mismatch.
outcomes_of() {
	counts_of "$1" "$2" | cut -d' ' -f1-5
}

# "N references, N patchable, N not patchable", summed over the files.
table_totals() {
	awk '/ references, .* patchable, .* not patchable$/ { r += $2; p += $4; n += $6 }
	     END { printf "%d %d %d", r, p, n }' "$@"
}

# Runs ./prog starting with backend x; checks what one run shows on its own.
run_fixture() {
	local name=$1 x=$2 y=$3 out=$4 status s

	# shellcheck disable=SC2086
	FIXTURE_BACKEND=$x timeout 20 ${FIXTURE_RUN:-} ./prog >"$out" 2>&1
	status=$?
	if [ $status -ne 0 ]; then
		fail "$name: run $x" "exit status $status:"
		grep -E '^== apply|^== restore|^diff: |^counts: ' "$out" | head -12
		echo "last lines:"
		tail -3 "$out"
		return 1
	fi
	pass "$name: run $x"
	expect "$name: $x: patching changes no output" \
		"$(section "workload $x unpatched" "$out")" "$(section "workload $x patched" "$out")"
	expect "$name: $x: restore changes no output" \
		"$(section "workload $y patched" "$out")" "$(section "workload $y restored" "$out")"
	s=$(counts_of "apply $x again" "$out")
	expect "$name: $x: second apply writes nothing" "0" "${s##* }"
	expect "$name: $x: text check after every apply" "ok ok ok ok" \
		"$(awk '/^diff: / { printf "%s%s", s, $2; s = " " }' "$out")"
	for s in "apply $x" "apply $y" restore; do
		# shellcheck disable=SC2046
		set -- $(counts_of "$s" "$out")
		expect "$name: $x: $s: no bad entry, no failed write" "0 0" "${6:-} ${7:-}"
	done
}

# The cell's numbers against $expect_table; records them in ./observed.
check_counts() {
	local key=$1 name=$2 link=$3 entries=$4 a b got want

	a=$(outcomes_of "apply a" out.a)
	b=$(outcomes_of "apply b" out.a)
	# shellcheck disable=SC2046,SC2086
	set -- $(table_totals $unit_tables)
	case $key in
	*-gc) ;;    # the linker dropped unused_shape's entry
	*) expect "$name: one entry per patchable reference" "$2" "$entries" ;;
	esac
	got="$* $a $b"
	[ "$link" = bfd ] && printf '%-24s %s\n' "$key" "$got" >observed
	want=$(awk -v k="$key" '$1 == k {
		for (i = 2; i <= NF; i++) if ($i != "|") { printf "%s%s", s, $i; s = " " }
		exit }' "$expect_table")
	if [ -z "$want" ]; then
		fail "$name: expected counts" "no line for $key in ${expect_table#"$top"/}; observed: $got"
		return
	fi
	expect "$name: counts (refs patchable not-patchable, a: direct inlined nop indirect mismatch, b: same)" \
		"$want" "$got"
}

# Links, verifies, runs both ways round and compares.
link_and_run() {
	local key=$1 link=$2 cc=$3 ldflags=$4 name verify entries

	name=$key
	[ "$link" = bfd ] || name=$key@$link
	rm -f out.a out.b
	link_prog "$name" "$link" "$cc" "$ldflags" || return
	case $key in
	*-gc)
		expect "$name: --gc-sections dropped the unused function" "" \
			"$(nm prog | grep -w unused_shape)" ;;
	esac
	# shellcheck disable=SC2046,SC2086
	set -- $(table_totals $unit_tables)
	if [ "$2" = 0 ]; then
		# nothing patchable, no table, but the objects went through
		# pvlink table (its note): verify accepts 0 entries
		verify=$("$PVLINK" verify prog 2>&1)
		expect "$name: pvlink verify accepts processed objects with no site" \
			"0 prog: 0 entries, 0 bad; 0 patchable sites rescanned, 0 without entry" \
			"$? $verify"
	elif verify=$("$PVLINK" verify prog 2>&1); then
		pass "$name: pvlink verify"
		# the rescan (with REL, from addends read back out of the linked
		# values) must find every site the table has
		expect "$name: verify's rescan finds every entry's site" \
			"$(sed -n 's/.*: \([0-9]*\) entries,.*/\1/p' <<<"$verify")" \
			"$(sed -n 's/.*; \([0-9]*\) patchable sites rescanned.*/\1/p' <<<"$verify")"
	else
		fail "$name: pvlink verify" "$verify"
	fi
	run_fixture "$name" a b out.a || return
	run_fixture "$name" b a out.b || return
	expect "$name: workload b re-targeted = b unpatched" \
		"$(section "workload b unpatched" out.b)" "$(section "workload b patched" out.a)"
	expect "$name: workload a re-targeted = a unpatched" \
		"$(section "workload a unpatched" out.a)" "$(section "workload a patched" out.b)"
	# Outcomes follow the slots, not the order the backends came in.
	expect "$name: outcomes independent of order" \
		"$(outcomes_of "apply a" out.a) $(outcomes_of "apply b" out.a)" \
		"$(outcomes_of "apply a" out.b) $(outcomes_of "apply b" out.b)"
	# shellcheck disable=SC2046
	set -- $(counts_of "apply a" out.a)
	expect "$name: first apply writes every site it does not leave indirect" \
		"$(($1 + $2 + $3))" "$8"
	entries=$(printf '%s\n' "$verify" | sed -n 's/.*: \([0-9]*\) entries,.*/\1/p')
	expect "$name: verify, applier and text check count the same entries" \
		"$entries $entries" \
		"$(($1 + $2 + $3 + $4 + $5)) $(section "apply a" out.a | sed -n 's/^diff: ok \([0-9]*\) sites.*/\1/p')"
	check_counts "$key" "$name" "$link" "$entries"
}

# run_cells SCRIPT DIR KEY...: each cell by `SCRIPT --cell KEY DIR/KEY`, in
# parallel; then their logs in order, their failures counted, and the
# observed counts gathered (into MATRIX_RECORD when set).
run_cells() {
	local script=$1 dir=$2 key log

	shift 2
	printf '%s\n' "$@" | xargs -P "${JOBS:-$(nproc)}" -I{} bash "$script" --cell {} "$dir/{}"
	: >"$dir/observed"
	for key in "$@"; do
		log=$dir/$key.log
		if [ ! -s "$log" ]; then
			fail "$key" "the cell reported nothing"
			continue
		fi
		cat "$log"
		failures=$((failures + $(grep -c '^FAIL: ' "$log")))
		cat "$dir/$key/observed" >>"$dir/observed" 2>/dev/null
	done
	if [ -n "${MATRIX_RECORD:-}" ]; then
		cp "$dir/observed" "$MATRIX_RECORD"
		echo "observed counts written to $MATRIX_RECORD"
	fi
}
