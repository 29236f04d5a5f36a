/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_probes.c - the key=value form of the probes (probes_emit()) and
 * the affinity contract of probes_run().
 *
 * The emit tests fill a struct probes by hand with values chosen so their
 * three-decimal forms are known exactly (0.3125 rounds half up to 0.313),
 * and compare the whole output with a golden list: key order, the n/a
 * form with its .why key, ratios and vCPUs left out when unknown.  The
 * measured values themselves are checked by tests/cli/test_probes.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "probes.h"

struct out {
	char text[4096];
	int calls, stop_at;
};

static int add(void *ctx, const char *key, const char *value)
{
	struct out *o = ctx;
	size_t n = strlen(o->text);

	if (++o->calls == o->stop_at)
		return -42;
	snprintf(o->text + n, sizeof(o->text) - n, "%s=%s\n", key, value);
	return 0;
}

static void set(struct probe_value *v, double ns)
{
	v->state = PROBE_OK;
	v->ns = ns;
}

static void filled(struct probes *p)
{
	memset(p, 0, sizeof(*p));
	set(&p->bitop, 0.3125);
	set(&p->pf_file_page, 100.0);
	set(&p->pf_file_fault, 1600.0004);
	p->pf_file_pages_per_fault = 16;
	set(&p->pf_anon_page, 2000.5);
	set(&p->pf_anon_fault, 2000.5);
	p->pf_anon_pages_per_fault = 1;
	set(&p->mmap, 250000);
	set(&p->tcp_same, 15023.5);
	p->tcp_cross.state = PROBE_NA;
	strcpy(p->tcp_cross.why, "this machine has one vCPU online");
	p->pagefault_bytes = 2097152;
	p->mmap_bytes = 8388608;
	p->cpu_a = 0;
	p->cpu_b = -1;
	strcpy(p->dir, "/tmp");
	p->total_ns = 312345678;
}

static const char golden_head[] = "probe.bitop_ns=0.313\n"
				  "probe.bitop_build=";
static const char golden_tail[] = "probe.pagefault_file_ns_per_page=100.000\n"
				  "probe.pagefault_file_ns_per_fault=1600.000\n"
				  "probe.pagefault_file_pages_per_fault=16.000\n"
				  "probe.pagefault_anon_ns_per_page=2000.500\n"
				  "probe.pagefault_anon_ns_per_fault=2000.500\n"
				  "probe.pagefault_anon_pages_per_fault=1.000\n"
				  "probe.pagefault_bytes=2097152\n"
				  "probe.mmap_ns=250000.000\n"
				  "probe.mmap_bytes=8388608\n"
				  "probe.tcp_rtt_same_cpu_ns=15023.500\n"
				  "probe.tcp_rtt_same_cpu_cpus=0\n"
				  "probe.tcp_rtt_cross_cpu_ns=n/a\n"
				  "probe.tcp_rtt_cross_cpu_ns.why=this machine has one vCPU online\n"
				  "probe.dir=/tmp\n"
				  "probe.total_ms=312.346\n";

static void emit_golden(void **state)
{
	struct out o = { .stop_at = -1 };
	struct probes p;
	const char *nl;

	(void)state;
	filled(&p);
	assert_int_equal(probes_emit(&p, add, &o), 0);
	assert_memory_equal(o.text, golden_head, strlen(golden_head));
	nl = strchr(o.text + strlen(golden_head), '\n');
	assert_non_null(nl);
	assert_string_equal(nl + 1, golden_tail);
}

static void emit_failed_and_unknown(void **state)
{
	struct out o = { .stop_at = -1 };
	struct probes p;

	(void)state;
	filled(&p);
	p.pf_file_fault.state = PROBE_FAILED;
	strcpy(p.pf_file_fault.why, "no minor faults were counted (getrusage)");
	p.pf_file_pages_per_fault = 0;
	p.cpu_a = -1;
	p.mmap.state = PROBE_FAILED; /* no reason given */
	assert_int_equal(probes_emit(&p, add, &o), 0);
	assert_non_null(strstr(o.text, "probe.pagefault_file_ns_per_fault=n/a\n"
				       "probe.pagefault_file_ns_per_fault.why=no minor faults were counted (getrusage)\n"
				       "probe.pagefault_anon_ns_per_page=")); /* no pages_per_fault */
	assert_non_null(strstr(o.text, "probe.mmap_ns=n/a\nprobe.mmap_ns.why=not measured\n"));
	assert_null(strstr(o.text, "_cpus="));
}

static void emit_stops_at_error(void **state)
{
	struct out o = { .stop_at = 3 };
	struct probes p;

	(void)state;
	filled(&p);
	assert_int_equal(probes_emit(&p, add, &o), -42);
	assert_int_equal(o.calls, 3);
}

static void format_ns(void **state)
{
	char buf[32];

	(void)state;
	probes_format_ns(0.0004, buf, sizeof(buf));
	assert_string_equal(buf, "0.000");
	probes_format_ns(0.0005, buf, sizeof(buf));
	assert_string_equal(buf, "0.001");
	probes_format_ns(123456789.25, buf, sizeof(buf));
	assert_string_equal(buf, "123456789.250");
	probes_format_ns(-1, buf, sizeof(buf));
	assert_string_equal(buf, "0.000");
	probes_format_ns(NAN, buf, sizeof(buf));
	assert_string_equal(buf, "0.000");
}

/* probes_run() pins this thread to one vCPU and then another: it must give back the mask. */
static void run_restores_affinity(void **state)
{
	cpu_set_t before, after;
	struct probes p;

	(void)state;
	assert_int_equal(sched_getaffinity(0, sizeof(before), &before), 0);
	probes_run("/tmp", &p);
	assert_int_equal(sched_getaffinity(0, sizeof(after), &after), 0);
	assert_true(CPU_EQUAL(&before, &after));
	assert_int_equal(p.tcp_same.state, PROBE_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(emit_golden),
		cmocka_unit_test(emit_failed_and_unknown),
		cmocka_unit_test(emit_stops_at_error),
		cmocka_unit_test(format_ns),
		cmocka_unit_test(run_restores_affinity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
