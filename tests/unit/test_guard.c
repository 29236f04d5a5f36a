/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_guard.c - the write guard (engine/guard.c) on real block devices.
 *
 * Mocking libblkid or /proc would only prove that the guard agrees with our
 * idea of them; the point is that it recognises what the real tools leave
 * on a real device.  So each test attaches a 64 MiB sparse file to a loop
 * device, puts something on it with the tool a user would use (mkfs.ext4,
 * mkswap, sfdisk, mount, swapon) and checks the verdict and the message.
 *
 * That needs root and working loop devices; without them the program exits
 * 77 (skip).  A test whose tool is missing, or whose kernel cannot do what
 * it needs (no swap, no partitions on loop devices), skips itself.  Every
 * loop device, mount, swap and temporary file is registered in the test's
 * fixture as soon as it exists, and the teardown undoes them even when an
 * assertion failed half-way.  Shell commands run only here, never in the
 * guard itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guard.h"

#define IMAGE_BYTES (64u << 20)

struct fixture {
	char dir[64];	/* mkdtemp(): image, symlink, regular file */
	char img[96];	/* DIR/disk.img, backing the loop device */
	char link[96];	/* DIR/link */
	char file[96];	/* DIR/file */
	char dev[64];	/* the attached loop device, "" when none */
	char part[80];	/* its first partition, when a test made one */
	char mnt[64];	/* mkdtemp() mount point, "" when none */
	char mounted[80]; /* what is mounted on MNT, "" when nothing */
	char swap[80];	/* the device swapon was given, "" when none */
	int excl_fd;	/* an O_EXCL open of DEV, -1 when none */
	char why[512];
};

/* Runs FMT as a shell command with its output discarded.  Returns its exit status or -1. */
static int sh(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int n, st;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(cmd) - sizeof(" >/dev/null 2>&1"))
		return -1;
	strcat(cmd, " >/dev/null 2>&1");
	st = system(cmd);
	return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Runs CMD and reads the first line it prints into OUT.  Returns 0 or -1. */
static int sh_line(const char *cmd, char *out, size_t len)
{
	FILE *p = popen(cmd, "r");
	int st;

	if (!p)
		return -1;
	if (!fgets(out, (int)len, p))
		out[0] = '\0';
	st = pclose(p);
	out[strcspn(out, "\n")] = '\0';
	return st == 0 && out[0] ? 0 : -1;
}

static int have(const char *tool)
{
	return sh("command -v %s", tool) == 0;
}

#define need(tool)                                                       \
	do {                                                             \
		if (!have(tool)) {                                       \
			print_message("%s missing, test skipped\n", tool); \
			skip();                                          \
		}                                                        \
	} while (0)

#define assert_why_has(f, s)                                                 \
	do {                                                                 \
		if (!strstr((f)->why, (s)))                                  \
			fail_msg("why \"%s\" does not mention \"%s\"", (f)->why, (s)); \
	} while (0)

/* Scribbles over WHY first, so a verdict without a terminated message shows. */
static int check(struct fixture *f, const char *path)
{
	memset(f->why, 'x', sizeof(f->why));
	return vmlat_guard_check(path, f->why, sizeof(f->why));
}

static int make_image(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int ret;

	if (fd < 0)
		return -1;
	ret = ftruncate(fd, IMAGE_BYTES);
	close(fd);
	return ret;
}

static int attach(struct fixture *f, const char *flags)
{
	char cmd[256];

	if (make_image(f->img))
		return -1;
	snprintf(cmd, sizeof(cmd), "losetup %s --find --show %s 2>/dev/null", flags, f->img);
	return sh_line(cmd, f->dev, sizeof(f->dev));
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (f->excl_fd >= 0)
		close(f->excl_fd);
	if (f->swap[0])
		sh("swapoff %s", f->swap);
	if (f->mounted[0])
		sh("umount %s", f->mnt);
	if (f->mnt[0])
		rmdir(f->mnt);
	if (f->dev[0])
		sh("losetup -d %s", f->dev);
	unlink(f->img);
	unlink(f->link);
	unlink(f->file);
	rmdir(f->dir);
	free(f);
	return 0;
}

static int setup_dir(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->excl_fd = -1;
	strcpy(f->dir, "/tmp/test_guard.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->img, sizeof(f->img), "%s/disk.img", f->dir);
	snprintf(f->link, sizeof(f->link), "%s/link", f->dir);
	snprintf(f->file, sizeof(f->file), "%s/file", f->dir);
	*state = f;
	return 0;
}

static int setup_with(void **state, const char *losetup_flags)
{
	if (setup_dir(state))
		return -1;
	if (attach(*state, losetup_flags)) {
		teardown(state);
		return -1;
	}
	return 0;
}

static int setup_loop(void **state)
{
	return setup_with(state, "");
}

/* Partition scanning on, so that the kernel accepts partitions on it. */
static int setup_loop_partscan(void **state)
{
	return setup_with(state, "--partscan");
}

static void mount_on_tempdir(struct fixture *f, const char *dev)
{
	strcpy(f->mnt, "/tmp/test_guard.mnt.XXXXXX");
	if (!mkdtemp(f->mnt)) {
		f->mnt[0] = '\0';
		fail_msg("mkdtemp: %s", strerror(errno));
	}
	if (sh("mount %s %s", dev, f->mnt))
		fail_msg("cannot mount %s on %s", dev, f->mnt);
	snprintf(f->mounted, sizeof(f->mounted), "%s", dev);
}

static void mkfs_ext4(const char *dev)
{
	need("mkfs.ext4");
	assert_int_equal(sh("mkfs.ext4 -q -F %s", dev), 0);
}

static void regular_file_is_safe(void **state)
{
	struct fixture *f = *state;
	FILE *fp = fopen(f->file, "w");

	assert_non_null(fp);
	fputs("data that a filesystem protects\n", fp);
	fclose(fp);
	assert_int_equal(check(f, f->file), 0);
	assert_string_equal(f->why, "");
}

static void char_device_is_not_a_block_device_so_safe(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(check(f, "/dev/null"), 0);
}

static void zeroed_device_is_safe(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(check(f, f->dev), 0);
	assert_string_equal(f->why, "");
}

static void ext4_is_refused_naming_device_and_filesystem(void **state)
{
	struct fixture *f = *state;
	char want[128];

	mkfs_ext4(f->dev);
	assert_int_equal(check(f, f->dev), 1);
	assert_why_has(f, "ext4");
	/* the exact wording the engine's refusal and its tests rely on */
	snprintf(want, sizeof(want), "%s holds an ext4 filesystem (UUID ", f->dev);
	assert_why_has(f, want);
}

static void swap_signature_is_refused(void **state)
{
	struct fixture *f = *state;

	need("mkswap");
	assert_int_equal(sh("mkswap %s", f->dev), 0);
	assert_int_equal(check(f, f->dev), 1);
	assert_why_has(f, f->dev);
	assert_why_has(f, "holds swap");
}

static void dos_partition_table_is_refused(void **state)
{
	struct fixture *f = *state;

	need("sfdisk");
	assert_int_equal(sh("printf 'label: dos\\n,\\n' | sfdisk -q %s", f->dev), 0);
	assert_int_equal(check(f, f->dev), 1);
	assert_why_has(f, f->dev);
	assert_why_has(f, "holds a dos partition table");
}

static void mounted_ext4_is_refused_as_mounted(void **state)
{
	struct fixture *f = *state;
	char want[160];

	mkfs_ext4(f->dev);
	mount_on_tempdir(f, f->dev);
	assert_int_equal(check(f, f->dev), 1);
	assert_why_has(f, "ext4");
	snprintf(want, sizeof(want), "%s is mounted on %s", f->dev, f->mnt);
	assert_why_has(f, want);
}

static void symlink_to_ext4_device_is_followed_and_refused(void **state)
{
	struct fixture *f = *state;

	mkfs_ext4(f->dev);
	assert_int_equal(symlink(f->dev, f->link), 0);
	assert_int_equal(check(f, f->link), 1);
	assert_why_has(f, "ext4");
	assert_why_has(f, f->link);
	assert_why_has(f, f->dev);
}

static void nonexistent_path_is_an_error(void **state)
{
	struct fixture *f = *state;
	char path[128];

	snprintf(path, sizeof(path), "%s/absent", f->dir);
	assert_int_equal(check(f, path), -ENOENT);
	assert_why_has(f, "cannot stat");
	assert_why_has(f, path);
}

static void active_swap_is_refused_as_active(void **state)
{
	struct fixture *f = *state;

	need("mkswap");
	need("swapon");
	assert_int_equal(sh("mkswap %s", f->dev), 0);
	if (sh("swapon %s", f->dev)) {
		print_message("swapon %s failed, test skipped\n", f->dev);
		skip();
	}
	snprintf(f->swap, sizeof(f->swap), "%s", f->dev);
	assert_int_equal(check(f, f->dev), 1);
	assert_why_has(f, "is active swap");
}

/* ext4 plus a stray btrfs magic: blkid's safe probe calls this ambivalent. */
static void conflicting_signatures_are_refused(void **state)
{
	struct fixture *f = *state;

	mkfs_ext4(f->dev);
	assert_int_equal(sh("printf _BHRfS_M | dd of=%s bs=1 seek=65600 conv=notrunc", f->dev), 0);
	assert_int_equal(check(f, f->dev), 1);
	assert_why_has(f, "conflicting signatures");
	assert_why_has(f, "ext4");
	assert_why_has(f, "btrfs");
}

/* Another opener holding the device O_EXCL, as md, dm or a foreign mount would. */
static void exclusive_claim_is_refused_as_in_use(void **state)
{
	struct fixture *f = *state;

	f->excl_fd = open(f->dev, O_RDONLY | O_EXCL | O_CLOEXEC);
	assert_true(f->excl_fd >= 0);
	assert_int_equal(check(f, f->dev), 1);
	assert_why_has(f, "in use");
}

/*
 * Kernels without a partition parser for the table (or udev-less systems)
 * leave no partition device: partx adds it through BLKPG from userspace.
 */
static int make_partition(struct fixture *f)
{
	struct stat st;
	int i;

	if (sh("printf 'label: gpt\\n,\\n' | sfdisk -q %s", f->dev))
		return -1;
	snprintf(f->part, sizeof(f->part), "%sp1", f->dev);
	if (stat(f->part, &st))
		sh("partx -a %s", f->dev);
	for (i = 0; i < 50 && stat(f->part, &st); i++)
		usleep(100 * 1000);
	return !stat(f->part, &st) && S_ISBLK(st.st_mode) ? 0 : -1;
}

static void mounted_partition_refuses_whole_disk_and_itself(void **state)
{
	struct fixture *f = *state;
	char want[160];

	need("sfdisk");
	need("partx");
	if (make_partition(f)) {
		print_message("no partition device on %s, test skipped\n", f->dev);
		skip();
	}
	mkfs_ext4(f->part);
	mount_on_tempdir(f, f->part);
	snprintf(want, sizeof(want), "%s is mounted on %s", f->part, f->mnt);

	assert_int_equal(check(f, f->dev), 1);
	assert_why_has(f, "gpt partition table");
	assert_why_has(f, want);

	assert_int_equal(check(f, f->part), 1);
	assert_why_has(f, "ext4");
	assert_why_has(f, want);
}

static void why_is_truncated_and_terminated(void **state)
{
	struct fixture *f = *state;
	char small[12];

	mkfs_ext4(f->dev);
	memset(small, 'x', sizeof(small));
	assert_int_equal(vmlat_guard_check(f->dev, small, sizeof(small)), 1);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_int_equal(vmlat_guard_check(f->dev, NULL, 0), 1);
}

/* Loop devices work here: one can be attached and detached. */
static int loop_usable(void)
{
	char img[] = "/tmp/test_guard.probe.XXXXXX", cmd[128], dev[64];
	int fd = mkstemp(img), ok = 0;

	if (fd < 0)
		return 0;
	if (!ftruncate(fd, 1 << 20)) {
		snprintf(cmd, sizeof(cmd), "losetup --find --show %s 2>/dev/null", img);
		ok = !sh_line(cmd, dev, sizeof(dev));
		if (ok)
			ok = !sh("losetup -d %s", dev);
	}
	close(fd);
	unlink(img);
	return ok;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(regular_file_is_safe, setup_dir, teardown),
		cmocka_unit_test_setup_teardown(char_device_is_not_a_block_device_so_safe,
						setup_dir, teardown),
		cmocka_unit_test_setup_teardown(nonexistent_path_is_an_error, setup_dir, teardown),
		cmocka_unit_test_setup_teardown(zeroed_device_is_safe, setup_loop, teardown),
		cmocka_unit_test_setup_teardown(ext4_is_refused_naming_device_and_filesystem,
						setup_loop, teardown),
		cmocka_unit_test_setup_teardown(swap_signature_is_refused, setup_loop, teardown),
		cmocka_unit_test_setup_teardown(dos_partition_table_is_refused, setup_loop,
						teardown),
		cmocka_unit_test_setup_teardown(mounted_ext4_is_refused_as_mounted, setup_loop,
						teardown),
		cmocka_unit_test_setup_teardown(symlink_to_ext4_device_is_followed_and_refused,
						setup_loop, teardown),
		cmocka_unit_test_setup_teardown(active_swap_is_refused_as_active, setup_loop,
						teardown),
		cmocka_unit_test_setup_teardown(conflicting_signatures_are_refused, setup_loop,
						teardown),
		cmocka_unit_test_setup_teardown(exclusive_claim_is_refused_as_in_use, setup_loop,
						teardown),
		cmocka_unit_test_setup_teardown(mounted_partition_refuses_whole_disk_and_itself,
						setup_loop_partscan, teardown),
		cmocka_unit_test_setup_teardown(why_is_truncated_and_terminated, setup_loop,
						teardown),
	};

	if (geteuid() != 0) {
		fprintf(stderr, "test_guard: skipped: needs root for loop devices\n");
		return 77;
	}
	if (!loop_usable()) {
		fprintf(stderr, "test_guard: skipped: losetup cannot attach a loop device\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
