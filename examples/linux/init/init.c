// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the test initramfs: load /pvtest.ko with "exit=1", which ends
 * the QEMU run through isa-debug-exit (status 1 pass, 3 fail).  When that
 * does not happen (the module cannot be opened or loaded, or it returned
 * without exiting), say why on the console and reboot: with -no-reboot
 * QEMU then exits with status 0, which no test result uses.
 *
 * Built with gcc -static; the first line it prints marks the end of the
 * kernel's boot for the boot-time benchmark.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/reboot.h>
#include <sys/syscall.h>

#define MODULE_PATH	"/pvtest.ko"
#define MODULE_PARAMS	"exit=1"

static void give_up(const char *what, int err)
{
	if (err)
		printf("init: %s: %s\n", what, strerror(err));
	else
		printf("init: %s\n", what);
	fflush(stdout);
	sync();
	reboot(RB_AUTOBOOT);
	/* reboot() only returns on error; PID 1 exiting panics, which reboots too */
	printf("init: reboot: %s\n", strerror(errno));
	_exit(1);
}

int main(void)
{
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("init: loading %s %s\n", MODULE_PATH, MODULE_PARAMS);
	fd = open(MODULE_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		give_up("open " MODULE_PATH, errno);
	if (syscall(SYS_finit_module, fd, MODULE_PARAMS, 0) != 0)
		give_up("finit_module " MODULE_PATH, errno);
	give_up("pvtest loaded but did not exit QEMU (isa-debug-exit missing?)", 0);
	return 1;
}
