# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by tests/t-soundness.sh and tests/gen/: build one program of the
# driver's interface (tests/soundness/sound.h) with one compiler and one
# set of flags, run pvlink table on it, link it, run it unpatched and
# patched, and compare.  Sourced after tests/lib.sh and tests/matrix-lib.sh
# (retpoline_cflags).
#
# SOUND_ARCH=aarch64 builds for AArch64 with aarch64-linux-gnu-gcc and
# clang --target=aarch64-linux-gnu, links with an AArch64 build of the
# applier (kernel-glue/apply.c and hosted.c, as tests/t-matrix-a64.sh
# does) and runs under qemu-aarch64; configurations are OPT-nopie,
# OPT-pie, OPT-pic, OPT-bti (-mbranch-protection=standard), OPT-sections
# (-ffunction-sections) and OPT-large (-mcmodel=large) there.

sound_dir=$top/tests/soundness
sound_arch=${SOUND_ARCH:-x86_64}
sound_a64_run="qemu-aarch64 -L /usr/aarch64-linux-gnu"

# The flags a configuration "OPT-plain" or "OPT-retp" stands for
# (OPT+fp: with -fno-omit-frame-pointer).
sound_cflags() {
	local fam=$1 opt=${2%-*} rp=${2#*-} f

	f="-${opt%+fp}"
	[ "$opt" = "${opt%+fp}" ] || f="$f -fno-omit-frame-pointer"
	if [ "$sound_arch" = aarch64 ]; then
		case $rp in
		pie)      f="$f -fpie" ;;
		pic)      f="$f -fpic" ;;
		bti)      f="$f -fno-pie -mbranch-protection=standard" ;;
		sections) f="$f -fno-pie -ffunction-sections" ;;
		large)    f="$f -fno-pie -mcmodel=large" ;;
		*)        f="$f -fno-pie" ;;
		esac
	elif [ "$rp" = retp ]; then
		f="$f $(retpoline_cflags "$fam" retp)"
		[ "$fam" = gcc ] && f="$f -mfunction-return=keep"
	fi
	printf '%s\n' "$f"
}

# The value of KEY on a program's "// sound: KEY=VALUE ..." line (in
# the first three lines); commas in VALUE stand for spaces.
sound_meta() {
	sed -n '1,3s|^// sound:||p' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1 | tr ',' ' '
}

# Whether a program is built with compiler family FAM (gcc or clang) for
# SOUND_ARCH (arch=aarch64 on its "// sound:" line; x86_64 without).
sound_wants() {
	local want arch

	want=$(sound_meta "$1" cc)
	arch=$(sound_meta "$1" arch)
	[ "${arch:-x86_64}" = "$sound_arch" ] || return 1
	[ -z "$want" ] || [ "$want" = "$2" ]
}

# gcc/g++, clang/clang++ for a source file (their AArch64 cross forms
# with SOUND_ARCH=aarch64).
sound_compiler() {
	[ "$sound_arch" = aarch64 ] && case $1/$2 in
	*.cc/gcc)   echo aarch64-linux-gnu-g++; return ;;
	*.cc/clang) echo clang++ --target=aarch64-linux-gnu; return ;;
	*/gcc)      echo aarch64-linux-gnu-gcc; return ;;
	*/clang)    echo clang --target=aarch64-linux-gnu; return ;;
	esac
	case $1/$2 in
	*.cc/gcc)   echo g++ ;;
	*.cc/clang) echo clang++ ;;
	*/gcc)      echo gcc ;;
	*/clang)    echo clang ;;
	esac
}

sound_key() {
	printf '%s\n' "$*" | tr ' /' '__'
}

# The driver and the retpoline thunks, once per run, in DIR.
sound_setup() {
	local dir=$1

	if [ ! -x "$PVLINK" ] || [ ! -f "$top/build/libpvops.a" ]; then
		fail "setup" "build the tool and build/libpvops.a first: make"
		return 1
	fi
	[ "$sound_arch" = aarch64 ] && { sound_setup_a64 "$dir"; return; }
	if ! gcc -O2 -Wall -I"$top/include" -c "$sound_dir/driver.c" -o "$dir/driver.o" 2>"$dir/setup.out" ||
	   ! gcc -c "$top/kernel-glue/retpoline.S" -o "$dir/thunks.o" 2>>"$dir/setup.out"; then
		fail "setup" "$(cat "$dir/setup.out")"
		return 1
	fi
}

# The AArch64 driver and applier (build/libpvops.a is x86's), in DIR.
sound_setup_a64() {
	local dir=$1 f

	for f in "$sound_dir/driver.c" "$top/kernel-glue/apply.c" "$top/kernel-glue/hosted.c"; do
		if ! aarch64-linux-gnu-gcc -std=gnu11 -Wall -Wextra -Werror -O2 -fpie \
			-I"$top/include" -c "$f" -o "$dir/$(basename "$f" .c).o" \
			2>>"$dir/setup.out"; then
			fail "setup" "AArch64 $(basename "$f"): $(cat "$dir/setup.out")"
			return 1
		fi
	done
	aarch64-linux-gnu-ar rcs "$dir/libpvops-a64.a" "$dir/apply.o" "$dir/hosted.o"
}

# Links prog.pv.o with the driver and the applier (and the retpoline
# thunks on x86) as ./prog, using compiler CC, for code built with FLAGS.
sound_link() {
	local cc=$1 flags=$2 ld

	if [ "$sound_arch" != aarch64 ]; then
		$cc -Wl,--emit-relocs prog.pv.o "$sound_workdir/driver.o" \
			"$sound_workdir/thunks.o" "$top/build/libpvops.a" -o prog
		return
	fi
	case " $flags " in
	*" -fpie "* | *" -fpic "*) ld=-pie ;;
	*)                         ld=-no-pie ;;
	esac
	# gcc: GNU ld's Cortex-A53 erratum 843419 stubs, see tests/t-matrix-a64.sh
	case $cc in aarch64-linux-gnu-*) ld="$ld -mno-fix-cortex-a53-843419" ;; esac
	# shellcheck disable=SC2086
	$cc $ld -Wl,--emit-relocs prog.pv.o "$sound_workdir/driver.o" \
		"$sound_workdir/libpvops-a64.a" -o prog
}

# Runs ./prog with a 10 s limit (under qemu-aarch64 for AArch64).
sound_run() {
	if [ "$sound_arch" = aarch64 ]; then
		# shellcheck disable=SC2086
		timeout 10 $sound_a64_run ./prog
	else
		timeout 10 ./prog
	fi
}

# "exit 139 (SIGSEGV)"
sound_status() {
	local s=$1 sig

	if [ "$s" -gt 128 ] && [ "$s" -lt 160 ] && sig=$(kill -l $((s - 128)) 2>/dev/null); then
		printf 'exit %s (SIG%s)\n' "$s" "$sig"
	elif [ "$s" = 124 ]; then
		printf 'exit 124 (timed out)\n'
	else
		printf 'exit %s\n' "$s"
	fi
}

# Builds SRC with family FAM and flags FLAGS in the current directory and
# runs it both ways.  Prints one PASS or FAIL line named NAME.  Returns 0
# when the runs agree, 1 when they differ, 2 when the program did not
# build (a generator treats that as its own bug, not pvlink's).  Sets
# sound_s0 to the unpatched run's exit status.  SOUND_TWICE=1 first runs
# the program twice unpatched: two runs that differ are the program's
# fault (returns 2).  SOUND_CFLAGS_EXTRA: more compiler flags.
sound_check() {
	local src=$1 fam=$2 flags=$3 name=$4 cc extra cmd s0 s1 bad

	sound_s0=
	cc=$(sound_compiler "$src" "$fam")
	extra="$(sound_meta "$src" cflags) ${SOUND_CFLAGS_EXTRA:-}"
	case $src in
	*.cc) extra="-std=gnu++17 $extra" ;;
	*)    extra="-std=gnu11 $extra" ;;
	esac
	cmd="$cc $flags $extra -I$top/include -I$sound_dir -c $src"
	# shellcheck disable=SC2086
	if ! $cmd -o prog.o >cc.out 2>&1; then
		fail "$name: compile" "$cmd: $(head -5 cc.out)"
		return 2
	fi
	if ! "$PVLINK" table -v prog.o -o prog.pv.o >table.out 2>&1; then
		fail "$name: pvlink table" "$cmd; pvlink table: $(grep -v '^  ' table.out | head -5)"
		return 1
	fi
	if ! sound_link "$cc" "$flags $extra" >link.out 2>&1; then
		fail "$name: link" "$cmd; $cc ... -o prog: $(head -5 link.out)"
		return 1
	fi
	# (the braces keep bash's "Segmentation fault" notice out of the log)
	{ sound_run >out.plain 2>err.plain; } 2>/dev/null
	s0=$?
	sound_s0=$s0
	if [ "${SOUND_TWICE:-0}" = 1 ] &&
	   { { sound_run >out.again 2>/dev/null; } 2>/dev/null; [ $? != "$s0" ] ||
	     ! cmp -s out.plain out.again; }; then
		fail "$name: deterministic" "two unpatched runs differ: $cmd"
		return 2
	fi
	{ SOUND_PATCH=1 sound_run >out.patched 2>err.patched; } 2>/dev/null
	s1=$?
	bad=$(sed -n 's/^counts: .*\(mismatch=[0-9]*\) \(bad_entry=[0-9]*\) \(failed=[0-9]*\).*/\1 \2 \3/p' err.patched)
	if [ "$s0" = "$s1" ] && cmp -s out.plain out.patched &&
	   [ "$bad" = "mismatch=0 bad_entry=0 failed=0" ]; then
		pass "$name: patched run = unpatched run ($(grep -c . out.plain) lines, $(sound_status "$s0"); $(sed -n 's/^counts: .*\(writes=[0-9]*\)/\1/p' err.patched))"
		return 0
	fi
	fail "$name: patched run differs" "built with: $cmd"
	echo "  unpatched: $(sound_status "$s0"), $(wc -l <out.plain) lines; patched: $(sound_status "$s1"), $(wc -l <out.patched) lines"
	echo "  applier: $(grep '^counts:' err.patched || echo 'no counts line: died before the apply returned')"
	[ "$bad" = "mismatch=0 bad_entry=0 failed=0" ] || [ -z "$bad" ] ||
		echo "  the applier found sites it could not write: $bad"
	if ! cmp -s out.plain out.patched; then
		echo "  stdout, unpatched (-) vs patched (+):"
		diff -u out.plain out.patched | sed -n '3,14s/^/    /p'
	fi
	echo "  sites patched (pvlink table -v):"
	grep ': patchable' table.out | sed 's/^ */    /' | head -8
	return 1
}

# One cell of t-soundness.sh: NAME FAM CONFIG, built in SCRATCH/KEY,
# reported in SCRATCH/KEY.log.
sound_cell() {
	local scratch=$1 name=$2 fam=$3 config=$4 key src

	key=$(sound_key "$name" "$fam" "$config")
	src=$sound_dir/$name
	sound_workdir=$scratch SOUND_TWICE=1
	mkdir -p "$scratch/$key" && cd "$scratch/$key" || return
	sound_check "$src" "$fam" "$(sound_cflags "$fam" "$config")" \
		"$name $(sound_compiler "$src" "$fam") $(sound_cflags "$fam" "$config")" \
		>"$scratch/$key.log" 2>&1
}
