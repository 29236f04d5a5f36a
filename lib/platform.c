/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * platform.c - the portable half of platform detection: the tables, the
 * order of precedence, the CPUID scan, and the key=value form.
 *
 * Nothing here opens a file, so the rules are tested with fixture trees on
 * any machine (tests/fixtures/platform/), and the OS-specific gatherers
 * stay short lists of paths or sysctls.  The only instruction that looks
 * at the machine is CPUID, in platform_cpuid_read(): it belongs to the
 * architecture, not to the OS, so it lives here once.
 *
 * Names, signatures and vendor prefixes come from systemd's
 * src/basic/virt.c, with two additions systemd does not have: the scan of
 * every hypervisor range (systemd reads only 0x40000000 and, seeing
 * "Microsoft Hv", guesses from DMI) and the VirtualBox and Parallels CPUID
 * signatures.  Where the two differ on purpose it is said in platform.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__i386__) || defined(__x86_64__)
#include <cpuid.h>
#endif

#include "hexval.h"
#include "platform.h"

/* Known CPUID signatures at 0x40000000 + k * 0x100; NUL-padded to 12 bytes. */
static const struct cpuid_sig {
	char sig[PLATFORM_SIG_BYTES + 1];
	const char *vm;
} cpuid_sigs[] = {
	{ "XenVMMXenVMM", "xen" },
	{ "KVMKVMKVM", "kvm" },	       /* KVM, QEMU with KVM, Firecracker */
	{ "Linux KVM Hv", "kvm" },     /* KVM's own Hyper-V interface */
	{ "TCGTCGTCGTCG", "qemu" },    /* QEMU without KVM */
	{ "VMwareVMware", "vmware" },
	{ "Microsoft Hv", "microsoft" }, /* Hyper-V, or anyone's enlightenments */
	{ "bhyve bhyve ", "bhyve" },
	{ "VBoxVBoxVBox", "oracle" },
	{ "ACRNACRNACRN", "acrn" },
	{ "QNXQVMBSQG", "qnx" },
	{ "Apple VZ", "apple" },
	{ " lrpepyh  vr", "parallels" },
};

/* DMI items in the order they are tried: product_name first, so KVM is found before QEMU. */
enum { DMI_PRODUCT_NAME, DMI_SYS_VENDOR, DMI_BOARD_VENDOR, DMI_BIOS_VENDOR, DMI_PRODUCT_VERSION, DMI_N };

#define DMI_ALL ((1u << DMI_N) - 1)

static const struct dmi_field {
	const char *key;
	size_t off;
} dmi_fields[DMI_N] = {
	{ "dmi.product_name", offsetof(struct platform_evidence, dmi.product_name) },
	{ "dmi.sys_vendor", offsetof(struct platform_evidence, dmi.sys_vendor) },
	{ "dmi.board_vendor", offsetof(struct platform_evidence, dmi.board_vendor) },
	{ "dmi.bios_vendor", offsetof(struct platform_evidence, dmi.bios_vendor) },
	{ "dmi.product_version", offsetof(struct platform_evidence, dmi.product_version) },
};

/*
 * DMI vendor prefixes, tried in table order against each item.  strong:
 * decides before CPUID (step 1 of platform_decide), because these clouds
 * and products run on KVM or cloak as Hyper-V.  systemd's bochs is not one
 * of vmlat's names: vm-other.
 */
static const struct dmi_vendor {
	const char *prefix;
	const char *vm;
	unsigned int fields; /* bit mask of the DMI items it is tried on */
	int strong;
} dmi_vendors[] = {
	{ "KVM", "kvm", DMI_ALL, 0 },
	{ "OpenStack", "kvm", DMI_ALL, 0 },
	{ "KubeVirt", "kvm", DMI_ALL, 0 },
	{ "Amazon EC2", "amazon", DMI_ALL, 1 },
	{ "QEMU", "qemu", DMI_ALL, 0 },
	{ "VMware", "vmware", DMI_ALL, 0 },
	{ "VMW", "vmware", DMI_ALL, 0 },
	{ "innotek GmbH", "oracle", DMI_ALL, 1 },
	{ "VirtualBox", "oracle", DMI_ALL, 1 },
	{ "Oracle Corporation", "oracle", DMI_ALL, 1 },
	{ "Xen", "xen", DMI_ALL, 1 },
	{ "Bochs", "vm-other", DMI_ALL, 0 },
	{ "Parallels", "parallels", DMI_ALL, 1 },
	{ "BHYVE", "bhyve", DMI_ALL, 0 },
	{ "Hyper-V", "microsoft", 1u << DMI_PRODUCT_VERSION, 0 },
	{ "Apple Virtualization", "apple", DMI_ALL, 0 },
	{ "Google Compute Engine", "google", DMI_ALL, 1 },
};

/* /proc/device-tree/hypervisor/compatible (non-x86): exact or substring. */
static const struct dt_compat {
	const char *text;
	int substring;
	const char *vm;
} dt_compats[] = {
	{ "linux,kvm", 0, "kvm" },
	{ "xen", 1, "xen" },
	{ "vmware", 1, "vmware" },
};

/* FreeBSD's kern.vm_guest; "none" decides nothing, an unknown name is vm-other. */
static const struct name_map {
	const char *from;
	const char *to;
} freebsd_guests[] = {
	{ "generic", "vm-other" }, { "xen", "xen" },		{ "hv", "microsoft" },
	{ "vmware", "vmware" },	   { "kvm", "kvm" },		{ "bhyve", "bhyve" },
	{ "vbox", "oracle" },	   { "parallels", "parallels" }, { "nvmm", "vm-other" },
};

/* Container manager names as systemd's container interface spells them. */
static const char *const container_names[] = {
	"lxc", "lxc-libvirt", "systemd-nspawn", "docker", "podman", "wsl",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

void platform_evidence_init(struct platform_evidence *ev)
{
	memset(ev, 0, sizeof(*ev));
}

static const struct platform_item *item_at(const struct platform_evidence *ev, size_t off)
{
	return (const struct platform_item *)((const char *)ev + off);
}

static int present(const struct platform_item *it)
{
	return it->state == PLATFORM_PRESENT;
}

static int value_is(const struct platform_item *it, const char *s)
{
	return present(it) && !strcmp(it->value, s);
}

/* ---- CPUID ---------------------------------------------------------- */

/* The scan rule of platform.h: printable up to the first NUL, NUL after, not empty. */
static int sig_valid(const char *sig)
{
	size_t i, n = strnlen(sig, PLATFORM_SIG_BYTES);

	if (!n)
		return 0;
	for (i = 0; i < PLATFORM_SIG_BYTES; i++) {
		unsigned char c = (unsigned char)sig[i];

		if (i < n ? c < 0x20 || c > 0x7e : c != 0)
			return 0;
	}
	return 1;
}

/* Append LEAF when it passes the scan rule; 0 when the scan must stop. */
static int cpuid_keep(struct platform_cpuid *c, uint32_t leaf, uint32_t eax, const char *sig)
{
	struct platform_cpuid_leaf *l;

	if (!sig_valid(sig) || (eax && (eax < leaf || eax > leaf + 0xff)))
		return 0;
	l = &c->leaves[c->nleaves++];
	l->leaf = leaf;
	memcpy(l->sig, sig, PLATFORM_SIG_BYTES);
	return 1;
}

static uint32_t range_leaf(unsigned int k)
{
	return PLATFORM_CPUID_BASE + k * PLATFORM_CPUID_STEP;
}

#if defined(__i386__) || defined(__x86_64__)
int platform_cpuid_read(struct platform_evidence *ev)
{
	struct platform_cpuid *c = &ev->cpuid;
	unsigned int eax, ebx, ecx, edx, k;
	char sig[PLATFORM_SIG_BYTES];

	memset(c, 0, sizeof(*c));
	c->source = PLATFORM_CPUID_CPU;
	if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
		return 0;
	c->hypervisor_bit = !!(ecx & 0x80000000u);
	for (k = 0; c->hypervisor_bit && k < PLATFORM_CPUID_RANGES; k++) {
		__cpuid(range_leaf(k), eax, ebx, ecx, edx);
		memcpy(sig, &ebx, 4);
		memcpy(sig + 4, &ecx, 4);
		memcpy(sig + 8, &edx, 4);
		if (!cpuid_keep(c, range_leaf(k), eax, sig))
			break;
	}
	return 0;
}
#else
int platform_cpuid_read(struct platform_evidence *ev)
{
	memset(&ev->cpuid, 0, sizeof(ev->cpuid));
	return -EOPNOTSUPP;
}
#endif

int platform_cpuid_get(struct platform_evidence *ev, const char *override)
{
	if (override)
		return platform_cpuid_parse(ev, override);
	platform_cpuid_read(ev); /* -EOPNOTSUPP off x86: the source says "unavailable" */
	return 0;
}

/* One signature of an override at *P, up to ',' or the end; *P moves past it. */
static int parse_sig(const char **p, char *sig)
{
	const char *s = *p;
	size_t n = 0;
	int c;

	memset(sig, 0, PLATFORM_SIG_BYTES);
	for (; *s && *s != ','; n++) {
		c = (unsigned char)*s++;
		if (c == '\\' && *s == '\\') {
			s++;
		} else if (c == '\\') {
			if (*s != 'x' || hexval(s[1]) < 0 || hexval(s[2]) < 0)
				return -EINVAL;
			c = hexval(s[1]) << 4 | hexval(s[2]);
			s += 3;
		}
		if (n >= PLATFORM_SIG_BYTES)
			return -E2BIG;
		sig[n] = (char)c;
	}
	*p = *s ? s + 1 : s;
	return n ? 0 : -EINVAL;
}

int platform_cpuid_parse(struct platform_evidence *ev, const char *spec)
{
	char sigs[PLATFORM_CPUID_RANGES][PLATFORM_SIG_BYTES]; /* 3 KiB */
	struct platform_cpuid *c = &ev->cpuid;
	unsigned int n = 0, k;
	int ret = 0;

	memset(c, 0, sizeof(*c));
	if (!strcmp(spec, "none")) {
		c->source = PLATFORM_CPUID_OVERRIDE;
		return 0;
	}
	while (!ret && (*spec || !n)) {
		if (n == PLATFORM_CPUID_RANGES)
			return -EINVAL;
		ret = parse_sig(&spec, sigs[n++]);
		if (!ret && !*spec && spec[-1] == ',')
			ret = -EINVAL; /* a trailing comma: an empty last signature */
	}
	if (ret)
		return ret;
	c->source = PLATFORM_CPUID_OVERRIDE;
	c->hypervisor_bit = 1;
	for (k = 0; k < n && cpuid_keep(c, range_leaf(k), 0, sigs[k]); k++)
		;
	return 0;
}

/* The table's name for SIG, or NULL. */
static const char *sig_vm(const char *sig)
{
	size_t i;

	for (i = 0; i < N(cpuid_sigs); i++)
		if (!memcmp(sig, cpuid_sigs[i].sig, PLATFORM_SIG_BYTES))
			return cpuid_sigs[i].vm;
	return NULL;
}

/*
 * The first kept leaf whose signature is known: with MICROSOFT 0, skipping
 * "Microsoft Hv" (someone else's enlightenments until shown otherwise);
 * with MICROSOFT 1, only "Microsoft Hv".  *VM gets the name.
 */
static const struct platform_cpuid_leaf *cpuid_known(const struct platform_cpuid *c,
						     int microsoft, const char **vm)
{
	unsigned int i;

	for (i = 0; i < c->nleaves; i++) {
		*vm = sig_vm(c->leaves[i].sig);
		if (*vm && !strcmp(*vm, "microsoft") == !!microsoft)
			return &c->leaves[i];
	}
	return NULL;
}

/* ---- the verdict ---------------------------------------------------- */

static void because(char *dst, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void because(char *dst, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst, PLATFORM_BECAUSE_BYTES, fmt, ap);
	va_end(ap);
}

static int set_vm(struct platform_verdict *v, const char *vm, const char *why, ...)
	__attribute__((format(printf, 3, 4)));

static int set_vm(struct platform_verdict *v, const char *vm, const char *why, ...)
{
	va_list ap;

	v->vm = vm;
	va_start(ap, why);
	vsnprintf(v->because_vm, sizeof(v->because_vm), why, ap);
	va_end(ap);
	return 1;
}

struct dmi_hit {
	const char *vm; /* NULL: no vendor matched, or Amazon bare metal */
	int strong;
	int field;	/* index into dmi_fields of the deciding item */
	int metal;	/* Amazon EC2 with a .metal product name */
};

/* systemd's rule: ".metal" followed by the end or by '-' (m7i.metal-24xl). */
static int metal_name(const char *name)
{
	const char *e = strstr(name, ".metal");

	return e && (e[6] == '\0' || e[6] == '-');
}

static void dmi_match(const struct platform_evidence *ev, struct dmi_hit *hit)
{
	const struct platform_item *it;
	size_t f, i;

	memset(hit, 0, sizeof(*hit));
	for (f = 0; f < DMI_N; f++) {
		it = item_at(ev, dmi_fields[f].off);
		for (i = 0; present(it) && i < N(dmi_vendors); i++) {
			const struct dmi_vendor *d = &dmi_vendors[i];

			if (!(d->fields & 1u << f) || strncmp(it->value, d->prefix, strlen(d->prefix)))
				continue;
			hit->vm = d->vm;
			hit->strong = d->strong;
			hit->field = (int)f;
			if (!strcmp(d->vm, "amazon") && metal_name(ev->dmi.product_name.value)) {
				hit->metal = 1;
				hit->vm = NULL;
			}
			return;
		}
	}
}

static int set_dmi(const struct platform_evidence *ev, struct platform_verdict *v,
		   const struct dmi_hit *hit)
{
	return set_vm(v, hit->vm, "%s=%s", dmi_fields[hit->field].key,
		      item_at(ev, dmi_fields[hit->field].off)->value);
}

/* 1: dom0 by hypervisor.features bit 11, 2: by xen.capabilities, 0: not dom0. */
static int xen_dom0(const struct platform_evidence *ev)
{
	const struct platform_item *f = &ev->hypervisor.features, *cap = &ev->xen.capabilities;
	char list[PLATFORM_VALUE_BYTES], *tok, *save;
	unsigned long bits;
	char *end;

	if (present(f)) {
		bits = strtoul(f->value, &end, 16); /* hex without 0x, as Xen writes it */
		if (end != f->value && !*end)
			return bits & 1ul << 11 ? 1 : 0;
	}
	if (!present(cap))
		return 0;
	memcpy(list, cap->value, sizeof(list));
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (!strcmp(tok, "control_d"))
			return 2;
	return 0;
}

static const char *const dom0_why[] = { "", "hypervisor.features bit 11", "xen.capabilities control_d" };

/* Steps 7 to 9 of platform_decide(): the weaker Xen, device tree and FreeBSD sources. */
static int vm_late(const struct platform_evidence *ev, struct platform_verdict *v)
{
	const struct platform_item *dt = &ev->devicetree.hypervisor, *g = &ev->freebsd.vm_guest;
	const char *vm = "vm-other";
	size_t i;

	if (value_is(&ev->hypervisor.type, "xen"))
		return set_vm(v, "xen", "hypervisor.type=xen");
	for (i = 0; present(dt) && i < N(dt_compats); i++)
		if (dt_compats[i].substring ? !!strstr(dt->value, dt_compats[i].text)
					    : !strcmp(dt->value, dt_compats[i].text))
			return set_vm(v, dt_compats[i].vm, "devicetree.hypervisor=%s", dt->value);
	if (!present(g) || !strcmp(g->value, "none"))
		return 0;
	for (i = 0; i < N(freebsd_guests); i++)
		if (!strcmp(g->value, freebsd_guests[i].from))
			vm = freebsd_guests[i].to;
	return set_vm(v, vm, "freebsd.vm_guest=%s", g->value);
}

/* Step 10: nothing decided; say what little there is. */
static void vm_fallback(const struct platform_evidence *ev, struct platform_verdict *v,
			const struct dmi_hit *dmi)
{
	const struct platform_cpuid *c = &ev->cpuid;
	const struct platform_cpuid_leaf *l;
	const char *vm;
	char *why = v->because_vm;

	v->vm = "vm-other";
	if ((l = cpuid_known(c, 1, &vm))) {
		v->vm = vm;
		because(why, "cpuid.0x%08x=Microsoft Hv, no other known signature", l->leaf);
	} else if (c->nleaves) {
		because(why, "cpuid.0x%08x=%.12s, unknown", c->leaves[0].leaf, c->leaves[0].sig);
	} else if (c->hypervisor_bit) {
		because(why, "cpuid.hypervisor_bit=1, no signature");
	} else if (present(&ev->hypervisor.type)) {
		because(why, "hypervisor.type=%s", ev->hypervisor.type.value);
	} else if (present(&ev->devicetree.hypervisor)) {
		because(why, "devicetree.hypervisor=%s", ev->devicetree.hypervisor.value);
	} else {
		v->vm = "none";
		if (dmi->metal)
			because(why, "%s=Amazon EC2, dmi.product_name=%s: bare metal",
				dmi_fields[dmi->field].key, ev->dmi.product_name.value);
		else
			because(why, "no hypervisor evidence");
	}
}

/* Steps 1 to 6 of platform_decide(); 0 when none of them decides. */
static int vm_early(const struct platform_evidence *ev, struct platform_verdict *v,
		    const struct dmi_hit *dmi)
{
	int dom0 = present(&ev->xen.proc_xen) ? xen_dom0(ev) : 0;
	const struct platform_cpuid_leaf *l;
	const char *vm;

	if (dmi->vm && dmi->strong)
		return set_dmi(ev, v, dmi);
	if (value_is(&ev->hypervisor.guest_type, "PV"))
		return set_vm(v, "xen", "hypervisor.guest_type=PV");
	if (present(&ev->xen.proc_xen) && !dom0)
		return set_vm(v, "xen", "xen.proc_xen=1");
	l = cpuid_known(&ev->cpuid, 0, &vm);
	if (l)
		return set_vm(v, vm, "cpuid.0x%08x=%.12s", l->leaf, l->sig);
	if (dom0)
		return set_vm(v, "xen", "xen.proc_xen=1, %s", dom0_why[dom0]);
	if (dmi->vm)
		return set_dmi(ev, v, dmi);
	return 0;
}

static void xen_details(const struct platform_evidence *ev, struct platform_verdict *v,
			const struct dmi_hit *dmi)
{
	static const char *const types[] = { "PV", "HVM", "PVH" };
	const struct platform_item *g = &ev->hypervisor.guest_type;
	size_t i;

	v->xen_guest_type = "unknown";
	for (i = 0; i < N(types); i++)
		if (value_is(g, types[i]))
			v->xen_guest_type = types[i];
	/* firmware tables with a Xen vendor exist only in HVM guests */
	if (!present(g) && dmi->vm && !strcmp(dmi->vm, "xen"))
		v->xen_guest_type = "HVM";
	if (xen_dom0(ev))
		v->xen_role = "dom0";
	else if (present(&ev->xen.proc_xen) || present(&ev->hypervisor.features) ||
		 !strcmp(v->xen_guest_type, "HVM"))
		v->xen_role = "domU"; /* could have shown dom0, did not; HVM never is */
	else
		v->xen_role = "unknown";
}

/* The hypervisor under a Xen domain that shows through (platform.h), or none. */
static void xen_below(const struct platform_evidence *ev, struct platform_verdict *v,
		      const struct dmi_hit *dmi)
{
	const struct platform_cpuid *c = &ev->cpuid;
	const char *vm;
	unsigned int i;

	for (i = 0; i < c->nleaves; i++) {
		vm = sig_vm(c->leaves[i].sig);
		if (vm && strcmp(vm, "xen") && strcmp(vm, "microsoft")) {
			v->below = vm;
			because(v->because_below, "cpuid.0x%08x=%.12s", c->leaves[i].leaf, c->leaves[i].sig);
			return;
		}
	}
	if (dmi->vm && strcmp(dmi->vm, "xen")) {
		v->below = dmi->vm;
		because(v->because_below, "%s=%s", dmi_fields[dmi->field].key,
			item_at(ev, dmi_fields[dmi->field].off)->value);
	}
}

static void decide_vm(const struct platform_evidence *ev, struct platform_verdict *v)
{
	struct dmi_hit dmi;

	dmi_match(ev, &dmi);
	if (!vm_early(ev, v, &dmi) && !vm_late(ev, v))
		vm_fallback(ev, v, &dmi);
	v->xen = !strcmp(v->vm, "xen") || (present(&ev->xen.proc_xen) && xen_dom0(ev));
	if (v->xen)
		xen_details(ev, v, &dmi);
	if (v->xen && !strcmp(v->vm, "xen"))
		xen_below(ev, v, &dmi);
}

/* Step 4 of the container order; NULL when neither file exists. */
static const char *container_files(const struct platform_evidence *ev, const char **key)
{
	if (present(&ev->container.containerenv)) {
		*key = "container.containerenv";
		return "podman";
	}
	if (present(&ev->container.dockerenv)) {
		*key = "container.dockerenv";
		return "docker";
	}
	return NULL;
}

/* A container manager's NAME (step 3) as a verdict. */
static void container_named(const struct platform_evidence *ev, struct platform_verdict *v,
			    const char *key, const char *name)
{
	const char *file_key;
	size_t i;

	v->container = "container-other";
	because(v->because_container, "%s=%s", key, name);
	if (!strcmp(name, "oci")) { /* a generic runtime: the files may say which */
		const char *c = container_files(ev, &file_key);

		if (c) {
			v->container = c;
			because(v->because_container, "%s=oci, %s=1", key, file_key);
		}
		return;
	}
	for (i = 0; i < N(container_names); i++)
		if (!strcmp(name, container_names[i]))
			v->container = container_names[i];
}

static void decide_container(const struct platform_evidence *ev, struct platform_verdict *v)
{
	static const struct { const char *key; size_t off; } named[] = {
		{ "container.host_manager", offsetof(struct platform_evidence, container.host_manager) },
		{ "container.systemd", offsetof(struct platform_evidence, container.systemd) },
		{ "container.pid1_env", offsetof(struct platform_evidence, container.pid1_env) },
	};
	const struct platform_item *os = &ev->kernel.osrelease, *it;
	const char *key, *c;
	size_t i;

	v->container = "none";
	because(v->because_container, "no container evidence");
	if (present(&ev->container.proc_vz) && ev->container.proc_bc.state == PLATFORM_ABSENT) {
		v->container = "openvz";
		because(v->because_container, "container.proc_vz=1, container.proc_bc=0");
		return;
	}
	if (present(os) && (strstr(os->value, "Microsoft") || strstr(os->value, "WSL"))) {
		v->container = "wsl";
		because(v->because_container, "kernel.osrelease=%s", os->value);
		return;
	}
	for (i = 0; i < N(named); i++) {
		it = item_at(ev, named[i].off);
		if (present(it) && it->value[0]) {
			container_named(ev, v, named[i].key, it->value);
			return;
		}
	}
	if ((c = container_files(ev, &key))) {
		v->container = c;
		because(v->because_container, "%s=1", key);
	} else if (value_is(&ev->freebsd.jailed, "1")) {
		v->container = "container-other";
		because(v->because_container, "freebsd.jailed=1");
	}
}

int platform_decide(const struct platform_evidence *ev, struct platform_verdict *v)
{
	memset(v, 0, sizeof(*v));
	decide_vm(ev, v);
	decide_container(ev, v);
	return 0;
}

/* ---- key=value ------------------------------------------------------ */

#define ITEM(key, field, exists) { key, offsetof(struct platform_evidence, field), exists }

/* Every item, in emit order; exists: only whether the path exists (0 or 1). */
static const struct item_key {
	const char *key; /* without "evidence." */
	size_t off;
	int exists;
} item_keys[] = {
	ITEM("dmi.product_name", dmi.product_name, 0),
	ITEM("dmi.sys_vendor", dmi.sys_vendor, 0),
	ITEM("dmi.board_vendor", dmi.board_vendor, 0),
	ITEM("dmi.bios_vendor", dmi.bios_vendor, 0),
	ITEM("dmi.product_version", dmi.product_version, 0),
	ITEM("xen.proc_xen", xen.proc_xen, 1),
	ITEM("xen.capabilities", xen.capabilities, 0),
	ITEM("hypervisor.type", hypervisor.type, 0),
	ITEM("hypervisor.guest_type", hypervisor.guest_type, 0),
	ITEM("hypervisor.uuid", hypervisor.uuid, 0),
	ITEM("hypervisor.features", hypervisor.features, 0),
	ITEM("devicetree.hypervisor", devicetree.hypervisor, 0),
	ITEM("container.proc_vz", container.proc_vz, 1),
	ITEM("container.proc_bc", container.proc_bc, 1),
	ITEM("container.host_manager", container.host_manager, 0),
	ITEM("container.systemd", container.systemd, 0),
	ITEM("container.pid1_env", container.pid1_env, 0),
	ITEM("container.containerenv", container.containerenv, 1),
	ITEM("container.dockerenv", container.dockerenv, 1),
	ITEM("ns.cgroup_self", ns.cgroup_self, 0),
	ITEM("ns.cgroup_pid1", ns.cgroup_pid1, 0),
	ITEM("kernel.osrelease", kernel.osrelease, 0),
	ITEM("freebsd.vm_guest", freebsd.vm_guest, 0),
	ITEM("freebsd.hv_vendor", freebsd.hv_vendor, 0),
	ITEM("freebsd.timecounter", freebsd.timecounter, 0),
	ITEM("freebsd.jailed", freebsd.jailed, 0),
};

typedef int (*platform_add_fn)(void *ctx, const char *key, const char *value);

/* Escape VALUE (printable ASCII, \\ and \xHH) and hand it to ADD. */
static int put(platform_add_fn add, void *ctx, const char *key, const char *value)
{
	char buf[4 * 1024 + 1], *p = buf;
	const unsigned char *s;

	for (s = (const unsigned char *)value; *s && p < buf + sizeof(buf) - 5; s++) {
		if (*s == '\\')
			p += sprintf(p, "\\\\");
		else if (*s < 0x20 || *s > 0x7e)
			p += sprintf(p, "\\x%02x", *s);
		else
			*p++ = (char)*s;
	}
	*p = '\0';
	return add(ctx, key, buf);
}

static int emit_verdict(const struct platform_verdict *v, platform_add_fn add, void *ctx)
{
	int ret = put(add, ctx, "platform.vm", v->vm);

	if (!ret)
		ret = put(add, ctx, "platform.container", v->container);
	if (!ret && v->xen)
		ret = put(add, ctx, "platform.xen.guest_type", v->xen_guest_type);
	if (!ret && v->xen)
		ret = put(add, ctx, "platform.xen.role", v->xen_role);
	if (!ret && v->below)
		ret = put(add, ctx, "platform.below", v->below);
	if (!ret)
		ret = put(add, ctx, "platform.because.vm", v->because_vm);
	if (!ret)
		ret = put(add, ctx, "platform.because.container", v->because_container);
	if (!ret && v->below)
		ret = put(add, ctx, "platform.because.below", v->because_below);
	return ret;
}

static int emit_cpuid(const struct platform_cpuid *c, platform_add_fn add, void *ctx)
{
	static const char *const sources[] = { "unavailable", "cpu", "override" };
	char key[64], sig[PLATFORM_SIG_BYTES + 1];
	unsigned int i;
	int ret = put(add, ctx, "evidence.cpuid.source", sources[c->source]);

	if (ret || c->source == PLATFORM_CPUID_UNAVAILABLE)
		return ret;
	ret = put(add, ctx, "evidence.cpuid.hypervisor_bit", c->hypervisor_bit ? "1" : "0");
	for (i = 0; !ret && i < c->nleaves; i++) {
		snprintf(key, sizeof(key), "evidence.cpuid.0x%08x", c->leaves[i].leaf);
		memcpy(sig, c->leaves[i].sig, PLATFORM_SIG_BYTES);
		sig[PLATFORM_SIG_BYTES] = '\0';
		ret = put(add, ctx, key, sig);
	}
	return ret;
}

static int emit_items(const struct platform_evidence *ev, platform_add_fn add, void *ctx)
{
	char key[64], unreadable[1024] = "";
	size_t i, n = 0;
	int ret = 0;

	for (i = 0; !ret && i < N(item_keys); i++) {
		const struct platform_item *it = item_at(ev, item_keys[i].off);

		snprintf(key, sizeof(key), "evidence.%s", item_keys[i].key);
		if (it->state == PLATFORM_UNREADABLE && n < sizeof(unreadable))
			n += (size_t)snprintf(unreadable + n, sizeof(unreadable) - n, "%s%s",
					      n ? "," : "", item_keys[i].key);
		else if (item_keys[i].exists)
			ret = put(add, ctx, key, present(it) ? "1" : "0");
		else if (present(it))
			ret = put(add, ctx, key, it->value);
	}
	if (!ret && n)
		ret = put(add, ctx, "evidence.unreadable", unreadable);
	return ret;
}

int platform_emit(const struct platform_evidence *ev, const struct platform_verdict *v,
		  int (*add)(void *ctx, const char *key, const char *value), void *ctx)
{
	int ret = emit_verdict(v, add, ctx);

	if (!ret)
		ret = emit_cpuid(&ev->cpuid, add, ctx);
	if (!ret)
		ret = emit_items(ev, add, ctx);
	return ret;
}
