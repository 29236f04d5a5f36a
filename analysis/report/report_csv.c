/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_csv.c - `vmlat report --format=csv` and `--format=json`: one
 * record per cell, every key and every shown column, times in integer or
 * fractional ns (column names end in _ns), unknown values empty (CSV) or
 * null (JSON).  For programs, so nothing is rounded to a display unit.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "report.h"

static void csv_text(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void csv_num(FILE *out, const struct rval *v, enum rcol_type t)
{
	if (!v->known)
		return;
	switch (t) {
	case RT_TEXT:
		csv_text(out, v->str);
		break;
	case RT_NS:
	case RT_COUNT:
		if (v->exact)
			fprintf(out, "%llu", (unsigned long long)v->u);
		else if (v->num == floor(v->num))
			fprintf(out, "%.0f", v->num);
		else
			fprintf(out, "%.3f", v->num);
		break;
	default:
		fprintf(out, "%.6g", v->num);
	}
}

int report_print_csv(FILE *out, const struct report *r)
{
	size_t i, j, k;

	for (k = 0; k < r->g.keys.n; k++) {
		fputs(k ? "," : "", out);
		csv_text(out, r->g.keys.v[k]);
	}
	for (j = 0; j < rncols; j++)
		if (rcol_shown(r, &rcols[j]))
			fprintf(out, "%s%s", r->g.keys.n || j ? "," : "", rcols[j].name);
	fputc('\n', out);
	for (i = 0; i < r->ncells; i++) {
		for (k = 0; k < r->g.keys.n; k++) {
			fputs(k ? "," : "", out);
			csv_text(out, r->cells[i].cell->values[k]);
		}
		for (j = 0; j < rncols; j++) {
			struct rval v = { 0 };

			if (!rcol_shown(r, &rcols[j]))
				continue;
			fputs(r->g.keys.n || j ? "," : "", out);
			rcols[j].get(r, &r->cells[i], &v);
			csv_num(out, &v, rcols[j].type);
		}
		fputc('\n', out);
	}
	return ferror(out) ? -EIO : 0;
}

static json_t *json_val(const struct rval *v, enum rcol_type t)
{
	if (!v->known)
		return json_null();
	if (t == RT_TEXT)
		return json_string(v->str);
	if ((t == RT_NS || t == RT_COUNT) && v->exact && v->u <= INT64_MAX)
		return json_integer((json_int_t)v->u);
	if ((t == RT_NS || t == RT_COUNT) && v->num == floor(v->num) && v->num < 9e18)
		return json_integer((json_int_t)v->num);
	return json_real(v->num);
}

static json_t *json_cell(const struct report *r, const struct rcell *c)
{
	json_t *o = json_object(), *labels = json_object();
	size_t j, k;

	for (k = 0; k < r->g.keys.n; k++)
		json_object_set_new(labels, r->g.keys.v[k], json_string(c->cell->values[k]));
	json_object_set_new(o, "labels", labels);
	for (j = 0; j < rncols; j++) {
		struct rval v = { 0 };

		if (!rcol_shown(r, &rcols[j]))
			continue;
		rcols[j].get(r, c, &v);
		json_object_set_new(o, rcols[j].name, json_val(&v, rcols[j].type));
	}
	return o;
}

static json_t *json_keys(char **keys, size_t n)
{
	json_t *a = json_array();
	size_t k;

	for (k = 0; k < n; k++)
		json_array_append_new(a, json_string(keys[k]));
	return a;
}

int report_print_json(FILE *out, const struct report *r, const struct sample_list *l)
{
	json_t *root = json_object(), *cells = json_array(), *base = json_object(), *m = json_object();
	size_t i;
	int ret;

	json_object_set_new(root, "columns", json_keys(r->g.keys.v, r->ncolkeys));
	json_object_set_new(root, "rows", json_keys(r->g.keys.v + r->ncolkeys, r->nrowkeys));
	for (i = 0; i < r->baseline.n; i++)
		json_object_set_new(base, r->baseline.v[i].key, json_string(r->baseline.v[i].value));
	json_object_set_new(root, "baseline", base);
	json_object_set_new(m, "percentile", json_string(REPORT_PCT_DEF));
	json_object_set_new(m, "bins", json_string(REPORT_BINS_DEF));
	json_object_set_new(m, "bootstrap_resamples", json_integer(r->resamples));
	json_object_set_new(m, "bootstrap_seed", json_integer((json_int_t)STATS_BOOT_SEED));
	json_object_set_new(m, "alpha", json_real(r->alpha));
	json_object_set_new(root, "method", m);
	for (i = 0; i < r->ncells; i++)
		json_array_append_new(cells, json_cell(r, &r->cells[i]));
	json_object_set_new(root, "cells", cells);
	if (l)
		json_object_set_new(root, "run_context", report_hdr_json(l));
	ret = json_dumpf(root, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	json_decref(root);
	fputc('\n', out);
	return ret || ferror(out) ? -EIO : 0;
}
