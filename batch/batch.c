/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * batch.c - `vmlat batch [--out DIR] [--fio PATH] [--dry-run] CONFIG`: run
 * the cells of a config on its guests' fio servers, one after another, into
 * one labeled results tree (batch.h lists the parts).
 *
 * Before any cell runs: the config parses, every job renders for its
 * guest, and every guest needed answers with the same fio release as this
 * machine's (fio's client/server protocol and the engine are both tied to
 * the release).  A guest that does not answer is no reason to stop: its
 * cells are reported and skipped, the others run, and a rerun of the same
 * command does only what is missing.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "batch.h"
#include "cmd.h"

volatile sig_atomic_t batch_stop;

static const char batch_usage[] = "usage: vmlat batch [--out DIR] [--fio PATH] [--dry-run] CONFIG\n";

static const char batch_about[] =
	"\nRun the matrix of CONFIG (configs/README.md) on the guests' fio servers\n"
	"(fio --server) through fio's client mode, one cell at a time, and collect\n"
	"everything into one labeled tree:\n"
	"\n"
	"  DIR/batch.conf              a copy of CONFIG\n"
	"  DIR/batch.json              every cell: guest, labels, status, seconds\n"
	"  DIR/GUEST/CELL/job.fio      the job file as rendered for the guest\n"
	"  DIR/GUEST/CELL/fio.json     fio's JSON (client_stats)\n"
	"  DIR/GUEST/CELL/*.vmlat      the vmlat logs, fetched from the guest\n"
	"  DIR/GUEST/CELL/*.log.HOST   fio's own per-IO logs, if the job writes any\n"
	"  DIR/GUEST/CELL/labels       guest, address, labels, cell, job, fio version\n"
	"  DIR/GUEST/CELL/neighbour.*  the neighbour's load: job, JSON, fio's logs\n"
	"  DIR/GUEST/CELL/complete     written last: the cell is complete\n"
	"\n"
	"A cell is a job file on a guest; under a 2-VM condition, also the load\n"
	"(or idleness) of a neighbour guest: CELL is JOB or JOB+LOAD.  A rerun skips\n"
	"complete cells.  A failed cell is kept as DIR/GUEST/.CELL.failed.  Ctrl-C\n"
	"stops the running cell's fio jobs and discards it.\n"
	"\n"
	"fio servers have no authentication: bind them to a private address only.\n"
	"\n"
	"  -o, --out DIR  results directory (default: results/NAME for CONFIG NAME.conf)\n"
	"  --fio PATH     the fio client binary (default: fio)\n"
	"  -n, --dry-run  check CONFIG, render every job into DIR/.batch/render, list\n"
	"                 the cells on stdout (GUEST CELL JOB STATUS); run nothing\n"
	"  -h, --help     this text\n"
	"\n"
	"progress on stderr, one line per cell:\n"
	"  [3/18] guest kvm1: a-randread-4k-load2 ... ok 4.1 s\n"
	"\nexit status:\n"
	"  0  every cell is complete\n"
	"  1  usage error\n"
	"  2  bad config, a job that cannot be rendered, or a guest with another fio\n"
	"  3  system error (the results directory cannot be written)\n"
	"  4  some cells failed or were skipped (a guest unreachable): rerun to retry\n"
	"  130  interrupted\n";

struct opts {
	const char *out, *fio, *config;
	int dry, help;
};

static int parse_opts(struct opts *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "out", required_argument, NULL, 'o' }, { "fio", required_argument, NULL, 'F' },
		{ "dry-run", no_argument, NULL, 'n' },	 { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:nh", lo, NULL)) != -1) {
		if (c == 'o')
			o->out = optarg;
		else if (c == 'F')
			o->fio = optarg;
		else if (c == 'n')
			o->dry = 1;
		else if (c == 'h')
			o->help = 1;
		else {
			fprintf(stderr, "vmlat: bad option '%s'\n", argv[optind - 1]);
			return -1;
		}
	}
	if (o->help)
		return 0;
	if (optind != argc - 1) {
		fprintf(stderr, "vmlat: batch takes one CONFIG\n");
		return -1;
	}
	o->config = argv[optind];
	return 0;
}

static void on_signal(int sig)
{
	(void)sig;
	batch_stop = 1;
}

static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* This machine's fio release, as `fio --version` prints it. */
static int local_version(struct batch_run *r, char *ver, size_t len)
{
	char outp[4096], *argv[] = { (char *)r->fio, "--version", NULL };
	int status = 0;
	FILE *f;

	snprintf(outp, sizeof(outp), "%s/.batch/fio-version.out", r->out);
	unlink(outp);
	if (bproc_run(argv, NULL, outp, 30, &status) || status || !(f = fopen(outp, "r"))) {
		fprintf(stderr, "vmlat: cannot run '%s --version'\n", r->fio);
		return -1;
	}
	if (!fgets(ver, (int)len, f))
		*ver = '\0';
	fclose(f);
	ver[strcspn(ver, " \r\n")] = '\0';
	return 0;
}

static int needed(const struct bguest *g, const struct bcell *cells, size_t n, const char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((cells[i].g == g || cells[i].nb == g) && !bcell_done(out, &cells[i]))
			return 1;
	return 0;
}

/* Reachable guests must run our fio; unreachable ones are marked down. */
static int probe_all(struct batch_run *r, const struct bcell *cells, size_t n)
{
	const struct bconf *c = r->c;
	char ver[64], err[1024];
	size_t i;
	int bad = 0;

	for (i = 0; i < c->nguests && !batch_stop; i++) {
		struct bguest *g = &c->guests[i];

		if (!needed(g, cells, n, r->out))
			continue;
		if (bprobe(r, g, ver, sizeof(ver), err, sizeof(err))) {
			fprintf(stderr, "vmlat: guest %s: %s\n", g->name, err);
			g->down = 1;
		} else if (strcmp(ver, r->fio_version)) {
			fprintf(stderr, "vmlat: guest %s (%s,%u) runs %s, but this machine's fio is %s: "
				"fio's client and server must be the same release (and the engine "
				"built for it)\n", g->name, g->host, g->port, ver, r->fio_version);
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

/*
 * Render every cell's job for its guest(s) before running anything.  A dry
 * run keeps them, as OUT/.batch/render/GUEST/CELL.fio (and CELL.neighbour.fio),
 * to read what the servers would be sent.
 */
static int render_all(const struct batch_run *r, const struct bcell *cells, size_t n, int keep)
{
	char path[4096], nbpath[4200], err[1024], tags[1024];
	size_t i;
	int bad = 0;

	for (i = 0; i < n; i++) {
		const struct bcell *x = &cells[i];

		if (bcell_tags(x, tags, sizeof(tags))) {
			fprintf(stderr, "vmlat: %s: the labels of guest %s are too long\n", r->c->path,
				x->g->name);
			return -1;
		}
		snprintf(path, sizeof(path), "%s/.batch/render/%s", r->out, x->g->name);
		if (batch_mkdirs(path)) {
			fprintf(stderr, "vmlat: cannot create '%s': %s\n", path, strerror(errno));
			return -1;
		}
		snprintf(path + strlen(path), sizeof(path) - strlen(path), "/%s.fio", x->name);
		snprintf(nbpath, sizeof(nbpath), "%.*s.neighbour.fio", (int)strlen(path) - 4, path);
		if (brender(x->job, x->g, "dry-run", tags, path, err, sizeof(err)) ||
		    (x->load && strcmp(x->load, "idle") &&
		     brender(x->load, x->nb, "dry-run", "", nbpath, err, sizeof(err)))) {
			fprintf(stderr, "vmlat: %s: cell %s of guest %s: %s\n", r->c->path, x->name,
				x->g->name, err);
			bad = 1;
		}
	}
	snprintf(path, sizeof(path), "%s/.batch/render", r->out);
	if (!keep)
		batch_rmtree(path);
	return bad ? -1 : 0;
}

static json_t *labels_json(const struct bcell *x)
{
	json_t *o = json_object();
	struct strv labels;
	size_t i;

	json_object_set_new(o, "guest", json_string(x->g->name));
	bcell_labels(x, &labels);
	for (i = 0; i < labels.n; i++) {
		char *eq = strchr(labels.v[i], '=');
		char key[256];

		snprintf(key, sizeof(key), "%.*s", (int)(eq - labels.v[i]), labels.v[i]);
		json_object_set_new(o, key, json_string(eq + 1));
	}
	strv_release(&labels);
	if (x->nb) {
		char load[200];

		batch_stem(x->load, load, sizeof(load));
		json_object_set_new(o, "neighbour", json_string(x->nb->name));
		json_object_set_new(o, "neighbour_load", json_string(load));
	}
	return o;
}

/* Seconds a complete cell took, from its marker. */
static double marker_secs(const char *out, const struct bcell *x)
{
	char path[4400], line[128];
	double s = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s/complete", out, x->g->name, x->name);
	if (!(f = fopen(path, "r")))
		return 0;
	while (fgets(line, sizeof(line), f))
		sscanf(line, "seconds=%lf", &s);
	fclose(f);
	return s;
}

static int write_manifest(const struct batch_run *r, const struct bcell *cells, size_t n,
			  char **why)
{
	char path[4096], tmp[4200];
	json_t *root = json_object(), *arr = json_array();
	size_t i;
	int ret;

	json_object_set_new(root, "config", json_string(r->c->path));
	json_object_set_new(root, "fio_version", json_string(r->fio_version));
	for (i = 0; i < n; i++) {
		const struct bcell *x = &cells[i];
		int done = bcell_done(r->out, x);
		json_t *c = json_pack("{s:s,s:s,s:s,s:s,s:o}", "guest", x->g->name, "cell", x->name,
				      "job", x->job, "matrix", x->m->name, "labels", labels_json(x));

		snprintf(path, sizeof(path), "%s/%s", x->g->name, x->name);
		json_object_set_new(c, "dir", json_string(path));
		json_object_set_new(c, "status", json_string(done ? "complete"
							     : why[i] ? "failed" : "not run"));
		if (done)
			json_object_set_new(c, "seconds", json_real(marker_secs(r->out, x)));
		else if (why[i])
			json_object_set_new(c, "error", json_string(why[i]));
		json_array_append_new(arr, c);
	}
	json_object_set_new(root, "cells", arr);
	snprintf(path, sizeof(path), "%s/batch.json", r->out);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	ret = json_dump_file(root, tmp, JSON_INDENT(2)) || rename(tmp, path) ? -1 : 0;
	json_decref(root);
	if (ret)
		fprintf(stderr, "vmlat: cannot write '%s'\n", path);
	return ret;
}

static void progress_start(size_t i, size_t n, const struct bcell *x)
{
	fprintf(stderr, "[%zu/%zu] guest %s: %s ... ", i + 1, n, x->g->name, x->name);
}

/* After a cell's progress line: each file of the guest's that was not copied. */
static void report_skipped(struct batch_run *r, const struct bcell *x)
{
	size_t i;

	for (i = 0; i < r->skipped.n; i++)
		fprintf(stderr, "vmlat: warning: guest %s, cell %s: not copied: %s\n", x->g->name,
			x->name, r->skipped.v[i]);
	strv_release(&r->skipped);
}

/* One cell, with its progress line; WHY[I] keeps a failure for the manifest. */
static int one_cell(struct batch_run *r, const struct bcell *x, size_t i, size_t n, char **why)
{
	char msg[1200], ver[64], err[1024];
	double secs = 0;
	int ret;

	progress_start(i, n, x);
	if (bcell_done(r->out, x))
		return fprintf(stderr, "complete already\n"), 0;
	if (x->g->down || (x->nb && x->nb->down)) {
		snprintf(msg, sizeof(msg), "skipped: guest %s unreachable",
			 x->g->down ? x->g->name : x->nb->name);
		fprintf(stderr, "%s\n", msg);
		return why[i] = strdup(msg), 1;
	}
	ret = bcell_run(r, x, &secs, msg, sizeof(msg));
	if (ret == -EINTR)
		fprintf(stderr, "interrupted, discarded\n");
	else if (!ret)
		fprintf(stderr, "ok %.1f s\n", secs);
	else
		fprintf(stderr, "FAILED: %s\n", msg);
	report_skipped(r, x);
	if (ret == -EINTR || !ret)
		return ret;
	why[i] = strdup(msg);
	/* Was it the guest?  Then its other cells would only time out too. */
	if (bprobe(r, x->g, ver, sizeof(ver), err, sizeof(err))) {
		fprintf(stderr, "vmlat: guest %s went down during cell %s: %s\n", x->g->name,
			x->name, err);
		x->g->down = 1;
	}
	return 1;
}

static int run_cells(struct batch_run *r, const struct bcell *cells, size_t n)
{
	char **why = calloc(n ? n : 1, sizeof(*why));
	size_t i, failed = 0;
	int ret = 0;

	if (!why)
		return EXIT_SYSTEM;
	for (i = 0; i < n && !batch_stop && ret != -EINTR; i++) {
		ret = one_cell(r, &cells[i], i, n, why);
		failed += ret == 1;
	}
	if (write_manifest(r, cells, n, why))
		ret = -EIO;
	for (i = 0; i < n; i++) {
		if (why[i])
			fprintf(stderr, "vmlat: failed: guest %s, cell %s: %s\n", cells[i].g->name,
				cells[i].name, why[i]);
		free(why[i]);
	}
	free(why);
	if (batch_stop || ret == -EINTR) {
		fprintf(stderr, "vmlat: interrupted; rerun the same command to finish\n");
		return 130;
	}
	if (ret == -EIO)
		return EXIT_SYSTEM;
	if (failed)
		fprintf(stderr, "vmlat: %zu of %zu cells not complete; rerun to retry them\n", failed, n);
	return failed ? EXIT_CELLS_FAILED : EXIT_OK;
}

static int copy_config(const struct batch_run *r)
{
	char path[4096], *buf = NULL;
	size_t len = 0;
	FILE *f = fopen(r->c->path, "r");
	int ret;

	if (!f)
		return -1;
	ret = getdelim(&buf, &len, '\0', f) < 0 ? -1 : 0;
	fclose(f);
	snprintf(path, sizeof(path), "%s/batch.conf", r->out);
	if (!ret)
		ret = batch_write_file(path, buf);
	free(buf);
	return ret;
}

static int prepare(struct batch_run *r, char *fio_ver, size_t len)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/.batch", r->out);
	if (batch_mkdirs(path) || copy_config(r)) {
		fprintf(stderr, "vmlat: cannot write results directory '%s': %s\n", r->out,
			strerror(errno));
		return EXIT_SYSTEM;
	}
	if (local_version(r, fio_ver, len))
		return EXIT_SYSTEM;
	r->fio_version = fio_ver;
	snprintf(r->runid, sizeof(r->runid), "%ld-%ld", (long)time(NULL), (long)getpid());
	return 0;
}

static int dry_run(const struct batch_run *r, const struct bcell *cells, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%s\t%s\t%s\t%s\n", cells[i].g->name, cells[i].name, cells[i].job,
		       bcell_done(r->out, &cells[i]) ? "complete" : "to run");
	return cmd_finish(EXIT_OK);
}

static int batch_main(struct batch_run *r, int dry)
{
	struct bcell *cells = NULL;
	char fio_ver[64];
	size_t n = 0;
	int ret;

	if (bplan_make(r->c, &cells, &n))
		return free(cells), EXIT_BADINPUT;
	catch_signals(); /* from here on, Ctrl-C stops children in order */
	if ((ret = prepare(r, fio_ver, sizeof(fio_ver))))
		return free(cells), ret;
	if (render_all(r, cells, n, dry))
		ret = EXIT_BADINPUT;
	else if (dry)
		ret = dry_run(r, cells, n);
	else if (probe_all(r, cells, n))
		ret = batch_stop ? 130 : EXIT_BADINPUT;
	else if (batch_stop)
		ret = 130;
	else
		ret = run_cells(r, cells, n);
	free(cells);
	return ret;
}

int cmd_batch(int argc, char **argv)
{
	struct opts o = { .fio = "fio" };
	struct batch_run r = { 0 };
	struct bconf c;
	char out[4096];
	int ret;

	if (parse_opts(&o, argc, argv)) {
		fputs(batch_usage, stderr);
		return EXIT_USAGE;
	}
	if (o.help) {
		fputs(batch_usage, stdout);
		fputs(batch_about, stdout);
		return cmd_finish(EXIT_OK);
	}
	if (bconf_load(&c, o.config))
		return EXIT_BADINPUT;
	if (!o.out) {
		batch_stem(o.config, out, sizeof(out) - 8);
		memmove(out + 8, out, strlen(out) + 1);
		memcpy(out, "results/", 8);
		if (strlen(out) > 5 && !strcmp(out + strlen(out) - 5, ".conf"))
			out[strlen(out) - 5] = '\0';
		o.out = out;
	}
	r.c = &c, r.out = o.out, r.fio = o.fio;
	ret = batch_main(&r, o.dry);
	bconf_release(&c);
	return ret;
}
