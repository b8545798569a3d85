#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The applier on AArch64 entries (tests/unit/applier_a64.c): built for
# x86-64, what the tool relies on (the same words from pvops_original()
# and pvops_rewrite(), AArch64 entries refused by the x86-64 applier);
# built for AArch64 and run under qemu-aarch64, the applier an AArch64
# kernel or program has; built freestanding for AArch64, needing nothing
# outside; and an AArch64 program that patches its own call sites through
# kernel-glue/hosted.c and runs them (tests/unit/applier_a64_hosted.c).
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1

gcc -std=c11 -Wall -Wextra -Werror -O2 -I"$top/include" "$top/tests/unit/applier_a64.c" \
	"$top/kernel-glue/apply.c" -o applier_a64 || { fail "build" "x86-64 unit test"; finish; }
# Runs a unit test ($2...), its checks named with $1 in front.
unit() {
	local name=$1 status

	shift
	"$@" >unit.out
	status=$?
	sed "s/^\(PASS\|FAIL\): /\1: $name: /" unit.out
	[ "$status" -eq 0 ] || grep -q '^FAIL' unit.out || fail "$name: unit test" "exited $status"
}
unit x86-64 ./applier_a64

# Each AArch64 compiler that can link a static program here (scripts/deps.sh
# installs both).
a64_cc() {
	case $1 in
	gcc) aarch64-linux-gnu-gcc "${@:2}" ;;
	clang) clang --target=aarch64-linux-gnu "${@:2}" ;;
	esac
}
compilers=
for cc in gcc clang; do
	if ! a64_cc $cc --version >/dev/null 2>&1; then
		skip "$cc for AArch64" "not installed"
	elif ! echo 'int main(void) { return 0; }' | a64_cc $cc -x c - -static -o probe 2>/dev/null
	then
		skip "$cc for AArch64" "cannot link a static AArch64 program (libc6-dev-arm64-cross)"
	else
		compilers="$compilers $cc"
	fi
done
if ! command -v qemu-aarch64 >/dev/null; then
	skip "AArch64 programs" "qemu-aarch64 not installed (qemu-user)"
	run=
else
	run=1
fi
nm=$(command -v aarch64-linux-gnu-nm || echo nm)

# what tests/unit/applier_a64_hosted.c prints: each site's word, the calls' results
cat >hosted.expect <<'OUT'
unpatched: 0 direct, 0 inlined, 0 nop, 0 indirect, 0 mismatch, 0 bad_entry, 0 failed, 0 writes
  site_add: blr x16
  site_tick: blr x17
  site_twice: br x17
  calls: add(2, 3) = 5, twice(21) = 42, tick counted 1
apply: 2 direct, 1 inlined, 0 nop, 0 indirect, 0 mismatch, 0 bad_entry, 0 failed, 3 writes
  site_add: add w0, w0, w1
  site_tick: bl native_tick
  site_twice: b native_twice
  calls: add(2, 3) = 5, twice(21) = 42, tick counted 1
again: 2 direct, 1 inlined, 0 nop, 0 indirect, 0 mismatch, 0 bad_entry, 0 failed, 0 writes
  site_add: add w0, w0, w1
  site_tick: bl native_tick
  site_twice: b native_twice
  calls: add(2, 3) = 5, twice(21) = 42, tick counted 1
tick is a no-op: 1 direct, 1 inlined, 1 nop, 0 indirect, 0 mismatch, 0 bad_entry, 0 failed, 1 writes
  site_add: add w0, w0, w1
  site_tick: nop
  site_twice: b native_twice
  calls: add(2, 3) = 5, twice(21) = 42, tick counted 0
restore: 0 direct, 0 inlined, 0 nop, 3 indirect, 0 mismatch, 0 bad_entry, 0 failed, 3 writes
  site_add: blr x16
  site_tick: blr x17
  site_twice: br x17
  calls: add(2, 3) = 5, twice(21) = 42, tick counted 0
exit 0
OUT

for cc in $compilers; do
	if a64_cc $cc -std=c11 -Wall -Wextra -Werror -O2 -static -I"$top/include" \
		"$top/tests/unit/applier_a64.c" "$top/kernel-glue/apply.c" -o applier_a64.$cc; then
		[ -z "$run" ] || unit "aarch64 ($cc)" qemu-aarch64 ./applier_a64.$cc
	else
		fail "$cc: AArch64 unit test" "tests/unit/applier_a64.c does not compile"
	fi

	kflags="-ffreestanding -nostdlib -mgeneral-regs-only -O2"
	# shellcheck disable=SC2086
	if a64_cc $cc -std=c11 -Wall -Wextra -Werror $kflags -I"$top/include" \
		-c "$top/kernel-glue/apply.c" -o kapply.$cc.o; then
		expect "$cc: freestanding AArch64 applier needs no outside symbol" "" \
			"$("$nm" -u kapply.$cc.o)"
	else
		fail "$cc: freestanding AArch64 build" "kernel-glue/apply.c does not build with $kflags"
	fi

	a64_cc $cc -std=c11 -O2 -I"$top/include" -c "$top/tests/unit/applier_a64_hosted.c" \
		-o hosted.$cc.o || { fail "$cc: build" "applier_a64_hosted.c"; continue; }
	expect "$cc: the table's fields are R_AARCH64_PREL32 relocations" "6 6" \
		"$(readelf -rW hosted.$cc.o | sed -n '/pvlink_sites/,/^$/p' | grep -c R_AARCH64_) $(
		readelf -rW hosted.$cc.o | sed -n '/pvlink_sites/,/^$/p' | grep -c R_AARCH64_PREL32)"
	for link in static pie; do
		flags=-static
		[ $link = pie ] && flags="-fPIE -pie"
		# shellcheck disable=SC2086
		if ! a64_cc $cc -std=c11 -Wall -Wextra -Werror -O2 $flags -I"$top/include" \
			"$top/tests/unit/applier_a64_hosted.c" "$top/kernel-glue/apply.c" \
			"$top/kernel-glue/hosted.c" -o hosted.$cc.$link 2>build.err; then
			fail "$cc -$link: hosted AArch64 program" "$(cat build.err)"
		elif [ -n "$run" ]; then
			qemu-aarch64 -L /usr/aarch64-linux-gnu ./hosted.$cc.$link >hosted.$cc.$link.out 2>&1
			echo "exit $?" >>hosted.$cc.$link.out
			expect_file "$cc -$link: hosted.c patches an AArch64 program, which runs patched" \
				hosted.expect hosted.$cc.$link.out
		fi
	done
done
finish
