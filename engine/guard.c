/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * guard.c - the portable half of the write guard (guard.h): what is on the
 * device, read by libblkid, and the wording of every finding.
 *
 * Evidence is gathered in a fixed order, and every finding is reported so
 * that the user sees all that a write would destroy:
 *   1. signatures on the target, by libblkid's safe probe: a superblock
 *      (TYPE, USAGE, UUID, LABEL) and a partition table (PTTYPE);
 *   2. this system's evidence of use, guard_os_checks[] (guard_linux.c):
 *      mounts, swap, holders, exclusive claims, for the target and, when
 *      it is a whole disk, each of its partitions.
 * Only the target is probed for signatures, not its partitions: a disk that
 * has partitions has a partition table, which is already a finding.
 *
 * The safe probe answers "ambivalent" (-2) when several superblocks match,
 * typically a device reformatted by a tool that left the old magic behind.
 * mount and blkid refuse to pick one; for a guard it is simply a finding,
 * and the low-level probe then lists the candidates for the message.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <blkid/blkid.h>

#include "guard.h"
#include "guard_os.h"
#include "../lib/util.h"

/*
 * How each USAGE that libblkid reports is worded, e.g. "holds an ext4
 * filesystem", "is a linux_raid_member".  The last row (usage NULL) covers
 * "other" and anything newer: "holds swap".
 */
static const struct usage_words {
	const char *usage;
	const char *verb;
	int article;
	const char *noun;
} usage_words[] = {
	{ "filesystem", "holds", 1, " filesystem" },
	{ "raid", "is", 1, "" },
	{ "crypto", "holds", 1, " volume" },
	{ NULL, "holds", 0, "" },
};

/* Types read letter by letter, so "an" despite a consonant: "an xfs". */
static const char *const an_initialisms[] = {
	"xfs", "ntfs", "f2fs", "hfs", "hfsplus", "LVM2_member", "mbr",
};

static const char *article(const char *word)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(an_initialisms); i++)
		if (!strcmp(word, an_initialisms[i]))
			return "an";
	return word[0] && strchr("aeiouAEIOU", word[0]) ? "an" : "a";
}

static void why_vappend(struct guard_why *w, const char *fmt, va_list ap)
{
	size_t room = w->len - w->used;
	int n;

	if (room <= 1)
		return;
	n = vsnprintf(w->buf + w->used, room, fmt, ap);
	if (n > 0)
		w->used += (size_t)n < room ? (size_t)n : room - 1;
}

static void why_append(struct guard_why *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	why_vappend(w, fmt, ap);
	va_end(ap);
}

int guard_why_add(struct guard_why *w, const char *fmt, ...)
{
	va_list ap;

	if (w->found++)
		why_append(w, "; ");
	va_start(ap, fmt);
	why_vappend(w, fmt, ap);
	va_end(ap);
	return 1;
}

int guard_why_fail(struct guard_why *w, int err, const char *fmt, ...)
{
	va_list ap;

	w->used = 0;
	if (w->len)
		w->buf[0] = '\0';
	va_start(ap, fmt);
	why_vappend(w, fmt, ap);
	va_end(ap);
	return err;
}

int guard_target_add(struct guard_target *t, dev_t rdev, const char *name)
{
	struct guard_dev *d;

	if (t->ndevs == t->alloc) {
		size_t alloc = t->alloc ? 2 * t->alloc : 8;

		d = realloc(t->devs, alloc * sizeof(*d));
		if (!d)
			return -ENOMEM;
		t->devs = d;
		t->alloc = alloc;
	}
	d = &t->devs[t->ndevs++];
	d->rdev = rdev;
	snprintf(d->name, sizeof(d->name), "%s", name);
	return 0;
}

/* Messages name PATH as given, and the device it leads to when that differs. */
static int add_target(struct guard_target *t, dev_t rdev)
{
	char *real = realpath(t->path, NULL);
	char name[sizeof(t->devs[0].name)];

	if (real && strcmp(real, t->path))
		snprintf(name, sizeof(name), "%s (%s)", t->path, real);
	else
		snprintf(name, sizeof(name), "%s", t->path);
	free(real);
	return guard_target_add(t, rdev, name);
}

/* " (UUID u, LABEL l)", or less, or nothing: what tells one volume from another. */
static void ids_text(blkid_probe pr, char *buf, size_t len)
{
	const char *uuid = NULL, *label = NULL;

	blkid_probe_lookup_value(pr, "UUID", &uuid, NULL);
	blkid_probe_lookup_value(pr, "LABEL", &label, NULL);
	if (uuid && label)
		snprintf(buf, len, " (UUID %s, LABEL %s)", uuid, label);
	else if (uuid || label)
		snprintf(buf, len, " (%s %s)", uuid ? "UUID" : "LABEL", uuid ? uuid : label);
	else
		buf[0] = '\0';
}

static int report_superblock(blkid_probe pr, const char *name, const char *type,
			     struct guard_why *w)
{
	const struct usage_words *u = usage_words;
	const char *usage = NULL;
	char ids[400];

	blkid_probe_lookup_value(pr, "USAGE", &usage, NULL);
	while (u->usage && !(usage && !strcmp(usage, u->usage)))
		u++;
	ids_text(pr, ids, sizeof(ids));
	return guard_why_add(w, "%s %s %s%s%s%s%s", name, u->verb, u->article ? article(type) : "",
			     u->article ? " " : "", type, u->noun, ids);
}

static int report_probe(blkid_probe pr, const char *name, struct guard_why *w)
{
	const char *type, *pttype;
	int n = 0;

	if (!blkid_probe_lookup_value(pr, "TYPE", &type, NULL))
		n += report_superblock(pr, name, type, w);
	if (!blkid_probe_lookup_value(pr, "PTTYPE", &pttype, NULL))
		n += guard_why_add(w, "%s holds %s %s partition table", name, article(pttype), pttype);
	/* Found, yet nothing we asked for is named: still something there. */
	if (!n)
		n = guard_why_add(w, "%s holds a signature libblkid does not name", name);
	return n;
}

/*
 * The low-level probe resumes each chain after its last match, so looping
 * over it visits every superblock that matches, as wipefs does.
 */
static int report_ambivalent(blkid_probe pr, const char *name, struct guard_why *w)
{
	char types[256] = "";
	const char *type;
	size_t used = 0;
	int n;

	blkid_reset_probe(pr);
	blkid_probe_enable_partitions(pr, 0);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE);
	while (used < sizeof(types) && blkid_do_probe(pr) == 0) {
		if (blkid_probe_lookup_value(pr, "TYPE", &type, NULL))
			continue;
		n = snprintf(types + used, sizeof(types) - used, "%s%s", used ? ", " : "", type);
		used += n > 0 ? (size_t)n : 0;
	}
	if (!types[0])
		return guard_why_add(w, "%s holds conflicting signatures", name);
	return guard_why_add(w, "%s holds conflicting signatures (%s)", name, types);
}

static int probe_fail(struct guard_why *w, const char *path, int err)
{
	/* libblkid does not always set errno; an unexplained failure is EIO */
	err = err > 0 ? err : EIO;
	return guard_why_fail(w, -err, "cannot probe '%s': %s", path, strerror(err));
}

static int probe_signatures(const struct guard_target *t, struct guard_why *w)
{
	blkid_probe pr;
	int ret;

	errno = 0;
	pr = blkid_new_probe_from_filename(t->path);
	if (!pr)
		return probe_fail(w, t->path, errno);
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_USAGE |
					      BLKID_SUBLKS_UUID | BLKID_SUBLKS_LABEL);
	blkid_probe_enable_partitions(pr, 1);
	errno = 0;
	ret = blkid_do_safeprobe(pr);
	if (ret == 0)
		ret = report_probe(pr, t->devs[0].name, w);
	else if (ret == 1)
		ret = 0;
	else if (ret == -2)
		ret = report_ambivalent(pr, t->devs[0].name, w);
	else
		ret = probe_fail(w, t->path, errno);
	blkid_free_probe(pr);
	return ret;
}

static int run_checks(const struct guard_target *t, struct guard_why *w)
{
	const guard_check_fn *check;
	int ret = probe_signatures(t, w);

	for (check = guard_os_checks; ret >= 0 && *check; check++)
		ret = (*check)(t, w);
	return ret;
}

int vmlat_guard_check(const char *path, char *why, size_t why_len)
{
	struct guard_why w = { .buf = why, .len = why_len };
	struct guard_target t = { .path = path };
	struct stat st;
	int ret;

	if (why_len)
		why[0] = '\0';
	if (stat(path, &st)) {
		ret = errno;
		return guard_why_fail(&w, -ret, "cannot stat '%s': %s", path, strerror(ret));
	}
	if (!S_ISBLK(st.st_mode))
		return 0;
	ret = add_target(&t, st.st_rdev);
	if (ret)
		ret = guard_why_fail(&w, ret, "cannot check '%s': %s", path, strerror(-ret));
	else
		ret = guard_os_partitions(&t, &w);
	if (!ret)
		ret = run_checks(&t, &w);
	free(t.devs);
	return ret < 0 ? ret : w.found > 0;
}
