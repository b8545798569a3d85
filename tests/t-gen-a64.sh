#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/t-gen.sh for AArch64: the generated programs (C only: there is no
# C++ library for AArch64 here) built with aarch64-linux-gnu-gcc and
# clang --target=aarch64-linux-gnu at -O0 to -O3, non-PIE, PIE or BTI + PAC,
# linked with an AArch64 build of the applier, and run under qemu-aarch64
# as built and patched.  A wrong program lands in
# tests/soundness/regress/gen-a64-SEED.c.
#
#   bash tests/t-gen-a64.sh                 seeds 1-20 (what make check runs)
#   GEN_N=N GEN_SEED=S ...                  N programs from seed S on
#   make soundness ARCH=aarch64 N=... [SEED=...]
SOUND_ARCH=aarch64 GEN_N=${GEN_N:-20} exec bash "$(dirname "$0")/t-gen.sh" "$@"
