#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Replays every input the fuzzer once broke pvlink with (tests/fuzz/regress/)
# through table, verify and audit: each must end promptly with the status
# and the one-line message recorded in tests/fuzz/regress.expect.
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1
expected=$top/tests/fuzz/regress.expect

for f in "$top"/tests/fuzz/regress/*; do
	name=$(basename "$f")
	cp "$f" "$name"
	for cmd in "table $name -o out.o --ops pv_ops" "verify $name" "audit $name --ops pv_ops"; do
		want=$(awk -v n="$name" -v c="${cmd%% *}" '$1 == n && $2 == c { $1 = $2 = ""; sub(/^  /, ""); print }' "$expected")
		# shellcheck disable=SC2086
		err=$(timeout 20 "$PVLINK" $cmd 2>&1 >/dev/null)
		status=$?
		got="$status${err:+ $err}"
		expect "$name: ${cmd%% *}" "$want" "$got"
		case $status in
		0) ;;                          # accepted: an output is right
		*) [ -e out.o ] && fail "$name: ${cmd%% *}: no output" "out.o written" ;;
		esac
		rm -f out.o
	done
done
finish
