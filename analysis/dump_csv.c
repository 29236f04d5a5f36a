/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dump_csv.c - `vmlat dump` as CSV, one block per log.
 *
 * A block is "# " comment lines (the file, every header key in file
 * order, then format, records and tail), one line of column names, and
 * one line per record.  Header values are printed escaped exactly as the
 * file stores them, by the library's own escaper, so every key stays on
 * one line and `grep '^# key='` works; the CSV cells are integers or
 * names and never need quoting.  Tools drop the block's comments with
 * `grep -v '^#'` and its column line with `tail -n +2`.
 */
#include <errno.h>
#include <string.h>

#include "dump.h"

/*
 * "# KEY=VALUE\n", both escaped by vlog_text_add() itself: a key is bytes
 * up to the first '=' of a header line, so a log from elsewhere may put
 * ESC or a carriage return in one, and neither may reach the terminal.
 */
static int put_kv(FILE *out, const char *key, const char *value)
{
	struct vlog_text t;
	int ret;

	vlog_text_init(&t);
	ret = vlog_text_add(&t, "k", key) || vlog_text_add(&t, "v", value) ? -ENOMEM : 0;
	if (!ret) { /* "k=KEY\nv=VALUE\n" */
		size_t klen = strcspn(t.buf + 2, "\n");

		fprintf(out, "# %.*s=%.*s\n", (int)klen, t.buf + 2, (int)(t.len - klen - 6),
			t.buf + klen + 5);
	}
	vlog_text_release(&t);
	return ret;
}

static int put_meta(FILE *out, const char *path, const struct vlog_reader *r)
{
	int ret = put_kv(out, "file", path);
	size_t i;

	for (i = 0; !ret && i < r->nkv; i++)
		ret = put_kv(out, r->kv[i].key, r->kv[i].value);
	if (ret)
		return ret;
	fprintf(out, "# format=%u.%u\n# records=%llu\n# tail=%s\n", r->prefix.version_major,
		r->prefix.version_minor, (unsigned long long)r->nrec, tail_name(r->tail));
	return 0;
}

static void put_names(FILE *out, const struct dump_steal *steal)
{
	size_t i;

	for (i = 0; i < rec_ncols; i++) {
		if (i)
			putc_unlocked(',', out);
		fputs_unlocked(rec_cols[i].name, out);
	}
	if (steal->column)
		fputs_unlocked(",steal_ns", out);
	putc_unlocked('\n', out);
}

static void put_rec(FILE *out, const struct vlog_rec *rec, const struct dump_steal *steal)
{
	struct val v;
	size_t i;

	for (i = 0; i < rec_ncols; i++) {
		if (i)
			putc_unlocked(',', out);
		rec_col_get(&rec_cols[i], rec, &v);
		if (v.kind == VAL_NUM)
			put_u64(out, v.num);
		else if (v.kind == VAL_NAME)
			fputs_unlocked(v.name, out);
	}
	if (steal->column) {
		putc_unlocked(',', out);
		dump_steal_get(steal, rec, &v);
		if (v.kind == VAL_NUM)
			put_u64(out, v.num);
	}
	putc_unlocked('\n', out);
}

static int csv_file(FILE *out, const char *path, const struct vlog_reader *r, unsigned int nth,
		    const struct dump_steal *steal)
{
	struct vlog_rec rec;
	uint64_t i;
	int ret;

	(void)nth;
	ret = put_meta(out, path, r);
	if (ret)
		return ret;
	put_names(out, steal);
	for (i = 0; i < r->nrec; i++) {
		vlog_reader_rec(r, i, &rec);
		put_rec(out, &rec, steal);
		ret = out_status(out);
		if (ret)
			return ret;
	}
	return out_status(out);
}

static int csv_nothing(FILE *out)
{
	return out_status(out);
}

const struct dump_format dump_csv = {
	.begin = csv_nothing,
	.file = csv_file,
	.end = csv_nothing,
};
