/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * detect.c - `vmlat detect [--json] [--sysroot DIR] [--cpuid SIG[,SIG...]]`:
 * which hypervisor and which container this runs in, and why.
 *
 * The command is a thin printer around lib/platform.h: gather, decide,
 * emit.  Its key=value lines are platform_emit()'s, the very lines the
 * engine writes into every log header, so what `vmlat detect` says on a
 * guest is what that guest's logs say.  --sysroot and --cpuid replace the
 * machine with a file tree and a CPUID answer: that is how the rules are
 * tested (tests/fixtures/platform/), and how a report from someone else's
 * guest can be replayed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "cmd.h"
#include "detect_probes.h"
#include "platform.h"
#include "runctx.h"

static const char detect_usage[] =
	"usage: vmlat detect [--json] [--sysroot DIR] [--cpuid SIG[,SIG...]]\n"
	"                    [--probes [--probe-dir DIR]]\n";

static const char detect_about[] =
	"\nSay which hypervisor (vm) and which container this runs in, which evidence\n"
	"decided each, and all the evidence seen: the lines the engine writes into\n"
	"every log header.\n"
	"\n"
	"  --json             one JSON document: {\"vm\",\"container\",\n"
	"                     \"xen\":{\"guest_type\",\"role\"} or null,\n"
	"                     \"because\":{\"vm\",\"container\"},\"evidence\":{KEY:VALUE,...}}\n"
	"  --sysroot DIR      read /sys, /proc, /run, /.dockerenv under DIR instead of /\n"
	"  --cpuid SIG,...    do not run CPUID: the signatures of leaves 0x40000000,\n"
	"                     0x40000100, ... in order (hypervisor bit set), or 'none'\n"
	"                     (bit clear).  Up to 12 bytes each, NUL-padded; \\xHH is any\n"
	"                     byte (\\x20 a trailing space, \\x2c a comma), \\\\ a backslash\n"
	"  --probes           also measure Study B's micro-probes on this machine (well\n"
	"                     under 1 s): integer bit operation, page faults (page-cache\n"
	"                     file and anonymous, per page and per fault), mmap cycle,\n"
	"                     TCP loopback round trip on one vCPU and across two; the\n"
	"                     probe.* lines the engine writes into every log header.\n"
	"                     They always measure this machine, whatever --sysroot says\n"
	"  --probe-dir DIR    make the probes' 8 MiB scratch file in DIR (default /tmp):\n"
	"                     its file system is part of what the file probes measure\n"
	"  -h, --help         this text\n"
	"\n"
	"output: 'vm: NAME' (Xen adds ' (GUEST_TYPE, ROLE)', and ' on NAME' when the\n"
	"hypervisor under Xen shows too: platform.below), 'container: NAME', then\n"
	"one KEY=VALUE line each: platform.vm, platform.container, platform.xen.*,\n"
	"platform.below, platform.because.*, then evidence.cpuid.*, evidence.dmi.*, evidence.xen.*,\n"
	"evidence.hypervisor.*, evidence.container.*, evidence.ns.*, evidence.kernel.*.\n"
	"A file that does not exist has no line; one that exists but cannot be read is\n"
	"named in evidence.unreadable.  Values are printable ASCII (\\xHH, \\\\).\n"
	"With --probes, then the probe.* lines: times in ns with three decimals; a\n"
	"probe not measured says n/a, and KEY.why the reason (a warning on stderr too,\n"
	"unless it does not apply here, as the cross-vCPU round trip on one vCPU).\n"
	"--json adds \"probes\":{KEY without \"probe.\":VALUE}, numbers or null for n/a.\n"
	"Without --sysroot or --cpuid, the run context of this machine follows (keys as\n"
	"in the log header, see lib/runctx.h): run.kernel, run.os, run.arch, run.cpus.*,\n"
	"run.mem_total_bytes, run.clocksource*, run.cgroup*, run.steal_tick_ns (JSON: a\n"
	"\"run\" object, keys without \"run.\").  Steal per vCPU is in each log.\n"
	"\n"
	"vm: none, kvm, qemu, xen, vmware, microsoft, bhyve, oracle, parallels, amazon,\n"
	"    google, acrn, qnx, apple, vm-other\n"
	"container: none, openvz, lxc, lxc-libvirt, docker, podman, systemd-nspawn, wsl,\n"
	"    container-other\n"
	"\nexit status:\n"
	"  0  detected (none is an answer too)\n"
	"  1  usage error, a bad --cpuid list\n"
	"  2  --sysroot is not a directory\n"
	"  3  out of memory, or stdout cannot be written\n";

/* past every letter; those that take a value from OPT_SYSROOT on, see bad_option() */
enum { OPT_JSON = 256, OPT_PROBES, OPT_SYSROOT, OPT_CPUID, OPT_PROBE_DIR };

static const struct option detect_options[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "sysroot", required_argument, NULL, OPT_SYSROOT },
	{ "cpuid", required_argument, NULL, OPT_CPUID },
	{ "probes", no_argument, NULL, OPT_PROBES },
	{ "probe-dir", required_argument, NULL, OPT_PROBE_DIR },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct detect_run {
	int json, help, probes;
	const char *sysroot, *cpuid, *probe_dir;
};

/* As in dump.c: optopt holds a bad letter; a bad long option is argv[optind - 1]. */
static void bad_option(char **argv)
{
	if (optopt > 0 && optopt < OPT_JSON && optopt != 'h')
		fprintf(stderr, "vmlat: unknown option '-%c'\n", optopt);
	else if (optopt >= OPT_SYSROOT)
		fprintf(stderr, "vmlat: option '%s' needs a value\n", argv[optind - 1]);
	else
		fprintf(stderr, "vmlat: unknown option '%s'\n", argv[optind - 1]);
	fputs(detect_usage, stderr);
}

static int parse_options(struct detect_run *run, int argc, char **argv)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", detect_options, NULL)) != -1) {
		if (c == OPT_JSON)
			run->json = 1;
		else if (c == OPT_SYSROOT)
			run->sysroot = optarg;
		else if (c == OPT_CPUID)
			run->cpuid = optarg;
		else if (c == OPT_PROBES)
			run->probes = 1;
		else if (c == OPT_PROBE_DIR)
			run->probe_dir = optarg;
		else if (c == 'h')
			run->help = 1;
		else {
			bad_option(argv);
			return -1;
		}
	}
	if (run->probe_dir && !run->probes) {
		fprintf(stderr, "vmlat: --probe-dir needs --probes\n");
		fputs(detect_usage, stderr);
		return -1;
	}
	if (optind < argc) {
		fprintf(stderr, "vmlat: detect takes no arguments ('%s')\n", argv[optind]);
		fputs(detect_usage, stderr);
		return -1;
	}
	return 0;
}

/* Check the arguments before reading anything: a usage error, then bad input. */
static int check_args(const struct detect_run *run, struct platform_evidence *ev)
{
	struct stat st;
	int ret = run->cpuid ? platform_cpuid_parse(ev, run->cpuid) : 0;

	if (ret) {
		fprintf(stderr, "vmlat: --cpuid '%s': %s\n", run->cpuid, ret == -E2BIG ?
			"a signature is longer than 12 bytes" :
			"want SIG[,SIG...] or none, each SIG 1 to 12 bytes, escapes \\xHH and \\\\");
		fputs(detect_usage, stderr);
		return EXIT_USAGE;
	}
	ret = !run->sysroot ? 0 : stat(run->sysroot, &st) ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
	if (ret) {
		fprintf(stderr, "vmlat: --sysroot '%s': %s\n", run->sysroot, strerror(ret));
		return EXIT_BADINPUT;
	}
	ret = !run->probe_dir ? 0 : stat(run->probe_dir, &st) ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
	if (ret) {
		fprintf(stderr, "vmlat: --probe-dir '%s': %s\n", run->probe_dir, strerror(ret));
		return EXIT_BADINPUT;
	}
	return EXIT_OK;
}

static int print_line(void *ctx, const char *key, const char *value)
{
	fprintf(ctx, "%s=%s\n", key, value);
	return 0;
}

static int print_text(const struct platform_evidence *ev, const struct platform_verdict *v,
		      const struct probes *p, int live)
{
	printf("vm: %s", v->vm);
	if (v->xen)
		printf(" (%s%s, %s)", strcmp(v->vm, "xen") ? "xen " : "", v->xen_guest_type,
		       v->xen_role);
	if (v->below)
		printf(" on %s", v->below);
	printf("\ncontainer: %s\n", v->container);
	platform_emit(ev, v, print_line, stdout);
	if (live)
		runctx_emit(print_line, stdout);
	if (p)
		detect_probes_text(p);
	return cmd_finish(EXIT_OK);
}

/* run.K -> root.run["K"] */
static int json_put_run(void *ctx, const char *key, const char *value)
{
	json_t *s = json_string(value);

	if (!s)
		return -ENOMEM;
	return json_object_set_new(json_object_get(ctx, "run"), key + 4, s) ? -ENOMEM : 0;
}

/* The run context of the live machine; nothing for a --sysroot DIR or --cpuid replay. */
static int json_add_run(json_t *root, int live)
{
	if (!live)
		return 0;
	if (json_object_set_new(root, "run", json_object()))
		return -ENOMEM;
	return runctx_emit(json_put_run, root);
}

/*
 * platform.A -> root.A, platform.A.B -> root.A.B (an object, replacing the
 * null that stands for "no Xen"), evidence.K -> root.evidence["K"].
 */
static int json_put(void *ctx, const char *key, const char *value)
{
	json_t *root = ctx, *obj = json_object_get(root, "evidence"), *s = json_string(value);
	const char *dot;
	char name[64];

	if (!s)
		return -ENOMEM;
	if (!strncmp(key, "evidence.", 9))
		return json_object_set_new(obj, key + 9, s) ? -ENOMEM : 0;
	key += strlen("platform.");
	dot = strchr(key, '.');
	if (!dot)
		return json_object_set_new(root, key, s) ? -ENOMEM : 0;
	snprintf(name, sizeof(name), "%.*s", (int)(dot - key), key);
	obj = json_object_get(root, name);
	if (!json_is_object(obj) && json_object_set_new(root, name, obj = json_object()))
		obj = NULL;
	if (!obj) {
		json_decref(s);
		return -ENOMEM;
	}
	return json_object_set_new(obj, dot + 1, s) ? -ENOMEM : 0;
}

static int print_json(const struct platform_evidence *ev, const struct platform_verdict *v,
		      const struct probes *p, int live)
{
	json_t *root = json_pack("{s:n,s:n,s:n,s:{},s:{}}", "vm", "container", "xen",
				 "because", "evidence");
	int ret = root ? platform_emit(ev, v, json_put, root) : -ENOMEM;

	if (!ret)
		ret = json_add_run(root, live);
	if (!ret && p)
		ret = detect_probes_json(root, p);

	/* jansson says -1 both for no memory and for a failed write */
	if (!ret && json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER))
		ret = ferror(stdout) ? -EIO : -ENOMEM;
	json_decref(root);
	if (ret == -ENOMEM) {
		fprintf(stderr, "vmlat: out of memory\n");
		return EXIT_SYSTEM;
	}
	putchar('\n');
	return cmd_finish(EXIT_OK); /* a failed write shows here, with its errno */
}

static int detect(const struct detect_run *run, struct platform_evidence *ev)
{
	struct platform_verdict v;
	struct probes probes, *p = NULL;
	int ret = platform_gather(run->sysroot, run->cpuid, ev), live;

	if (ret) {
		fprintf(stderr, "vmlat: cannot gather the platform evidence: %s\n", strerror(-ret));
		return ret == -ENAMETOOLONG || ret == -ENOENT || ret == -ENOTDIR ? EXIT_BADINPUT
										 : EXIT_SYSTEM;
	}
	platform_decide(ev, &v);
	if (run->probes) {
		p = &probes;
		detect_probes_run(run->probe_dir, p);
	}
	live = (!run->sysroot || !strcmp(run->sysroot, "/")) && !run->cpuid;
	return run->json ? print_json(ev, &v, p, live) : print_text(ev, &v, p, live);
}

int cmd_detect(int argc, char **argv)
{
	struct detect_run run = { 0 };
	struct platform_evidence *ev;
	int ret;

	if (parse_options(&run, argc, argv))
		return EXIT_USAGE;
	if (run.help) {
		fputs(detect_usage, stdout);
		fputs(detect_about, stdout);
		return cmd_finish(EXIT_OK);
	}
	ev = malloc(sizeof(*ev));
	if (!ev) {
		fprintf(stderr, "vmlat: out of memory\n");
		return EXIT_SYSTEM;
	}
	ret = check_args(&run, ev);
	if (ret == EXIT_OK)
		ret = detect(&run, ev);
	free(ev);
	return ret;
}
