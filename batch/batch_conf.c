/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * batch_conf.c - the config file of `vmlat batch` (configs/README.md).
 *
 * INI-like, to be edited by hand: '[guest NAME]', '[matrix NAME]' and one
 * optional '[batch]' section of 'key = value' lines; '#' or ';' starts a
 * comment line.  Every error names the file and line and stops the parse:
 * a run that starts must not stop on a typo an hour later.  Checks that
 * need the whole file (a matrix naming a guest defined below it) run at
 * the end and name the line of the reference.
 */
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"

struct parser {
	struct bconf *c;
	const char *path;
	int line;
	struct bguest *g;	/* the open section, one of these or neither */
	struct bmatrix *m;
	int in_batch;
};

static int perr(const struct parser *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int perr(const struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vmlat: %s:%d: ", p->path, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

int strv_push(struct strv *s, const char *str)
{
	char **v = realloc(s->v, (s->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	s->v = v;
	s->v[s->n] = strdup(str);
	if (!s->v[s->n])
		return -ENOMEM;
	s->n++;
	return 0;
}

void strv_release(struct strv *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Names become directory names and tags: letters, digits, _ . - only. */
static int name_ok(const char *s)
{
	if (!*s || *s == '.' || *s == '-')
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return 0;
	return 1;
}

/* Paths go into job files and scp's remote argument: no spaces or quotes. */
static int path_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isgraph((unsigned char)*s) || strchr("'\"\\`$;&|<>*?", *s))
			return 0;
	return 1;
}

/* Tags appended to vmlat_tags that a cell sets itself, or batch does. */
static const char *const reserved_labels[] = {
	"guest", "neighbour", "neighbour_load", "study", "cell", "rw", "bs",
	"load", "load_kind", "fig", "target", NULL,
};

/*
 * A label travels in a vmlat_tags= line that fio rewrites before the
 * engine sees it: ';' and '#' end the line there (every later label is
 * lost), '${VAR}' is replaced from the environment and '$pagesize',
 * '$ncpus', '$mb_memory' by numbers, and ',' separates tags.  Rather than
 * let the labels file and the log disagree, such a value is refused, with
 * the character named.  So is any byte outside ASCII: fio's client cuts
 * each option in its JSON at 128 bytes, which can split a UTF-8 character
 * and leave fio.json undecodable.  Everything else printable arrives as
 * written (tests/integration/test_batch_hostile.sh checks it through fio).
 */
static int label_value_bad(const char *val, char *why, size_t len)
{
	const char *s;

	for (s = val; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f) {
			snprintf(why, len, "control character 0x%02x not allowed in a label", c);
			return 1;
		}
		if (c > 0x7f) {
			snprintf(why, len, "byte 0x%02x not allowed in a label (ASCII only: fio's "
				 "client JSON may cut a UTF-8 character)", c);
			return 1;
		}
		if (strchr(",;#$", c)) {
			snprintf(why, len, "'%c' not allowed in a label (%s)", c,
				 c == ',' ? "it separates vmlat_tags"
				 : c == '$' ? "fio would expand it"
					    : "fio would cut the line there");
			return 1;
		}
	}
	return 0;
}

static int label_add(struct parser *p, struct strv *labels, const char *key, const char *val)
{
	const char *const *r;
	char buf[512], bad[120];
	size_t i, klen = strlen(key);

	if (!name_ok(key))
		return perr(p, p->line, "label key '%s' must be letters, digits, _ . -", key);
	for (r = reserved_labels; *r; r++)
		if (!strcmp(*r, key))
			return perr(p, p->line, "label '%s' is set by the job files or by batch", key);
	if (!*val)
		return perr(p, p->line, "label.%s: value must be non-empty", key);
	if (label_value_bad(val, bad, sizeof(bad)))
		return perr(p, p->line, "label.%s = %s: %s", key, val, bad);
	for (i = 0; i < labels->n; i++)
		if (!strncmp(labels->v[i], key, klen) && labels->v[i][klen] == '=')
			return perr(p, p->line, "label '%s' given twice", key);
	snprintf(buf, sizeof(buf), "%s=%s", key, val);
	return strv_push(labels, buf);
}

static int parse_uint(struct parser *p, const char *key, const char *val, unsigned max,
		      unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(val, &end, 10);
	if (errno || end == val || *end || v == 0 || v > max || *val == '-')
		return perr(p, p->line, "%s = %s: not a number from 1 to %u", key, val, max);
	*out = (unsigned)v;
	return 0;
}

static int parse_address(struct parser *p, struct bguest *g, const char *val)
{
	const char *colon = strrchr(val, ':');

	if (!colon || strchr(val, ':') != colon) { /* no port, or an IPv6 address */
		g->port = BATCH_DEFAULT_PORT;
		g->host = strdup(val);
	} else {
		g->host = strndup(val, (size_t)(colon - val));
		if (parse_uint(p, "address port", colon + 1, 65535, &g->port))
			return -1;
	}
	if (!g->host || !path_ok(g->host) || strchr(g->host, ','))
		return perr(p, p->line, "address = %s: not host[:port]", val);
	return 0;
}

static int parse_route(struct parser *p, struct bguest *g, const char *val)
{
	if (!strncmp(val, "local:", 6) && val[6]) {
		g->route = ROUTE_LOCAL;
		g->route_arg = strdup(val + 6);
	} else if (!strncmp(val, "ssh:", 4) && val[4] && path_ok(val + 4)) {
		g->route = ROUTE_SSH;
		g->route_arg = strdup(val + 4);
	} else {
		return perr(p, p->line, "route = %s: not local:DIR or ssh:[USER@]HOST", val);
	}
	return 0;
}

/* A string key given twice is an error: the second would win silently. */
static int set_once(struct parser *p, char **dst, const char *key, const char *val)
{
	if (*dst)
		return perr(p, p->line, "'%s' given twice in this section", key);
	*dst = strdup(val);
	return *dst ? 0 : -ENOMEM;
}

static int guest_key(struct parser *p, const char *key, const char *val)
{
	struct bguest *g = p->g;

	if (!strcmp(key, "address"))
		return g->host ? perr(p, p->line, "'address' given twice in this section")
			       : parse_address(p, g, val);
	if (!strcmp(key, "route"))
		return g->route_arg ? perr(p, p->line, "'route' given twice in this section")
				    : parse_route(p, g, val);
	if (!strcmp(key, "engine") || !strcmp(key, "target") || !strcmp(key, "file") ||
	    !strcmp(key, "log_dir")) {
		if (!path_ok(val))
			return perr(p, p->line, "%s = %s: a path without spaces, quotes or wildcards", key, val);
		return set_once(p, !strcmp(key, "engine") ? &g->engine
				   : !strcmp(key, "target") ? &g->target
				   : !strcmp(key, "file")   ? &g->file
							    : &g->log_dir, key, val);
	}
	if (!strcmp(key, "ssh_option"))
		return strv_push(&g->ssh_opts, val);
	if (!strcmp(key, "option")) {
		if (!strchr(val, '=') || !strncmp(val, "vmlat_tags", 10) || !strncmp(val, "include", 7))
			return perr(p, p->line, "option = %s: not NAME=VALUE, or a name batch sets", val);
		return strv_push(&g->options, val);
	}
	if (!strncmp(key, "label.", 6))
		return label_add(p, &g->labels, key + 6, val);
	return perr(p, p->line, "unknown key '%s' in [guest %s] (known: address, route, engine, "
		    "target, file, log_dir, ssh_option, option, label.KEY)", key, g->name);
}

/* A list value: names or paths separated by spaces. */
static int split_words(const char *val, struct strv *out)
{
	char *copy = strdup(val), *save = NULL, *w;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	for (w = strtok_r(copy, " \t", &save); w && !ret; w = strtok_r(NULL, " \t", &save))
		ret = strv_push(out, w);
	free(copy);
	return ret;
}

/* Job paths are relative to where vmlat runs (like fio's); a glob must match. */
static int add_jobs(struct parser *p, struct strv *out, const char *val, int allow_idle)
{
	struct strv words = { 0 };
	size_t i, j;
	glob_t gl;
	int ret = split_words(val, &words);

	for (i = 0; i < words.n && !ret; i++) {
		if (allow_idle && !strcmp(words.v[i], "idle")) {
			ret = strv_push(out, "idle");
			continue;
		}
		if (glob(words.v[i], GLOB_NOCHECK, NULL, &gl))
			ret = -ENOMEM;
		else if (gl.gl_pathc == 1 && !strcmp(gl.gl_pathv[0], words.v[i]) &&
			 access(words.v[i], R_OK))
			ret = perr(p, p->line, "no job file '%s' (paths are relative to the "
				   "directory vmlat runs in)", words.v[i]);
		for (j = 0; !ret && j < gl.gl_pathc; j++)
			ret = strv_push(out, gl.gl_pathv[j]);
		globfree(&gl);
	}
	strv_release(&words);
	if (!ret && !out->n)
		ret = perr(p, p->line, "empty list");
	return ret;
}

static int matrix_key(struct parser *p, const char *key, const char *val)
{
	struct bmatrix *m = p->m;

	if (!strcmp(key, "guests")) {
		if (m->guests.n)
			return perr(p, p->line, "'guests' given twice in this section");
		m->guests_line = p->line;
		return split_words(val, &m->guests);
	}
	if (!strcmp(key, "jobs"))
		return add_jobs(p, &m->jobs, val, 0);
	if (!strcmp(key, "neighbour")) {
		m->neighbour_line = p->line;
		return set_once(p, &m->neighbour, key, val);
	}
	if (!strcmp(key, "neighbour_load"))
		return add_jobs(p, &m->loads, val, 1);
	if (!strcmp(key, "timeout"))
		return parse_uint(p, key, val, 86400, &m->timeout_s);
	if (!strncmp(key, "label.", 6))
		return label_add(p, &m->labels, key + 6, val);
	return perr(p, p->line, "unknown key '%s' in [matrix %s] (known: guests, jobs, neighbour, "
		    "neighbour_load, timeout, label.KEY)", key, m->name);
}

static int batch_key(struct parser *p, const char *key, const char *val)
{
	struct bconf *c = p->c;

	if (!strcmp(key, "connect_timeout"))
		return parse_uint(p, key, val, 3600, &c->connect_timeout_s);
	if (!strcmp(key, "settle"))
		return parse_uint(p, key, val, 3600, &c->settle_s);
	if (!strcmp(key, "timeout"))
		return parse_uint(p, key, val, 86400, &c->timeout_s);
	return perr(p, p->line, "unknown key '%s' in [batch] (known: connect_timeout, settle, "
		    "timeout)", key);
}

static void *grow(void *arr, size_t *n, size_t size)
{
	char *a = realloc(arr, (*n + 1) * size);

	if (!a)
		return NULL;
	memset(a + *n * size, 0, size);
	(*n)++;
	return a;
}

static int open_section(struct parser *p, char *hdr)
{
	struct bconf *c = p->c;
	char *kind = trim(hdr), *name = kind + strcspn(kind, " \t");
	size_t i;

	if (*name)
		*name++ = '\0';
	name = trim(name);
	p->g = NULL, p->m = NULL, p->in_batch = 0;
	if (!strcmp(kind, "batch") && !*name)
		return p->in_batch = 1, 0;
	if (strcmp(kind, "guest") && strcmp(kind, "matrix"))
		return perr(p, p->line, "unknown section [%s%s%s] (known: [guest NAME], "
			    "[matrix NAME], [batch])", kind, *name ? " " : "", name);
	if (!name_ok(name))
		return perr(p, p->line, "[%s %s]: a name of letters, digits, _ . - is needed",
			    kind, name);
	if (!strcmp(kind, "guest")) {
		for (i = 0; i < c->nguests; i++)
			if (!strcmp(c->guests[i].name, name))
				return perr(p, p->line, "guest '%s' already defined on line %d",
					    name, c->guests[i].line);
		if (!(c->guests = grow(c->guests, &c->nguests, sizeof(*c->guests))))
			return -ENOMEM;
		p->g = &c->guests[c->nguests - 1];
		p->g->name = strdup(name), p->g->line = p->line;
		return 0;
	}
	for (i = 0; i < c->nmats; i++)
		if (!strcmp(c->mats[i].name, name))
			return perr(p, p->line, "matrix '%s' already defined on line %d", name,
				    c->mats[i].line);
	if (!(c->mats = grow(c->mats, &c->nmats, sizeof(*c->mats))))
		return -ENOMEM;
	p->m = &c->mats[c->nmats - 1];
	p->m->name = strdup(name), p->m->line = p->line;
	return 0;
}

static int parse_line(struct parser *p, char *line)
{
	char *s = trim(line), *eq, *key, *val;

	if (!*s || *s == '#' || *s == ';')
		return 0;
	if (*s == '[') {
		if (s[strlen(s) - 1] != ']')
			return perr(p, p->line, "section header without ']'");
		s[strlen(s) - 1] = '\0';
		return open_section(p, s + 1);
	}
	eq = strchr(s, '=');
	if (!eq)
		return perr(p, p->line, "not 'key = value' nor '[section]': %s", s);
	*eq = '\0';
	key = trim(s), val = trim(eq + 1);
	if (!*val)
		return perr(p, p->line, "'%s' has no value", key);
	if (p->g)
		return guest_key(p, key, val);
	if (p->m)
		return matrix_key(p, key, val);
	if (p->in_batch)
		return batch_key(p, key, val);
	return perr(p, p->line, "'%s' outside a section", key);
}

static int check_guest(struct parser *p, const struct bguest *g)
{
	const char *missing = !g->host ? "address" : !g->log_dir ? "log_dir"
			      : !g->route_arg ? "route" : NULL;

	if (missing)
		return perr(p, g->line, "[guest %s] has no '%s'", g->name, missing);
	if (g->route == ROUTE_SSH && *g->log_dir != '/')
		return perr(p, g->line, "[guest %s]: log_dir = %s must be absolute with route ssh: "
			    "(scp starts in the user's home, fio's server in its own directory)",
			    g->name, g->log_dir);
	if (!g->target && !g->file)
		return perr(p, g->line, "[guest %s] has neither 'target' nor 'file'", g->name);
	return 0;
}

static int check_matrix(struct parser *p, struct bmatrix *m)
{
	struct bconf *c = p->c;
	size_t i;

	if (!m->guests.n)
		return perr(p, m->line, "[matrix %s] has no 'guests'", m->name);
	if (!m->jobs.n)
		return perr(p, m->line, "[matrix %s] has no 'jobs'", m->name);
	for (i = 0; i < m->guests.n; i++)
		if (!bconf_guest(c, m->guests.v[i]))
			return perr(p, m->guests_line, "no [guest %s] in this file", m->guests.v[i]);
	if (m->neighbour && !bconf_guest(c, m->neighbour))
		return perr(p, m->neighbour_line, "no [guest %s] in this file", m->neighbour);
	for (i = 0; m->neighbour && i < m->guests.n; i++)
		if (!strcmp(m->guests.v[i], m->neighbour))
			return perr(p, m->neighbour_line, "guest '%s' cannot be its own neighbour",
				    m->neighbour);
	if (!m->neighbour != !m->loads.n)
		return perr(p, m->line, "[matrix %s]: 'neighbour' and 'neighbour_load' go together",
			    m->name);
	if (!m->timeout_s)
		m->timeout_s = c->timeout_s;
	return 0;
}

static int check_all(struct parser *p)
{
	struct bconf *c = p->c;
	size_t i;

	if (!c->nmats)
		return perr(p, p->line, "no [matrix NAME] section: nothing to run");
	for (i = 0; i < c->nguests; i++)
		if (check_guest(p, &c->guests[i]))
			return -1;
	for (i = 0; i < c->nmats; i++)
		if (check_matrix(p, &c->mats[i]))
			return -1;
	return 0;
}

int bconf_load(struct bconf *c, const char *path)
{
	struct parser p = { .c = c, .path = path };
	char *line = NULL;
	size_t cap = 0;
	FILE *f = fopen(path, "r");
	int ret = 0;

	memset(c, 0, sizeof(*c));
	c->path = strdup(path);
	c->connect_timeout_s = 10, c->settle_s = 2, c->timeout_s = 300;
	if (!f) {
		fprintf(stderr, "vmlat: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	while (!ret && getline(&line, &cap, f) != -1) {
		p.line++;
		ret = parse_line(&p, line);
	}
	free(line);
	fclose(f);
	if (ret == -ENOMEM)
		fprintf(stderr, "vmlat: out of memory\n");
	return ret ? -1 : check_all(&p);
}

struct bguest *bconf_guest(const struct bconf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nguests; i++)
		if (!strcmp(c->guests[i].name, name))
			return &c->guests[i];
	return NULL;
}

void bconf_release(struct bconf *c)
{
	size_t i;

	for (i = 0; i < c->nguests; i++) {
		struct bguest *g = &c->guests[i];

		free(g->name), free(g->host), free(g->engine), free(g->target);
		free(g->file), free(g->log_dir), free(g->route_arg);
		strv_release(&g->ssh_opts), strv_release(&g->options), strv_release(&g->labels);
	}
	for (i = 0; i < c->nmats; i++) {
		struct bmatrix *m = &c->mats[i];

		free(m->name), free(m->neighbour);
		strv_release(&m->guests), strv_release(&m->jobs), strv_release(&m->loads);
		strv_release(&m->labels);
	}
	free(c->guests), free(c->mats), free(c->path);
	memset(c, 0, sizeof(*c));
}
