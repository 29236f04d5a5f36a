/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * batch_cell.c - one cell of a batch run, all or nothing.
 *
 * Everything goes into OUT/GUEST/.CELL.tmp: the rendered job file, fio's
 * JSON and console output, the per-IO logs fio ships back (fio writes them
 * into its current directory, so the client runs there), the vmlat logs
 * fetched from the guest, the labels.  Only when all of it is there and
 * every vmlat log reads back clean is the marker 'complete' written, and
 * the directory renamed to OUT/GUEST/CELL.  A failed attempt is renamed to
 * .CELL.failed for a look; an interrupted one is removed.  Either way,
 * nothing without the marker bears a cell's name.
 *
 * A 2-VM condition with load starts the neighbour's fio client first, lets
 * the load settle, runs the cell, and checks that the load was still
 * running when the cell ended before stopping it: fio's client would wait
 * for the neighbour's one-hour load if both ran in one invocation.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "batch.h"
#include "vlog.h"

struct cellctx {
	struct batch_run *r;
	const struct bcell *x;
	char tmp[4096];
	char why[1024];
};

static int fail(struct cellctx *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct cellctx *k, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(k->why, sizeof(k->why), fmt, ap);
	va_end(ap);
	return -1;
}

static void fio_argv(char **argv, const char *fio, const struct bguest *g, char *client,
		     size_t clen, const char *job, const char *json)
{
	snprintf(client, clen, "--client=%s,%u", g->host, g->port);
	argv[0] = (char *)fio, argv[1] = client, argv[2] = "--eta=never";
	argv[3] = "--output-format=json", argv[4] = (char *)json, argv[5] = (char *)job;
	argv[6] = NULL;
}

int bprobe(const struct batch_run *r, const struct bguest *g, char *ver, size_t len, char *err,
	   size_t err_len)
{
	char empty[4096], outp[4096], client[600], line[512], *argv[8];
	int status = 0, ret;
	FILE *f;

	snprintf(empty, sizeof(empty), "%s/.batch/empty.fio", r->out);
	snprintf(outp, sizeof(outp), "%s/.batch/probe-%s.out", r->out, g->name);
	unlink(outp);
	if (batch_write_file(empty, "; no jobs: vmlat batch asks the server its version\n"))
		return snprintf(err, err_len, "cannot write '%s'", empty), -1;
	snprintf(client, sizeof(client), "--client=%s,%u", g->host, g->port);
	argv[0] = (char *)r->fio, argv[1] = client, argv[2] = "--parse-only";
	argv[3] = empty, argv[4] = NULL;
	ret = bproc_run(argv, NULL, outp, r->c->connect_timeout_s, &status);
	if (ret == -EINTR)
		return snprintf(err, err_len, "interrupted"), -1;
	/* fio prints the server's probe reply: "hostname=H, ..., fio=fio-3.33, flags=1" */
	*ver = '\0';
	if ((f = fopen(outp, "r"))) {
		while (fgets(line, sizeof(line), f)) {
			char *v = strstr(line, ", fio=");

			if (v && !strncmp(line, "hostname=", 9))
				snprintf(ver, len, "%.*s", (int)strcspn(v + 6, ", \n"), v + 6);
		}
		fclose(f);
	}
	if (*ver)
		return 0;
	batch_last_line(outp, line, sizeof(line));
	snprintf(err, err_len, "no answer from the fio server at %s,%u (%s)", g->host, g->port,
		 ret == -ETIMEDOUT ? "timed out" : *line ? line : "no output");
	return -1;
}

static int write_labels(struct cellctx *k)
{
	const struct bcell *x = k->x;
	char path[4200], *buf = NULL;
	size_t i, blen = 0;
	struct strv labels;
	FILE *m;
	int ret;

	if (bcell_labels(x, &labels) || !(m = open_memstream(&buf, &blen)))
		return strv_release(&labels), -ENOMEM;
	fprintf(m, "guest=%s\naddress=%s,%u\n", x->g->name, x->g->host, x->g->port);
	for (i = 0; i < labels.n; i++)
		fprintf(m, "%s\n", labels.v[i]);
	strv_release(&labels);
	if (x->nb) {
		char load[120];

		batch_stem(x->load, load, sizeof(load));
		fprintf(m, "neighbour=%s\nneighbour_load=%s\n", x->nb->name, load);
	}
	fprintf(m, "matrix=%s\ncell=%s\njob=%s\nfio_version=%s\n", x->m->name, x->name, x->job,
		k->r->fio_version);
	fclose(m);
	snprintf(path, sizeof(path), "%s/labels", k->tmp);
	ret = batch_write_file(path, buf);
	free(buf);
	return ret;
}

static int start_neighbour(struct cellctx *k, struct bproc *nb)
{
	const struct bcell *x = k->x;
	char job[4200], dir[4200], outp[4200], client[600], token[128], err[1024], ver[64];
	char *argv[8];
	int status, ret;

	nb->pid = 0;
	if (!strcmp(x->load, "idle")) /* idle, but up: Study A's second VM was running */
		return bprobe(k->r, x->nb, ver, sizeof(ver), err, sizeof(err))
			       ? fail(k, "neighbour %s: %s", x->nb->name, err) : 0;
	snprintf(job, sizeof(job), "%s/neighbour.fio", k->tmp);
	snprintf(dir, sizeof(dir), "%s/neighbour", k->tmp);
	snprintf(outp, sizeof(outp), "%s/neighbour.out", k->tmp);
	snprintf(token, sizeof(token), "batch-%s-%u-nb", k->r->runid, k->r->cell_no);
	if (brender(x->load, x->nb, token, "", job, err, sizeof(err)))
		return fail(k, "%s", err);
	if (batch_mkdirs(dir))
		return fail(k, "cannot create '%s': %s", dir, strerror(errno));
	fio_argv(argv, k->r->fio, x->nb, client, sizeof(client), "../neighbour.fio",
		 "--output=../neighbour.json");
	if ((ret = bproc_start(nb, argv, dir, outp)))
		return fail(k, "cannot run %s: %s", k->r->fio, strerror(-ret));
	ret = bproc_wait(nb, k->r->c->settle_s * 1000, &status);
	if (ret == -ETIMEDOUT)
		return 0; /* still loading: good */
	if (ret == -EINTR)
		return -EINTR;
	batch_last_line(outp, err, sizeof(err));
	return fail(k, "neighbour %s: load ended at once (exit %d: %s)", x->nb->name, status, err);
}

/* The neighbour's load must have outlived the cell; then it is stopped. */
static int stop_neighbour(struct cellctx *k, struct bproc *nb)
{
	int status, ret;

	if (!nb->pid)
		return 0;
	ret = bproc_wait(nb, 0, &status);
	if (ret == 0)
		return fail(k, "neighbour %s: load ended before the cell (exit %d)", k->x->nb->name,
			    status);
	bproc_stop(nb, 20000);
	return 0;
}

/*
 * fio's JSON, from its first line that starts with '{': in client mode fio
 * writes its own complaints ("client: host=H disconnected") and what the
 * server relays from stderr into the same --output file, before the JSON.
 */
static json_t *load_json(const char *path, char *text, size_t len)
{
	char *buf = NULL, *start;
	size_t cap = 0;
	json_error_t jerr;
	json_t *root = NULL;
	FILE *f = fopen(path, "r");

	*text = '\0';
	if (!f || getdelim(&buf, &cap, '\0', f) < 0) {
		snprintf(text, len, "cannot read %s", path);
	} else {
		start = *buf == '{' ? buf : strstr(buf, "\n{");
		if (start > buf)
			snprintf(text, len, "%.*s", (int)strcspn(buf, "\n"), buf);
		if (start && !(root = json_loads(start, 0, &jerr)) && !*text)
			snprintf(text, len, "fio.json: %s", jerr.text);
	}
	free(buf);
	if (f)
		fclose(f);
	return root;
}

static int run_fio(struct cellctx *k, const char *token)
{
	const struct bcell *x = k->x;
	char job[4200], outp[4200], client[600], err[1024], tags[1024], *argv[8];
	int status = 0, ret;

	snprintf(job, sizeof(job), "%s/job.fio", k->tmp);
	snprintf(outp, sizeof(outp), "%s/fio.out", k->tmp);
	if (write_labels(k))
		return fail(k, "cannot write labels in '%s'", k->tmp);
	if (bcell_tags(x, tags, sizeof(tags)))
		return fail(k, "the labels of cell %s are too long for vmlat_tags", x->name);
	if (brender(x->job, x->g, token, tags, job, err, sizeof(err)))
		return fail(k, "%s", err);
	fio_argv(argv, k->r->fio, x->g, client, sizeof(client), "job.fio", "--output=fio.json");
	ret = bproc_run(argv, k->tmp, outp, x->m->timeout_s, &status);
	if (ret == -EINTR)
		return -EINTR;
	if (ret == -ETIMEDOUT)
		return fail(k, "fio timed out after %u s (timeout in [matrix %s])", x->m->timeout_s,
			    x->m->name);
	if (ret)
		return fail(k, "cannot run %s: %s", k->r->fio, strerror(-ret));
	if (status) {
		batch_last_line(outp, err, sizeof(err));
		if (!*err) { /* client mode: fio's complaints go to --output */
			char path[4200];

			snprintf(path, sizeof(path), "%s/fio.json", k->tmp);
			json_decref(load_json(path, err, sizeof(err)));
		}
		return fail(k, "fio exit %d: %s", status, *err ? err : "(no message)");
	}
	return 0;
}

/* Each job of the run must be in client_stats, with no error. */
static int check_json(struct cellctx *k)
{
	char path[4200], text[1024];
	json_t *root, *stats, *job;
	size_t i, n = 0, bad = 0;

	snprintf(path, sizeof(path), "%s/fio.json", k->tmp);
	root = load_json(path, text, sizeof(text));
	stats = json_object_get(root, "client_stats");
	json_array_foreach(stats, i, job) {
		n++;
		bad += json_integer_value(json_object_get(job, "error")) != 0;
	}
	json_decref(root);
	if (!n || bad)
		return fail(k, "fio.json: %s", !root ? text : !n ? "no job in client_stats"
						   : "a job has an error");
	return 0;
}

/* Every fetched vmlat log must read back closed by its writer. */
static int check_logs(struct cellctx *k, int nfetched)
{
	struct vlog_reader rd;
	struct dirent *e;
	char path[4400];
	DIR *d = opendir(k->tmp);
	int n = 0, ret = 0;

	if (!d)
		return fail(k, "cannot read '%s'", k->tmp);
	while (!ret && (e = readdir(d))) {
		size_t l = strlen(e->d_name);

		if (l < 7 || strcmp(e->d_name + l - 6, ".vmlat"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", k->tmp, e->d_name);
		if (vlog_reader_open(&rd, path))
			ret = fail(k, "vmlat log %s: %s", e->d_name, rd.err);
		else if (rd.tail != VLOG_TAIL_CLEAN)
			ret = fail(k, "vmlat log %s was not closed by the engine", e->d_name), vlog_reader_release(&rd);
		else
			vlog_reader_release(&rd), n++;
	}
	closedir(d);
	if (!ret && nfetched && !n)
		ret = fail(k, "none of the %d files fetched is a vmlat log", nfetched);
	return ret;
}

static int job_logs(const char *job)
{
	char *line = NULL;
	size_t cap = 0;
	FILE *f = fopen(job, "r");
	int n = 0;

	while (f && getline(&line, &cap, f) != -1)
		n += !strncmp(line, "vmlat_tags=", 11);
	free(line);
	if (f)
		fclose(f);
	return n;
}

static int finish(struct cellctx *k, double secs)
{
	char path[4200], buf[256];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 64, "finished=%Y-%m-%dT%H:%M:%SZ\n", &tm);
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "seconds=%.1f\n", secs);
	snprintf(path, sizeof(path), "%s/complete", k->tmp);
	return batch_write_file(path, buf) ? fail(k, "cannot write '%s'", path) : 0;
}

static int attempt(struct cellctx *k, double *secs)
{
	const struct bcell *x = k->x;
	struct timespec t0, t1;
	struct bproc nb = { 0 };
	char token[128], err[1024];
	int ret, n;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	snprintf(token, sizeof(token), "batch-%s-%u", k->r->runid, k->r->cell_no);
	ret = x->nb ? start_neighbour(k, &nb) : 0;
	if (!ret)
		ret = run_fio(k, token);
	if (nb.pid && ret)
		bproc_stop(&nb, 20000);
	else if (nb.pid)
		ret = stop_neighbour(k, &nb);
	if (!ret && x->nb && strcmp(x->load, "idle")) {
		char dir[4200];

		snprintf(dir, sizeof(dir), "%s/neighbour", k->tmp);
		rmdir(dir); /* only when fio shipped no logs into it */
	}
	if (ret)
		return ret;
	if (check_json(k))
		return -1;
	n = bfetch(x->g, token, k->tmp, k->r->c->connect_timeout_s, &k->r->skipped, err,
		   sizeof(err));
	if (n < 0)
		return fail(k, "logs from guest %s: %s", x->g->name, err);
	if (!n && job_logs(x->job))
		return fail(k, "no vmlat log named %s.* in %s on guest %s", token, x->g->log_dir,
			    x->g->name);
	if (check_logs(k, n))
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return finish(k, *secs);
}

static void cell_path(char *out, size_t len, const char *outdir, const struct bcell *x,
		      const char *fmt)
{
	char name[300];

	snprintf(name, sizeof(name), fmt, x->name);
	snprintf(out, len, "%s/%s/%s", outdir, x->g->name, name);
}

int bcell_done(const char *out, const struct bcell *x)
{
	char path[4400];

	cell_path(path, sizeof(path), out, x, "%s/complete");
	return access(path, F_OK) == 0;
}

int bcell_run(struct batch_run *r, const struct bcell *x, double *secs, char *why, size_t why_len)
{
	struct cellctx k = { .r = r, .x = x };
	char final[4200], failed[4200];
	int ret;

	r->cell_no++;
	cell_path(k.tmp, sizeof(k.tmp), r->out, x, ".%s.tmp");
	cell_path(final, sizeof(final), r->out, x, "%s");
	cell_path(failed, sizeof(failed), r->out, x, ".%s.failed");
	batch_rmtree(k.tmp), batch_rmtree(failed), batch_rmtree(final); /* none is complete */
	if (batch_mkdirs(k.tmp)) {
		snprintf(why, why_len, "cannot create '%s': %s", k.tmp, strerror(errno));
		return -1;
	}
	ret = attempt(&k, secs);
	if (ret == -EINTR || batch_stop) {
		batch_rmtree(k.tmp);
		return -EINTR;
	}
	if (!ret && rename(k.tmp, final))
		ret = fail(&k, "cannot rename '%s': %s", k.tmp, strerror(errno));
	if (ret) {
		rename(k.tmp, failed);
		snprintf(why, why_len, "%s", k.why);
	}
	return ret ? -1 : 0;
}
