# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by tests/t-matrix.sh and tests/t-matrix32.sh: link flags, retpoline
# flags, reading the fixture's output, and running it both ways round.
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

	FIXTURE_BACKEND=$x timeout 20 ./prog >"$out" 2>&1
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

