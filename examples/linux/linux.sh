#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# linux.sh: Debian's Linux 6.1 with the pvlink series, booted in QEMU.
#
# Strategy: unpack /usr/src/linux-source-6.1.tar.xz once, apply
# examples/linux/patches/*.patch, configure each variant from its fragment
# (config/), build bzImage and modules with ccache, then the test module
# (module/) against each kernel and a static /init (init/); pack both into
# an uncompressed initramfs, boot each kernel in QEMU (TCG) and read the
# serial log: the applier's count lines and the module's output.  "stock"
# builds the same variants from an unpatched tree, for comparison.
#
# Usage: linux.sh run patched|stock     build, boot, report
#        linux.sh check                 build, boot, assert against expect/
#        linux.sh expect                write expect/ from the last patched boots
#        linux.sh bench                 boot each kernel, stock and patched, 5 times
#
# Environment (linux.mk sets them): TOP (the pvlink tree), PVLINK (its
# binary), OUT (build/linux), LINUX_TAR, VARIANTS, JOBS, QEMU, BOOT_TIMEOUT,
# BENCH_RUNS.  Exit status: 0 success, 1 a failed step or check, 2 usage.
set -eu

TOP=${TOP:?TOP: the pvlink source tree}
PVLINK=${PVLINK:-$TOP/pvlink/pvlink}
OUT=${OUT:-$TOP/build/linux}
LINUX_TAR=${LINUX_TAR:-/usr/src/linux-source-6.1.tar.xz}
VARIANTS=${VARIANTS:-xxl retpoline orc}
JOBS=${JOBS:-$(nproc)}
QEMU=${QEMU:-qemu-system-x86_64}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-300}
BENCH_RUNS=${BENCH_RUNS:-5}
HERE=$TOP/examples/linux
EXPECT=$HERE/expect
LOGS=$OUT/logs
export CCACHE_DIR=${CCACHE_DIR:-$OUT/ccache}

die() { echo "linux: error: $*" >&2; exit 1; }
# rel PATH: PATH inside the pvlink tree, relative to its top.
rel() { echo "${1#"$TOP"/}"; }
say() { echo "$*"; }

# elapsed START: seconds since START (an $EPOCHREALTIME), as "N.Ns".
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1fs\n", b - a }'; }

# ---- the source trees --------------------------------------------------

# The patch series, in the order `ls` gives (format-patch numbers them).
patch_files() { ls "$HERE"/patches/*.patch 2>/dev/null || :; }

# patches_id: one line naming the series by content, "none" without one.
patches_id() {
	local files
	files=$(patch_files)
	[ -n "$files" ] || { echo none; return; }
	# shellcheck disable=SC2086
	cat $files | sha256sum | cut -d' ' -f1
}

# unpack DIR: the pristine tarball into DIR, through DIR.tmp so that an
# interrupted unpack is never mistaken for a tree.  Every file gets the
# time of unpacking (tar -m), not the archive's: a file that a previous
# series changed and this one does not would otherwise come back older
# than its object, and make would keep the object built from the patch.
unpack() {
	local dir=$1 t
	[ -r "$LINUX_TAR" ] || die "$LINUX_TAR: not readable (Debian: linux-source-6.1)"
	t=$EPOCHREALTIME
	rm -rf "$dir" "$dir.tmp"
	mkdir -p "$dir.tmp"
	tar -xmf "$LINUX_TAR" -C "$dir.tmp" --strip-components=1 ||
		die "$LINUX_TAR: cannot unpack into $dir"
	mv "$dir.tmp" "$dir"
	say "  UNPACK  $(rel "$dir") ($(elapsed "$t"))"
}

# apply_patches DIR: the series, each patch whole or the step fails.
apply_patches() {
	local dir=$1 p
	for p in $(patch_files); do
		patch -d "$dir" -p1 --forward --batch -s <"$p" >"$LOGS/patch.log" 2>&1 ||
			die "$(basename "$p"): does not apply to $dir (log: $LOGS/patch.log)"
		say "  PATCH   $(basename "$p")"
	done
}

# source_tree KIND: the tree for KIND, unpacked once.  The patched tree is
# unpacked again only when the series changed since it was applied; the
# stamp beside the tree records which series it holds.
source_tree() {
	local kind=$1 dir stamp want=none
	dir=$(srcdir "$kind")
	[ "$kind" = stock ] || want=$(patches_id)
	stamp=$dir.stamp
	if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
		rm -f "$stamp"
		unpack "$dir"
		[ "$kind" = stock ] || apply_patches "$dir"
		echo "$want" >"$stamp"
	fi
	[ "$kind" = stock ] || [ "$want" != none ] ||
		say "  NOTE    no patches in examples/linux/patches: building a stock kernel"
}

# srcdir KIND: the source tree of the patched or the stock kernels.
srcdir() {
	if [ "$1" = stock ]; then echo "$OUT/stock-src"; else echo "$OUT/src"; fi
}

# ---- configuration ------------------------------------------------------

# symbols FILE: the CONFIG_ names a fragment assigns, set or "is not set".
symbols() { sed -nE 's/^(# )?(CONFIG_[A-Za-z0-9_]+)[= ].*/\2/p' "$1"; }

# fragment VARIANT: xxl.config with VARIANT's own lines in place of the
# base lines that name the same symbols, so kconfig sees each symbol once.
fragment() {
	local v=$1 base=$HERE/config/xxl.config own=$HERE/config/$1.config
	[ -f "$own" ] || die "$v: no config fragment $own"
	if [ "$v" = xxl ]; then
		grep -E '^(CONFIG_|# CONFIG_)' "$base"
		return
	fi
	grep -E '^(CONFIG_|# CONFIG_)' "$base" |
		grep -vwF -f <(symbols "$own") || :
	grep -E '^(CONFIG_|# CONFIG_)' "$own"
}

# check_config FRAGMENT DOTCONFIG: every line of the fragment took effect
# (kconfig silently drops a symbol whose dependencies are not met).
check_config() {
	local line sym
	while read -r line; do
		case $line in
		"# CONFIG_"*) sym=${line#\# }; sym=${sym%% *}
			! grep -q "^$sym=" "$2" || { echo "$line"; return 1; } ;;
		CONFIG_*=n) sym=${line%=n}
			! grep -q "^$sym=" "$2" || { echo "$line"; return 1; } ;;
		*) grep -qxF "$line" "$2" || { echo "$line"; return 1; } ;;
		esac
	done <"$1"
}

# configure KIND VARIANT OBJ: allnoconfig plus the fragment, redone when
# the fragment or the source tree changed.
configure() {
	local kind=$1 v=$2 obj=$3 src frag key log missing
	src=$(srcdir "$kind")
	frag=$OUT/config/$kind-$v.config
	mkdir -p "$OUT/config" "$obj"
	fragment "$v" >"$frag"
	key="$(sha256sum <"$frag") $(cat "$src.stamp")"
	[ -f "$obj/.config" ] && [ "$(cat "$obj/.pvlink-config" 2>/dev/null)" = "$key" ] && return
	log=$LOGS/$kind-$v.config.log
	make -C "$src" O="$obj" allnoconfig KCONFIG_ALLCONFIG="$frag" >"$log" 2>&1 ||
		die "$v: allnoconfig failed (log: $log)"
	! grep -i 'warning' "$log" >/dev/null ||
		die "$v: kconfig warns: $(grep -i -m1 'warning' "$log") (log: $log)"
	missing=$(check_config "$frag" "$obj/.config") ||
		die "$v: $frag: not in the resulting .config: $missing"
	echo "$key" >"$obj/.pvlink-config"
	say "  CONFIG  $v"
}

# ---- builds -------------------------------------------------------------

# kmake KIND OBJ ARGS...: make in a kernel build directory with ccache, and
# for the patched kernels the two variables the series needs.
kmake() {
	local kind=$1 obj=$2
	shift 2
	if [ "$kind" = stock ]; then
		make -C "$obj" -j"$JOBS" CC="ccache gcc" "$@"
	else
		make -C "$obj" -j"$JOBS" CC="ccache gcc" PVLINK="$PVLINK" PVOPS_DIR="$TOP" "$@"
	fi
}

build_kernel() {
	local kind=$1 v=$2 obj=$3 log=$LOGS/$1-$2.build.log t
	t=$EPOCHREALTIME
	kmake "$kind" "$obj" bzImage modules >"$log" 2>&1 || {
		tail -20 "$log" >&2
		die "$v: kernel build failed (log: $log)"
	}
	say "  KERNEL  $v ($(elapsed "$t"))"
}

# build_module KIND VARIANT OBJ: the test module from a fresh copy of its
# source, so that it is always built against the kernel just built.
build_module() {
	local kind=$1 v=$2 obj=$3 mod=$3-pvtest log=$LOGS/$1-$2.module.log
	rm -rf "$mod"
	mkdir -p "$mod"
	cp "$HERE"/module/Kbuild "$HERE"/module/*.c "$mod"/
	kmake "$kind" "$obj" M="$mod" modules >"$log" 2>&1 || {
		tail -20 "$log" >&2
		die "$v: test module build failed (log: $log)"
	}
	[ -f "$mod/pvtest.ko" ] || die "$v: the module build made no pvtest.ko (log: $log)"
}

build_init() {
	gcc -static -O2 -Wall -Wextra -Werror -o "$OUT/init" "$HERE/init/init.c" ||
		die "init/init.c: static build failed (Debian: libc6-dev)"
}

# initramfs OBJ: /init, /pvtest.ko and /dev/console, uncompressed newc,
# made by the kernel's own gen_init_cpio (no root needed for the node).
initramfs() {
	local obj=$1
	cat >"$obj-initramfs.list" <<-EOF
	dir /dev 0755 0 0
	nod /dev/console 0600 0 0 c 5 1
	file /init $OUT/init 0755 0 0
	file /pvtest.ko $obj-pvtest/pvtest.ko 0644 0 0
	EOF
	"$obj/usr/gen_init_cpio" "$obj-initramfs.list" >"$obj.cpio" ||
		die "$obj.cpio: gen_init_cpio failed"
}

# objdir KIND VARIANT: where that kernel is built.
objdir() {
	if [ "$1" = stock ]; then echo "$OUT/stock-$2"; else echo "$OUT/$2"; fi
}

build_all() {
	local kind=$1 v obj
	command -v ccache >/dev/null || die "ccache: not installed (Debian: ccache)"
	[ "$kind" = stock ] || [ -x "$PVLINK" ] || die "$PVLINK: no pvlink binary (run make first)"
	mkdir -p "$OUT" "$LOGS"
	source_tree "$kind"
	build_init
	for v in $VARIANTS; do
		obj=$(objdir "$kind" "$v")
		configure "$kind" "$v" "$obj"
		build_kernel "$kind" "$v" "$obj"
		build_module "$kind" "$v" "$obj"
		initramfs "$obj"
	done
}

# ---- booting ------------------------------------------------------------

# qemu OBJ: one boot, serial console on stdout, QEMU's status as its own.
qemu() {
	timeout "$BOOT_TIMEOUT" "$QEMU" -kernel "$1/arch/x86/boot/bzImage" \
		-initrd "$1.cpio" -nographic -no-reboot -m 256 -accel tcg \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-append "console=ttyS0 panic=-1" </dev/null
}

# boot KIND VARIANT: the serial log in logs/KIND-VARIANT.serial, QEMU's
# exit status in logs/KIND-VARIANT.status.
boot() {
	local obj log t status
	obj=$(objdir "$1" "$2")
	log=$LOGS/$1-$2.serial
	t=$EPOCHREALTIME
	set +e
	qemu "$obj" 2>&1 | tr -d '\r' >"$log"
	status=${PIPESTATUS[0]}
	set -e
	echo "$status" >"$LOGS/$1-$2.status"
	say "  BOOT    $2 ($(elapsed "$t"), QEMU status $status)"
}

# status_text STATUS: what QEMU's exit status says about the run.
status_text() {
	case $1 in
	1) echo "the module's checks passed" ;;
	3) echo "the module's checks failed" ;;
	0) echo "no verdict: /init could not load the module, or the kernel panicked" ;;
	124) echo "no verdict: timed out after ${BOOT_TIMEOUT}s" ;;
	*) echo "no verdict: QEMU failed" ;;
	esac
}

# counts_line LOG WHAT: the applier's line for WHAT ("vmlinux" or
# "module pvtest"), without its "pvlink: " prefix: "WHAT: sites=...".
counts_line() { sed -n "s/^pvlink: \($2: sites=.*\)/\1/p" "$1" | head -1; }

# pvtest_lines LOG: the module's output; the single-step count depends on
# the code the compiler made, so it is compared as "steps=N".
pvtest_lines() { grep '^pvtest: ' "$1" | sed -E 's/^(pvtest: unwind steps=)[0-9]+/\1N/' || :; }

# audit_total OBJ: pvlink's own count of the pv_ops call sites in vmlinux.o
# and how many it could prove patchable.  The applier's "sites" are only
# the table's entries, the patchable ones: this line shows what the table
# left out (in a retpoline build, every load-and-thunk call pvlink refused).
audit_total() {
	local total
	[ -f "$1/vmlinux.o" ] || return 0
	total=$("$PVLINK" audit "$1/vmlinux.o" --ops pv_ops 2>/dev/null | grep -m1 '^total: ') || return 0
	say "   pvlink audit vmlinux.o: ${total#total: }"
}

report() {
	local kind=$1 v=$2 log=$LOGS/$1-$2.serial status line
	status=$(cat "$LOGS/$kind-$v.status")
	say "== $kind $v: QEMU status $status: $(status_text "$status")"
	say "   serial log: $(rel "$log")"
	line=$(counts_line "$log" vmlinux)
	if [ -n "$line" ]; then
		say "   pvlink: $line"
	elif [ "$kind" = patched ]; then
		say "   no 'pvlink: vmlinux:' line: this kernel does not run pvlink's applier"
	fi
	line=$(counts_line "$log" "module pvtest")
	[ -z "$line" ] || say "   pvlink: $line"
	[ "$kind" = stock ] || audit_total "$(objdir "$kind" "$v")"
	grep -m1 '^init: ' "$log" | grep -v '^init: loading' | sed 's/^/   /' || :
	line=$(grep -m1 '^pvtest: result' "$log" || :)
	say "   ${line:-pvtest: no result line}"
	if [ -f "$EXPECT/pvtest-$v.out" ]; then
		if pvtest_lines "$log" | cmp -s - "$EXPECT/pvtest-$v.out"; then
			say "   pvtest output: as in expect/pvtest-$v.out"
		else
			say "   pvtest output: differs from expect/pvtest-$v.out"
		fi
	fi
}

# boot_all KIND: boot and report every variant of KIND.
boot_all() {
	local v
	for v in $VARIANTS; do
		boot "$1" "$v"
	done
	for v in $VARIANTS; do
		report "$1" "$v"
	done
}

# run KIND: build, boot and report every variant; fails when a boot gave
# no passing verdict (a missing applier line alone is reported, and left
# to `check` to fail on).
run() {
	local kind=$1 v status bad=
	build_all "$kind"
	boot_all "$kind"
	for v in $VARIANTS; do
		status=$(cat "$LOGS/$kind-$v.status")
		[ "$status" = 1 ] || bad="$bad $v"
	done
	[ -z "$bad" ] || die "$kind kernels without a passing verdict:$bad"
}

# ---- checks -------------------------------------------------------------

passed=0 failed=0
pass() { echo "PASS: $1"; passed=$((passed + 1)); }
# fail NAME [WHY...]: WHY (a diff, the offending lines) indented, at most
# 40 lines of it; the serial log has the rest.
fail() {
	echo "FAIL: $1"
	shift
	[ $# -eq 0 ] || printf '%s\n' "$@" | head -40 | sed 's/^/    /'
	failed=$((failed + 1))
}

# zero_faults NAME LINE: an applier line with no mismatch, bad or failed site.
zero_faults() {
	case $2 in
	"") fail "$1: no applier line" ;;
	*" mismatch=0 bad=0 failed=0 "*) pass "$1: mismatch=0 bad=0 failed=0" ;;
	*) fail "$1: sites the applier did not patch cleanly" "$2" ;;
	esac
}

# field LINE NAME: the number after NAME= in an applier line.
field() { sed -nE "s/.* $2=([0-9]+).*/\1/p" <<<" $1"; }

# patched LINE: the sites an applier line says it patched (direct + inline + nop).
patched() { echo $(( $(field "$1" direct) + $(field "$1" inline) + $(field "$1" nop) )); }

# coverage VARIANT LINE MIN: the sites the applier patched (direct +
# inline + nop) against every pv_ops call site in vmlinux.o, patchable or
# not, as pvlink's audit counts them: at least MIN percent.  (The
# applier's own "sites" are the table's entries only, the ones pvlink
# proved patchable.)
coverage() {
	local total calls done
	total=$("$PVLINK" audit "$(objdir patched "$1")/vmlinux.o" --ops pv_ops 2>/dev/null |
		grep -m1 '^total: ' || :)
	calls=$(sed -nE 's/^total: ([0-9]+) sites.*/\1/p' <<<"$total")
	done=$(patched "$2")
	if [ "${calls:-0}" -gt 0 ] && [ $((done * 100)) -ge $((calls * $3)) ]; then
		pass "$1: $done of $calls pv_ops call sites patched (>= $3%)"
	else
		fail "$1: $done of ${calls:-?} pv_ops call sites patched (< $3%)"
	fi
}

# at_least_stock VARIANT LINE: the applier patched at least as many sites
# as the stock kernel of the same config records in .parainstructions
# (expect/stock-sites, measured once with make linux-stock).
at_least_stock() {
	local stock done
	stock=$(awk -v v="$1" '$1 == v { print $2 }' "$EXPECT/stock-sites" 2>/dev/null)
	done=$(patched "$2")
	if [ -z "$stock" ]; then
		fail "$1: no line for $1 in expect/stock-sites"
	elif [ "$done" -ge "$stock" ]; then
		pass "$1: $done sites patched, stock records $stock"
	else
		fail "$1: $done sites patched, fewer than the $stock stock records"
	fi
}

# split_counts LINE: a counts line as two, vmlinux's and the module's, so
# that a diff shows which one changed.
split_counts() { sed 's/; /\n/' <<<"$1"; }

# expect_counts VARIANT VMLINUX MODULE: the committed counts, exactly.
expect_counts() {
	local want got
	want=$(grep "^$1 " "$EXPECT/counts" 2>/dev/null || :)
	got="$1 $2; $3"
	if [ -z "$want" ]; then
		fail "$1: counts: no line for $1 in expect/counts" "got: $got"
	elif [ "$want" = "$got" ]; then
		pass "$1: counts as in expect/counts"
	else
		fail "$1: counts differ from expect/counts" \
			"$(diff -u <(split_counts "$want") <(split_counts "$got") | tail -n +3)"
	fi
}

expect_output() {
	local v=$1 log=$2 want=$EXPECT/pvtest-$1.out d
	if [ ! -f "$want" ]; then
		fail "$v: pvtest output: no $want"
	elif d=$(diff -u "$want" <(pvtest_lines "$log")); then
		pass "$v: pvtest output as in expect/pvtest-$v.out"
	else
		fail "$v: pvtest output differs from expect/pvtest-$v.out" "$(tail -n +3 <<<"$d")"
	fi
}

check_variant() {
	local v=$1 log=$LOGS/patched-$1.serial status vml mod bad
	status=$(cat "$LOGS/patched-$v.status")
	if [ "$status" = 1 ]; then
		pass "$v: QEMU exit status 1"
	else
		fail "$v: QEMU exit status $status, not 1: $(status_text "$status")"
	fi
	vml=$(counts_line "$log" vmlinux)
	mod=$(counts_line "$log" "module pvtest")
	if [ -z "$vml" ]; then
		fail "$v: no 'pvlink: vmlinux:' line: the kernel does not run pvlink's applier (is the series in examples/linux/patches?)"
	else
		zero_faults "$v: vmlinux" "$vml"
	fi
	if [ -z "$mod" ]; then
		fail "$v: no 'pvlink: module pvtest:' line: the module was not patched at load"
	else
		zero_faults "$v: module pvtest" "$mod"
	fi
	[ -z "$vml" ] || [ -z "$mod" ] || expect_counts "$v" "$vml" "$mod"
	expect_output "$v" "$log"
	bad=$(grep -E 'WARNING|BUG' "$log" | head -5 || :)
	if [ -z "$bad" ]; then
		pass "$v: no WARNING or BUG in the boot log"
	else
		fail "$v: WARNING or BUG in the boot log" "$bad"
	fi
	[ -z "$vml" ] || at_least_stock "$v" "$vml"
	[ "$v" != retpoline ] || [ -z "$vml" ] || coverage "$v" "$vml" 95
}

check() {
	local v
	build_all patched
	boot_all patched
	for v in $VARIANTS; do
		check_variant "$v"
	done
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# ---- recording the expected results --------------------------------------

# set_counts VARIANT LINE: LINE in place of VARIANT's line in expect/counts
# (appended when it has none); the other variants' lines stay.
set_counts() {
	local f=$EXPECT/counts
	touch "$f"
	awk -v v="$1" -v l="$2" '
		index($0, v " ") == 1 { print l; done = 1; next }
		{ print }
		END { if (!done) print l }' "$f" >"$f.tmp"
	mv "$f.tmp" "$f"
}

# record: expect/counts and expect/pvtest-*.out from the last patched
# boots of VARIANTS, each of which must have passed with both applier lines.
record() {
	local v log vml mod
	for v in $VARIANTS; do
		log=$LOGS/patched-$v.serial
		[ -f "$log" ] || die "$v: no boot log $(rel "$log") (run make linux first)"
		[ "$(cat "$LOGS/patched-$v.status")" = 1 ] || die "$v: the last boot did not pass"
		vml=$(counts_line "$log" vmlinux)
		mod=$(counts_line "$log" "module pvtest")
		[ -n "$vml" ] && [ -n "$mod" ] || die "$v: the last boot has no applier lines"
	done
	for v in $VARIANTS; do
		log=$LOGS/patched-$v.serial
		set_counts "$v" "$v $(counts_line "$log" vmlinux); $(counts_line "$log" "module pvtest")"
		pvtest_lines "$log" >"$EXPECT/pvtest-$v.out"
	done
	say "wrote $(rel "$EXPECT")/counts and pvtest-*.out for: $VARIANTS"
}

# ---- boot time ----------------------------------------------------------

# boot_time OBJ: seconds from starting QEMU to the first line /init prints,
# stamped on the host as each serial line arrives.  The rest of the output
# is read to the end, so that no boot overlaps the next one.
boot_time() {
	local start line at=
	start=$EPOCHREALTIME
	while IFS= read -r line; do
		[ -n "$at" ] || case $line in init:*) at=$EPOCHREALTIME ;; esac
	done < <(qemu "$1" 2>&1)
	[ -n "$at" ] || return 1
	awk -v a="$start" -v b="$at" 'BEGIN { printf "%.3f\n", b - a }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

bench() {
	local v kind obj i times t
	build_all stock
	build_all patched
	printf '%-10s %10s %10s   (median of %d boots, seconds to /init)\n' variant stock patched "$BENCH_RUNS"
	for v in $VARIANTS; do
		printf '%-10s' "$v"
		for kind in stock patched; do
			obj=$(objdir "$kind" "$v")
			times=
			for i in $(seq "$BENCH_RUNS"); do
				t=$(boot_time "$obj") || die "$kind $v: boot $i never reached /init"
				times="$times$t"$'\n'
			done
			printf ' %10s' "$(printf '%s' "$times" | median)"
		done
		echo
	done
}

# Every variant named must have a fragment: a typo fails before any work.
for v in $VARIANTS; do
	[ -f "$HERE/config/$v.config" ] || die "$v: no such variant (no config/$v.config)"
done

case "${1:-}" in
run) case "${2:-}" in patched|stock) run "$2" ;; *) echo "usage: $0 run patched|stock" >&2; exit 2 ;; esac ;;
check) check ;;
expect) record ;;
bench) bench ;;
*) echo "usage: $0 run patched|stock | check | expect | bench" >&2; exit 2 ;;
esac
