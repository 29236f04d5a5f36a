/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mkfiolog.c - write a fio latency log of any layout, for the exactness
 * test of `vmlat report` (tests/cli/test_report_exact.sh) and the read
 * benchmark (scripts/bench-report.sh).
 *
 *   mkfiolog LAYOUT N SEED [ENDING [DDIRS]] > FILE
 *
 * LAYOUT names the columns in order, comma-separated, with the names of
 * --fio-columns (time,value,max,ddir,bs,offset,prio,issue); N lines; SEED
 * starts a fixed 64-bit LCG, so the same arguments always give the same
 * bytes on every host.  ENDING: lf (default), crlf, lf-nofinal and
 * crlf-nofinal (no line end after the last line), cr-final (the last line
 * ends in a lone '\r').  DDIRS: how many directions (1-3, default 1).
 *
 * Each column as fio writes it (", " between columns): value of 7 to 12
 * digits (the digit count drawn per line), max >= value, bs 4096 or 16384,
 * offset a multiple of 4096 below 2^40, prio 0/1 (or "hexprio" in LAYOUT:
 * 0x%04x as with log_prio=1), issue a ns time of 13-16 digits.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state;

static uint64_t rnd(void)
{
	state = state * 6364136223846793005ull + 1442695040888963407ull;
	return state >> 17;
}

static uint64_t pow10u(int d)
{
	uint64_t p = 1;

	while (d-- > 0)
		p *= 10;
	return p;
}

static void column(const char *name, uint64_t i, int ddirs, uint64_t *value)
{
	if (!strcmp(name, "time")) {
		printf("%" PRIu64, i / 7);
	} else if (!strcmp(name, "value")) {
		int d = 7 + (int)(rnd() % 6);

		*value = pow10u(d - 1) + rnd() % (pow10u(d) - pow10u(d - 1));
		printf("%" PRIu64, *value);
	} else if (!strcmp(name, "max")) {
		printf("%" PRIu64, *value + rnd() % 100000);
	} else if (!strcmp(name, "ddir")) {
		printf("%d", (int)(rnd() % (uint64_t)ddirs));
	} else if (!strcmp(name, "bs")) {
		printf("%d", rnd() % 4 ? 4096 : 16384);
	} else if (!strcmp(name, "offset")) {
		printf("%" PRIu64, (uint64_t)(rnd() % (1ull << 28)) * 4096);
	} else if (!strcmp(name, "prio")) {
		printf("%d", (int)(rnd() % 2));
	} else if (!strcmp(name, "hexprio")) {
		printf("0x%04x", (unsigned int)(rnd() % 0x2008));
	} else if (!strcmp(name, "issue")) {
		printf("%" PRIu64, (uint64_t)1000000000000ull + i * 1000003 + rnd() % 999);
	} else {
		fprintf(stderr, "mkfiolog: unknown column '%s'\n", name);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	const char *ending = argc > 4 ? argv[4] : "lf";
	int ddirs = argc > 5 ? atoi(argv[5]) : 1;
	uint64_t n, i;
	char cols[256];

	if (argc < 4 || strlen(argv[1]) >= sizeof(cols) || ddirs < 1 || ddirs > 3) {
		fprintf(stderr, "usage: mkfiolog LAYOUT N SEED [ENDING [DDIRS]]\n");
		return 2;
	}
	n = strtoull(argv[2], NULL, 10);
	state = strtoull(argv[3], NULL, 10);
	for (i = 0; i < n; i++) {
		uint64_t value = 0;
		char *save = NULL, *c;
		int first = 1;

		strcpy(cols, argv[1]);
		for (c = strtok_r(cols, ",", &save); c; c = strtok_r(NULL, ",", &save), first = 0) {
			if (!first)
				fputs(", ", stdout);
			column(c, i, ddirs, &value);
		}
		if (i + 1 < n || !strcmp(ending, "lf") || !strcmp(ending, "crlf"))
			fputs(!strncmp(ending, "crlf", 4) ? "\r\n" : "\n", stdout);
		else if (!strcmp(ending, "cr-final"))
			fputs("\r", stdout);
	}
	return ferror(stdout) ? 1 : 0;
}
