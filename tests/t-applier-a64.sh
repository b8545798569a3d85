#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The applier on AArch64 entries (tests/unit/applier_a64.c): built for
# x86-64, what the tool relies on (the same words from pvops_original()
# and pvops_rewrite(), AArch64 entries refused by the x86-64 applier);
# built for AArch64 and run under qemu-aarch64, the applier an AArch64
# kernel or program has; and built freestanding for AArch64, needing
# nothing outside.
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1

gcc -std=c11 -Wall -Wextra -Werror -O2 -I"$top/include" "$top/tests/unit/applier_a64.c" \
	"$top/kernel-glue/apply.c" -o applier_a64 || { fail "build" "x86-64 unit test"; finish; }
./applier_a64 >unit.out
status=$?
cat unit.out
[ "$status" -eq 0 ] || grep -q '^FAIL' unit.out || fail "x86-64 unit test" "exited $status"

# Each AArch64 compiler that can link a static program here.  clang is in
# scripts/deps.sh's check set; Debian 12's gcc-aarch64-linux-gnu conflicts
# with gcc-multilib, which the i386 tests need, so gcc is tested where it
# is installed.
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

for cc in $compilers; do
	if a64_cc $cc -std=c11 -Wall -Wextra -Werror -O2 -static -I"$top/include" \
		"$top/tests/unit/applier_a64.c" "$top/kernel-glue/apply.c" -o applier_a64.$cc; then
		if [ -n "$run" ]; then
			qemu-aarch64 ./applier_a64.$cc >unit.$cc.out
			status=$?
			sed "s/^\(PASS\|FAIL\): /\1: $cc: /" unit.$cc.out
			[ "$status" -eq 0 ] || grep -q '^FAIL' unit.$cc.out ||
				fail "$cc: AArch64 unit test" "exited $status"
		fi
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
done
finish
