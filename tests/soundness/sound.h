// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * sound.h - the interface between a soundness program and its driver
 * (driver.c).  tests/t-soundness.sh builds each program, runs it once
 * with the table left alone and once after pvops_hosted_apply(), and
 * requires the same output and exit status: patching must not change
 * what a program does.
 *
 * A program defines its ops table (marked with PVOPS_TABLE, so `pvlink
 * table` needs no --ops), fills it in sound_init(), and does its work in
 * sound_run(), which returns the exit status.  It records results with
 * slog(): a store to an array, no call, so that code built with an
 * unusual register convention (-fcall-saved-rdx) calls nothing it was
 * not built with.  The driver prints the log after sound_run() returns.
 *
 * A first line "// sound: KEY=VALUE ..." in a program says how to build
 * it: cc=gcc|clang (one compiler family only), cflags=... (added flags,
 * separated by commas).
 */
#ifndef SOUND_H
#define SOUND_H

#ifdef __cplusplus
#define SOUND_API extern "C"
extern "C" {
#else
#define SOUND_API extern
#endif
#include "pvops.h"
#ifdef __cplusplus
}
#endif

#define SOUND_LOG_MAX 4096

SOUND_API long sound_log[SOUND_LOG_MAX];
SOUND_API int sound_nlog;
/* 0 or 1, from the command line: which backend to fill the table with. */
SOUND_API int sound_which;

SOUND_API void sound_init(void);
SOUND_API int sound_run(void);

static inline void slog(long v)
{
	if (sound_nlog < SOUND_LOG_MAX)
		sound_log[sound_nlog++] = v;
}

/* An opaque value: the compiler cannot fold what it sees through this. */
#define SOUND_HIDE(x) __extension__({ __typeof__(x) h_ = (x); __asm__("" : "+r"(h_)); h_; })

#endif /* SOUND_H */
