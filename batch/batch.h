/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * batch.h - `vmlat batch CONFIG`: the Study A matrix across guests through
 * fio's client/server mode.  What the parts share.
 *
 * The pieces, one concern each:
 *   batch_conf.c    the config file: guests, their labels, the matrix
 *   batch_plan.c    the config expanded into cells, in run order
 *   batch_render.c  a job file rewritten for one guest (fio --client cannot
 *                   send an include, and the engine path differs per guest)
 *   batch_proc.c    child processes with a deadline, stopped on Ctrl-C
 *   batch_fetch.c   the vmlat logs from the guest (routes local: and ssh:)
 *   batch_cell.c    one cell: a temp dir, fio, the logs, labels, a marker
 *                   written last, a rename
 *   batch.c         the command: options, the version check, the loop,
 *                   progress lines and the manifest
 *
 * A cell is complete exactly when OUT/GUEST/CELL/complete exists: it is
 * written last into a temp dir that is then renamed into place, so an
 * interrupted run leaves no half cell looking complete, and a rerun does
 * only the cells without it.
 */
#ifndef VMLAT_BATCH_H
#define VMLAT_BATCH_H

#include <signal.h>
#include <stddef.h>

/* More than the four codes of cmd.h: the run went, but not every cell did. */
#define EXIT_CELLS_FAILED 4

#define BATCH_DEFAULT_PORT 8765 /* fio's own default for --server */

struct strv {
	char **v;
	size_t n;
};

int strv_push(struct strv *s, const char *str);
void strv_release(struct strv *s);

enum route_kind { ROUTE_LOCAL, ROUTE_SSH };

struct bguest {
	char *name;
	int line;		/* of its [guest NAME] */
	char *host;		/* fio server address, as fio --client takes it */
	unsigned port;
	char *engine;		/* vmlat.so on the guest; NULL: keep the job's line */
	char *target;		/* replaces include vmlat-target.inc */
	char *file;		/* replaces include vmlat-file.inc */
	char *log_dir;		/* where the engine writes, on the guest */
	enum route_kind route;
	char *route_arg;	/* local: this machine's view of log_dir; ssh: [user@]host */
	struct strv ssh_opts;	/* -o values for ssh/scp */
	struct strv options;	/* extra fio/vmlat option lines for the target */
	struct strv labels;	/* "key=value" */
	/* run state */
	int down;		/* unreachable: its remaining cells are skipped */
};

struct bmatrix {
	char *name;
	int line;
	struct strv guests;	/* names of the measured guests */
	int guests_line;
	struct strv jobs;	/* job file paths, globs expanded */
	char *neighbour;	/* the other guest of a 2-VM condition, or NULL */
	int neighbour_line;
	struct strv loads;	/* "idle" or a job file for the neighbour */
	struct strv labels;	/* "key=value", over the guests' own */
	unsigned timeout_s;	/* per cell */
};

struct bconf {
	char *path;
	struct bguest *guests;
	size_t nguests;
	struct bmatrix *mats;
	size_t nmats;
	unsigned connect_timeout_s;	/* probes and scp */
	unsigned settle_s;		/* neighbour load running before a cell */
	unsigned timeout_s;		/* default per cell */
};

/*
 * bconf_load - parse PATH.  Returns 0, or -1 after printing
 * 'vmlat: PATH:LINE: what is wrong' on stderr.
 */
int bconf_load(struct bconf *c, const char *path);
void bconf_release(struct bconf *c);
struct bguest *bconf_guest(const struct bconf *c, const char *name);

/* One cell of the run: a job on a guest, maybe beside a neighbour's load. */
struct bcell {
	struct bguest *g;
	const char *job;
	struct bguest *nb;	/* NULL: no neighbour condition */
	const char *load;	/* "idle" or a job file; NULL without neighbour */
	const struct bmatrix *m;
	char name[256];		/* directory name: JOB-STEM[+LOAD-STEM] */
};

/*
 * bcell_labels - the labels of cell X, "key=value" each: the guest's, with
 * its matrix's in their place or after them.  Free with strv_release().
 */
int bcell_labels(const struct bcell *x, struct strv *out);

/* bcell_tags - what batch appends to the cell's vmlat_tags; 0, or -1 if too long. */
int bcell_tags(const struct bcell *x, char *out, size_t len);

/* bplan_make - every cell of C in run order; -1 after printing why (a clash). */
int bplan_make(const struct bconf *c, struct bcell **cells, size_t *ncells);

/* stem PATH: the file name without directory and .fio, into OUT. */
void batch_stem(const char *path, char *out, size_t len);

/*
 * brender - write JOB rendered for guest G into OUT_PATH: the include of
 * vmlat-target.inc / vmlat-file.inc replaced by G's target lines (logs
 * named TOKEN.%j.%n.vmlat), the engine path replaced, and TAGS appended to
 * every vmlat_tags line.  Returns 0, or -1 with ERR set.
 */
int brender(const char *job, const struct bguest *g, const char *token, const char *tags,
	    const char *out_path, char *err, size_t err_len);

/* Child processes.  batch_stop is set by SIGINT/SIGTERM (batch.c). */
extern volatile sig_atomic_t batch_stop;

struct bproc {
	int pid;
};

/*
 * bproc_start - run ARGV in DIR (NULL: here) with stdin /dev/null and
 * stdout+stderr appended to OUT_PATH, in a process group of its own (so a
 * terminal's Ctrl-C reaches vmlat only, and vmlat decides).  0 or -errno.
 */
int bproc_start(struct bproc *p, char *const argv[], const char *dir, const char *out_path);

/*
 * bproc_wait - wait up to TIMEOUT_MS for the child.  0: it ended, *STATUS
 * is its exit code (128+N for signal N); -ETIMEDOUT; -EINTR: batch_stop.
 */
int bproc_wait(struct bproc *p, unsigned timeout_ms, int *status);

/* bproc_stop - SIGINT (fio then stops its servers' jobs), SIGKILL after GRACE_MS. */
int bproc_stop(struct bproc *p, unsigned grace_ms);

/* bproc_run - start, wait up to TIMEOUT_S, stop on timeout or Ctrl-C. */
int bproc_run(char *const argv[], const char *dir, const char *out_path, unsigned timeout_s,
	      int *status);

/*
 * bfetch - copy the logs named TOKEN.* in G's log directory into DIR,
 * without the 'TOKEN.' prefix: regular files only, opened without
 * following a symlink, never replacing a file in DIR, modes no wider than
 * the source's.  Each file skipped is pushed to SKIPPED as "PATH: why".
 * Returns the number of files copied, or -1 with ERR set.
 */
int bfetch(const struct bguest *g, const char *token, const char *dir, unsigned timeout_s,
	   struct strv *skipped, char *err, size_t err_len);

struct batch_run {
	const struct bconf *c;
	const char *out;	/* results directory */
	const char *fio;	/* client binary */
	const char *fio_version;
	char runid[64];
	unsigned cell_no;	/* for log tokens */
	struct strv skipped;	/* files the last cell's fetch refused: "PATH: why" */
};

/*
 * bcell_run - run cell X into OUT/GUEST/CELL.  0: complete; -1: failed,
 * WHY says what (and the failed attempt is left in OUT/GUEST/.CELL.failed);
 * -EINTR: interrupted, nothing left that looks complete.
 */
int bcell_run(struct batch_run *r, const struct bcell *x, double *secs, char *why, size_t why_len);

/* bcell_done - 1 when OUT/GUEST/CELL is complete. */
int bcell_done(const char *out, const struct bcell *x);

/* bprobe - fio version of G's server into VER; 0, or -1 with ERR set. */
int bprobe(const struct batch_run *r, const struct bguest *g, char *ver, size_t len, char *err,
	   size_t err_len);

/* mkdir -p */
int batch_mkdirs(const char *path);
/* rm -rf of a directory we made (no symlinks followed) */
int batch_rmtree(const char *path);
/* the last non-empty line of PATH into OUT (""when none), truncated to LEN */
void batch_last_line(const char *path, char *out, size_t len);
/* write STR to PATH; 0 or -errno */
int batch_write_file(const char *path, const char *str);

#endif /* VMLAT_BATCH_H */
