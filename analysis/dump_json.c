/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dump_json.c - `vmlat dump --json`: one JSON document for all the logs.
 *
 *   {"files":[{"file":PATH,"format":"1.0","byte_order":"little",
 *              "state":"closed","tail":"clean","records_count":N,
 *              "header":{KEY:VALUE,...},"records":[{...},...]},...]}
 *
 * jansson builds the small parts (the header object, every string that
 * came from the file or the command line) so escaping is its problem, not
 * ours; the records are streamed one line each from the column table,
 * because a log holds millions of them and a jansson array would hold
 * them all in memory.  Unknown values are null.
 *
 * JSON strings are UTF-8, but header values and paths are bytes.  A string
 * that is not valid UTF-8 is printed as if it were Latin-1: every byte
 * survives as one code point and the document stays valid.
 */
#include <errno.h>
#include <stdlib.h>

#include <jansson.h>

#include "dump.h"

static json_t *latin1_string(const char *s)
{
	size_t n = strlen(s);
	char *u = malloc(2 * n + 1), *p = u;
	json_t *j;

	if (!u)
		return NULL;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x80) {
			*p++ = (char)c;
			continue;
		}
		*p++ = (char)(0xc0 | c >> 6);
		*p++ = (char)(0x80 | (c & 0x3f));
	}
	*p = '\0';
	j = json_string(u);
	free(u);
	return j;
}

static json_t *bytes_string(const char *s)
{
	json_t *j = json_string(s);

	return j ? j : latin1_string(s);
}

/* jansson says -1 both for no memory and for a failed write. */
static int jansson_ret(FILE *out, int ret)
{
	if (!ret)
		return 0;
	return out_status(out) ? out_status(out) : -ENOMEM;
}

static int put_string(FILE *out, const char *s)
{
	json_t *j = bytes_string(s);
	int ret = j ? json_dumpf(j, out, JSON_ENCODE_ANY) : -1;

	json_decref(j);
	return jansson_ret(out, ret);
}

static int put_header(FILE *out, const struct vlog_reader *r)
{
	json_t *obj = json_object(), *key = NULL;
	int ret = obj ? 0 : -1;
	size_t i;

	for (i = 0; !ret && i < r->nkv; i++) {
		key = bytes_string(r->kv[i].key);
		ret = key ? json_object_set_new(obj, json_string_value(key),
						bytes_string(r->kv[i].value)) : -1;
		json_decref(key);
	}
	if (!ret)
		ret = json_dumpf(obj, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(obj);
	return jansson_ret(out, ret);
}

static void put_val(FILE *out, const struct val *v)
{
	if (v->kind == VAL_NUM) {
		put_u64(out, v->num);
	} else if (v->kind == VAL_NAME) {
		putc_unlocked('"', out);
		fputs_unlocked(v->name, out); /* a name from vlog.c: nothing to escape */
		putc_unlocked('"', out);
	} else {
		fputs_unlocked("null", out);
	}
}

static void put_rec(FILE *out, const struct vlog_rec *rec, const struct dump_steal *steal)
{
	struct val v;
	size_t i;

	for (i = 0; i < rec_ncols; i++) {
		fputs_unlocked(i ? ",\"" : "{\"", out);
		fputs_unlocked(rec_cols[i].name, out);
		fputs_unlocked("\":", out);
		rec_col_get(&rec_cols[i], rec, &v);
		put_val(out, &v);
	}
	if (steal->column) {
		fputs_unlocked(",\"steal_ns\":", out);
		dump_steal_get(steal, rec, &v);
		put_val(out, &v);
	}
	putc_unlocked('}', out);
}

static void put_summary(FILE *out, const struct vlog_reader *r)
{
	int little = (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) != r->swap;

	fprintf(out, ",\"format\":\"%u.%u\",\"byte_order\":\"%s\",\"state\":\"%s\",\"tail\":\"%s\"",
		r->prefix.version_major, r->prefix.version_minor, little ? "little" : "big",
		r->prefix.state == VLOG_STATE_CLOSED ? "closed" : "open", tail_name(r->tail));
	fprintf(out, ",\"records_count\":%llu,\"header\":", (unsigned long long)r->nrec);
}

static int json_file(FILE *out, const char *path, const struct vlog_reader *r, unsigned int nth,
		     const struct dump_steal *steal)
{
	struct vlog_rec rec;
	uint64_t i;
	int ret;

	fputs(nth ? ",\n{\"file\":" : "\n{\"file\":", out);
	ret = put_string(out, path);
	if (ret)
		return ret;
	put_summary(out, r);
	ret = put_header(out, r);
	if (ret)
		return ret;
	fputs(",\"records\":[", out);
	for (i = 0; i < r->nrec; i++) {
		fputs_unlocked(i ? ",\n" : "\n", out);
		vlog_reader_rec(r, i, &rec);
		put_rec(out, &rec, steal);
		ret = out_status(out);
		if (ret)
			return ret;
	}
	fputs("\n]}", out);
	return out_status(out);
}

static int json_begin(FILE *out)
{
	fputs("{\"files\":[", out);
	return out_status(out);
}

static int json_end(FILE *out)
{
	fputs("\n]}\n", out);
	return out_status(out);
}

const struct dump_format dump_json = {
	.begin = json_begin,
	.file = json_file,
	.end = json_end,
};
