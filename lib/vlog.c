/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vlog.c - text section helpers shared by writer and reader.
 *
 * The writer lives in vlog_write.c and the reader in vlog_read.c; the
 * format itself is described once, in vlog.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hexval.h"
#include "vlog.h"

static const char *const ddir_names[VLOG_DDIR_COUNT] = {
	[VLOG_READ] = "read",	    [VLOG_WRITE] = "write",
	[VLOG_TRIM] = "trim",	    [VLOG_SYNC] = "sync",
	[VLOG_DATASYNC] = "datasync", [VLOG_SYNC_FILE_RANGE] = "sync_file_range",
};

const char *vlog_ddir_name(unsigned int ddir)
{
	return ddir < VLOG_DDIR_COUNT ? ddir_names[ddir] : NULL;
}

void vlog_text_init(struct vlog_text *t)
{
	t->buf = NULL;
	t->len = 0;
	t->alloc = 0;
	t->reserve = 0;
}

void vlog_text_release(struct vlog_text *t)
{
	free(t->buf);
	vlog_text_init(t);
}

static int text_grow(struct vlog_text *t, size_t extra)
{
	size_t want = t->len + extra + 1;
	char *p;

	if (want <= t->alloc)
		return 0;
	if (want < 2 * t->alloc)
		want = 2 * t->alloc;
	p = realloc(t->buf, want);
	if (!p)
		return -ENOMEM;
	t->buf = p;
	t->alloc = want;
	return 0;
}

/* Worst case every byte becomes \xHH: 4 bytes out per byte in. */
static size_t escape_into(char *out, const char *in)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	for (; *in; in++) {
		unsigned char c = (unsigned char)*in;

		if (c == '\\' || c == '\n' || c == '\t' || c == '\r') {
			out[n++] = '\\';
			out[n++] = c == '\\' ? '\\' : c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
		} else if (c < 0x20 || c == 0x7f) {
			out[n++] = '\\';
			out[n++] = 'x';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 15];
		} else {
			out[n++] = (char)c;
		}
	}
	return n;
}

static int key_ok(const char *key)
{
	if (!*key)
		return 0;
	for (; *key; key++)
		if (*key == '=' || (unsigned char)*key <= 0x20 || *key == 0x7f)
			return 0;
	return 1;
}

int vlog_text_add(struct vlog_text *t, const char *key, const char *value)
{
	size_t klen = strlen(key);

	if (!key_ok(key))
		return -EINVAL;
	if (!value)
		value = "";
	if (text_grow(t, klen + 2 + 4 * strlen(value)))
		return -ENOMEM;
	memcpy(t->buf + t->len, key, klen);
	t->len += klen;
	t->buf[t->len++] = '=';
	t->len += escape_into(t->buf + t->len, value);
	t->buf[t->len++] = '\n';
	t->buf[t->len] = '\0';
	return 0;
}

int vlog_text_addf(struct vlog_text *t, const char *key, const char *fmt, ...)
{
	char small[128], *big = NULL;
	va_list ap;
	int n, ret;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	if ((size_t)n >= sizeof(small)) {
		big = malloc((size_t)n + 1);
		if (!big)
			return -ENOMEM;
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	ret = vlog_text_add(t, key, big ? big : small);
	free(big);
	return ret;
}

int vlog_unescape(const char *in, size_t len, char **out)
{
	char *o = malloc(len + 1);
	size_t i, n = 0;

	if (!o)
		return -ENOMEM;
	for (i = 0; i < len; i++) {
		if (in[i] != '\\') {
			o[n++] = in[i];
			continue;
		}
		if (++i == len)
			goto bad;
		switch (in[i]) {
		case '\\': o[n++] = '\\'; break;
		case 'n': o[n++] = '\n'; break;
		case 't': o[n++] = '\t'; break;
		case 'r': o[n++] = '\r'; break;
		case 'x':
			if (i + 2 >= len || hexval(in[i + 1]) < 0 || hexval(in[i + 2]) < 0)
				goto bad;
			o[n++] = (char)(hexval(in[i + 1]) << 4 | hexval(in[i + 2]));
			i += 2;
			break;
		default:
			goto bad;
		}
	}
	o[n] = '\0';
	*out = o;
	return 0;
bad:
	free(o);
	return -EBADMSG;
}

int vlog_text_add_format(struct vlog_text *t)
{
	int ret = 0;

	ret |= vlog_text_addf(t, "format", "%d.%d", VLOG_VERSION_MAJOR, VLOG_VERSION_MINOR);
	ret |= vlog_text_add(t, "byte_order",
			     __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? "little" : "big");
	ret |= vlog_text_add(t, "fields", VLOG_FIELDS_WRITTEN);
	return ret ? -ENOMEM : 0;
}
