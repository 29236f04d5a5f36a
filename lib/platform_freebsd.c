/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * platform_freebsd.c - gather the platform evidence of a FreeBSD system.
 *
 * FreeBSD has no /sys/class/dmi or /proc/xen: its kernel decides what it
 * runs on at boot (CPUID and SMBIOS) and publishes the answer as sysctls,
 * so the evidence here is four sysctls plus the CPUID scan platform.c does
 * for every OS on x86:
 *
 *   kern.vm_guest              none, generic, xen, hv, vmware, kvm, bhyve;
 *                              newer kernels add vbox, parallels, nvmm
 *   hw.hv_vendor               the raw hypervisor signature (x86 guests only)
 *   kern.timecounter.hardware  the clock every timestamp comes from
 *   security.jail.jailed       1 inside a jail
 *
 * platform_decide() uses kern.vm_guest after CPUID (the kernel's own
 * reading of the same signature, plus SMBIOS) and security.jail.jailed for
 * the container layer; the other two are kept raw.  There is no sysroot:
 * sysctls are not files, so anything but "/" is refused.
 *
 * UNBUILT AND UNTESTED: no FreeBSD machine was at hand when this was
 * written, and no FreeBSD sysroot can be had to cross-compile against
 * (README, "Building").  It would only be compiled on FreeBSD (the Makefile
 * picks platform_$(uname -s).c); it was checked on Linux for syntax against
 * a stub <sys/sysctl.h> only.  The
 * fixtures of tests/fixtures/platform/ test the Linux gatherer.
 */
#ifdef __FreeBSD__

#include <sys/types.h>
#include <sys/sysctl.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "platform.h"
#include "util.h"

#define SYS(name, field, is_int) { name, offsetof(struct platform_evidence, field), is_int }

static const struct sysctl_source {
	const char *name;
	size_t off;
	int is_int; /* an int sysctl, kept as its decimal text */
} sources[] = {
	SYS("kern.vm_guest", freebsd.vm_guest, 0),
	SYS("hw.hv_vendor", freebsd.hv_vendor, 0),
	SYS("kern.timecounter.hardware", freebsd.timecounter, 0),
	SYS("security.jail.jailed", freebsd.jailed, 1),
};

static void set_error(struct platform_item *it, int err)
{
	it->state = err == ENOENT ? PLATFORM_ABSENT : PLATFORM_UNREADABLE;
}

static void read_int(const char *name, struct platform_item *it)
{
	size_t len = sizeof(int);
	int v;

	if (sysctlbyname(name, &v, &len, NULL, 0)) {
		set_error(it, errno);
		return;
	}
	snprintf(it->value, sizeof(it->value), "%d", v);
	it->state = PLATFORM_PRESENT;
}

/* A string sysctl; ENOMEM says it was longer than the item and was cut. */
static void read_string(const char *name, struct platform_item *it)
{
	size_t len = sizeof(it->value) - 1;

	if (sysctlbyname(name, it->value, &len, NULL, 0) && errno != ENOMEM) {
		set_error(it, errno);
		return;
	}
	if (len > sizeof(it->value) - 1)
		len = sizeof(it->value) - 1;
	it->value[len] = '\0';
	it->state = PLATFORM_PRESENT;
}

int platform_gather(const char *sysroot, const char *cpuid_override,
		    struct platform_evidence *ev)
{
	size_t i;
	int ret;

	platform_evidence_init(ev);
	if (sysroot && strcmp(sysroot, "/"))
		return -EOPNOTSUPP;
	ret = platform_cpuid_get(ev, cpuid_override);
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(sources); i++) {
		struct platform_item *it = (struct platform_item *)((char *)ev + sources[i].off);

		if (sources[i].is_int)
			read_int(sources[i].name, it);
		else
			read_string(sources[i].name, it);
	}
	return 0;
}

#endif /* __FreeBSD__ */
