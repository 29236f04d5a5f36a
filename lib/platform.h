/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * platform.h - where does this run: which hypervisor, which container.
 *
 * A latency measured in a guest means little without knowing the guest, so
 * every vmlat log says where it was taken, and `vmlat detect` says the
 * same thing on the command line.  Both go through this header, in three
 * steps kept apart on purpose:
 *
 *   platform_gather()  reads the raw evidence (files, sysctls, CPUID) into
 *                      a plain struct, and nothing else.  One file per OS:
 *                      platform_linux.c, platform_freebsd.c.
 *   platform_decide()  turns evidence into a verdict.  Pure: no IO, so
 *                      every rule is tested with fixture trees and a fake
 *                      CPUID (tests/fixtures/platform/) on any machine.
 *   platform_emit()    writes evidence and verdict as "key=value" pairs.
 *                      The log header and `vmlat detect` both print what
 *                      this function gives them, so they cannot disagree.
 *
 * Detection is data: static tables of CPUID signatures, DMI vendor
 * prefixes and container names in platform.c, one small function per
 * evidence source, and one documented order of precedence, the one of
 * systemd's src/basic/virt.c (see platform_decide()).  The raw evidence
 * is always kept next to the verdict: when a new hypervisor fools the
 * rules, the log still holds what was seen.
 *
 * THE CPUID SCAN RULE
 *
 * Only when leaf 1 ECX bit 31 (the "hypervisor" bit) is set, leaves
 * 0x40000000, 0x40000100, ... 0x4000FF00 are read in order; a hypervisor
 * that offers another one's interface (KVM or Xen with Hyper-V
 * enlightenments) shows "Microsoft Hv" at 0x40000000 and its own
 * signature at the next range.  A leaf is kept when its 12-byte signature
 * (EBX, ECX, EDX) is non-empty, printable ASCII up to its first NUL and
 * NUL after it, and its EAX (the highest leaf of that range) is 0 (old
 * KVM) or within [leaf, leaf + 0xff].  The scan stops at the first leaf
 * that fails: past the last range, Intel CPUs return the data of the
 * highest basic leaf, which is garbage here, and AMD returns zeros.  With
 * the bit clear no leaf is read at all, because the same garbage is all
 * there is.
 *
 * EVIDENCE ITEMS
 *
 * Every item is a struct platform_item: a file's first line (cut at the
 * first newline or NUL, at most PLATFORM_VALUE_BYTES - 1 bytes, trailing
 * "\r" removed) or, for items marked (exists), only whether the path
 * exists.  State ABSENT means the file does not exist (normal: most of
 * them only exist on some platforms, and a --sysroot tree holds only a
 * few); UNREADABLE means it exists but could not be read (for example
 * /proc/1/environ without CAP_SYS_PTRACE).  The key platform_emit() gives
 * each item, and where Linux finds it:
 *
 *   evidence.dmi.product_name      /sys/class/dmi/id/product_name
 *   evidence.dmi.sys_vendor        /sys/class/dmi/id/sys_vendor
 *   evidence.dmi.board_vendor      /sys/class/dmi/id/board_vendor
 *   evidence.dmi.bios_vendor       /sys/class/dmi/id/bios_vendor
 *   evidence.dmi.product_version   /sys/class/dmi/id/product_version
 *   evidence.xen.proc_xen          /proc/xen (exists)
 *   evidence.xen.capabilities      /proc/xen/capabilities
 *   evidence.hypervisor.type       /sys/hypervisor/type
 *   evidence.hypervisor.guest_type /sys/hypervisor/guest_type
 *   evidence.hypervisor.uuid       /sys/hypervisor/uuid
 *   evidence.hypervisor.features   /sys/hypervisor/properties/features
 *   evidence.devicetree.hypervisor /proc/device-tree/hypervisor/compatible
 *                                  (first string; exists on arm, ppc, riscv)
 *   evidence.container.proc_vz     /proc/vz (exists)
 *   evidence.container.proc_bc     /proc/bc (exists)
 *   evidence.container.host_manager /run/host/container-manager
 *   evidence.container.systemd     /run/systemd/container
 *   evidence.container.pid1_env    value of container= in /proc/1/environ
 *                                  (ABSENT also when PID 1 has no such variable)
 *   evidence.container.containerenv /run/.containerenv (exists)
 *   evidence.container.dockerenv   /.dockerenv (exists)
 *   evidence.ns.cgroup_self        readlink /proc/self/ns/cgroup
 *   evidence.ns.cgroup_pid1        readlink /proc/1/ns/cgroup
 *   evidence.kernel.osrelease      /proc/sys/kernel/osrelease
 *
 * and on FreeBSD, from sysctlbyname():
 *
 *   evidence.freebsd.vm_guest      kern.vm_guest
 *   evidence.freebsd.hv_vendor     hw.hv_vendor
 *   evidence.freebsd.timecounter   kern.timecounter.hardware
 *   evidence.freebsd.jailed        security.jail.jailed
 *
 * The two cgroup namespace links are kept raw and decide nothing: a
 * difference says this process entered another cgroup namespace than
 * PID 1 of its PID namespace, not that PID 1 is in a container (inside
 * Docker both are the container's).
 */
#ifndef VMLAT_PLATFORM_H
#define VMLAT_PLATFORM_H

#include <stdint.h>

#define PLATFORM_VALUE_BYTES 128	/* longest kept value + NUL */
#define PLATFORM_SIG_BYTES 12		/* a CPUID signature: EBX, ECX, EDX */
#define PLATFORM_CPUID_BASE 0x40000000u /* first hypervisor leaf */
#define PLATFORM_CPUID_STEP 0x100u	/* distance between hypervisor ranges */
#define PLATFORM_CPUID_RANGES 256	/* 0x40000000 .. 0x4000FF00 */
#define PLATFORM_BECAUSE_BYTES 192	/* a verdict's reason + NUL */

enum platform_state {
	PLATFORM_ABSENT = 0,	 /* no such file (or no such variable) */
	PLATFORM_PRESENT = 1,	 /* exists; value holds its first line */
	PLATFORM_UNREADABLE = 2, /* exists but could not be read */
};

struct platform_item {
	enum platform_state state;
	char value[PLATFORM_VALUE_BYTES];
};

enum platform_cpuid_source {
	PLATFORM_CPUID_UNAVAILABLE = 0, /* not x86, and no override */
	PLATFORM_CPUID_CPU = 1,		/* the CPUID instruction */
	PLATFORM_CPUID_OVERRIDE = 2,	/* platform_cpuid_parse() */
};

struct platform_cpuid_leaf {
	uint32_t leaf;			/* 0x40000000 + k * 0x100 */
	char sig[PLATFORM_SIG_BYTES];	/* raw bytes, NUL-padded, no terminator */
};

struct platform_cpuid {
	enum platform_cpuid_source source;
	int hypervisor_bit;		/* leaf 1 ECX bit 31 */
	unsigned int nleaves;		/* leaves kept by the scan rule, in order */
	struct platform_cpuid_leaf leaves[PLATFORM_CPUID_RANGES];
};

/* Everything raw (about 8 KiB: allocate it, or keep it off small stacks). */
struct platform_evidence {
	struct platform_cpuid cpuid;
	struct {
		struct platform_item product_name, sys_vendor, board_vendor,
			bios_vendor, product_version;
	} dmi;
	struct {
		struct platform_item proc_xen, capabilities;
	} xen;
	struct {
		struct platform_item type, guest_type, uuid, features;
	} hypervisor;
	struct {
		struct platform_item hypervisor;
	} devicetree;
	struct {
		struct platform_item proc_vz, proc_bc, host_manager, systemd,
			pid1_env, containerenv, dockerenv;
	} container;
	struct {
		struct platform_item cgroup_self, cgroup_pid1;
	} ns;
	struct {
		struct platform_item osrelease;
	} kernel;
	struct {
		struct platform_item vm_guest, hv_vendor, timecounter, jailed;
	} freebsd;
};

/*
 * The verdict.  Every string is a static constant, never NULL.
 *
 *   vm         none, kvm, qemu, xen, vmware, microsoft, bhyve, oracle,
 *              parallels, amazon, google, acrn, qnx, apple, vm-other
 *   container  none, openvz, lxc, lxc-libvirt, docker, podman,
 *              systemd-nspawn, wsl, container-other
 *
 * These are systemd-detect-virt's names; what systemd names and vmlat
 * does not (bochs, uml, zvm, powervm, sre; rkt, proot, pouch) is vm-other
 * or container-other.  xen is 1 when this is a Xen domain: vm is xen, or
 * a Xen dom0 runs nested inside the hypervisor vm names.  Then
 * xen_guest_type is PV, HVM, PVH or unknown, and xen_role dom0, domU or
 * unknown.  because_* name the evidence that decided each layer, by the
 * keys platform_emit() gives it, without the "evidence." prefix.
 *
 * below is the hypervisor under a Xen domain, or NULL when none shows:
 * Xen runs nested (in QEMU, under KVM, in a cloud VM) and the domain sees
 * the outer one too.  A PV domain's CPUID is not trapped on CPUs without
 * CPUID faulting (nor under an emulator), and a dom0 reads the machine's
 * own DMI, so both show what Xen itself runs on: the first known CPUID
 * signature that is neither Xen's nor "Microsoft Hv", else a DMI vendor
 * other than Xen.  systemd-detect-virt --vm in such a dom0 names only
 * that outer layer; vm stays xen, as every IO still goes through Xen.
 */
struct platform_verdict {
	const char *vm;
	const char *container;
	int xen;
	const char *xen_guest_type;
	const char *xen_role;
	char because_vm[PLATFORM_BECAUSE_BYTES];
	char because_container[PLATFORM_BECAUSE_BYTES];
	const char *below;
	char because_below[PLATFORM_BECAUSE_BYTES];
};

/* platform_evidence_init - empty evidence: every item ABSENT, no CPUID. */
void platform_evidence_init(struct platform_evidence *ev);

/*
 * platform_gather - read the evidence of the running system (platform_linux.c
 * or platform_freebsd.c).  EV is initialized first.
 *
 * SYSROOT: read every file under this directory instead of "/" (NULL or
 * "/" = the live system).  Missing or unreadable files are evidence, not
 * errors.  CPUID_OVERRIDE: NULL reads the CPU (x86 only; elsewhere the
 * cpuid source is UNAVAILABLE); otherwise platform_cpuid_parse() syntax.
 *
 * Returns 0; -ENOENT or -ENOTDIR when SYSROOT is not a directory;
 * -ENAMETOOLONG when a path under it is too long; platform_cpuid_parse()'s
 * errors for a bad override.  On FreeBSD a SYSROOT other than "/" gives
 * -EOPNOTSUPP: sysctls have no file tree.
 */
int platform_gather(const char *sysroot, const char *cpuid_override,
		    struct platform_evidence *ev);

/*
 * platform_cpuid_read - fill EV's CPUID part from the CPU by the scan rule
 * above.  CPUID depends on the architecture, not the OS, so both gatherers
 * share this one.  Returns 0, or -EOPNOTSUPP when not built for x86 (the
 * source stays UNAVAILABLE).
 */
int platform_cpuid_read(struct platform_evidence *ev);

/*
 * platform_cpuid_get - what both gatherers do for CPUID: fill EV's CPUID
 * part from OVERRIDE (platform_cpuid_parse() syntax) when it is not NULL,
 * else from the CPU (off x86 the source stays UNAVAILABLE).  Returns 0 or
 * platform_cpuid_parse()'s error.
 */
int platform_cpuid_get(struct platform_evidence *ev, const char *override);

/*
 * platform_cpuid_parse - fill EV's CPUID part from SPEC instead of the CPU:
 *
 *   "none"            hypervisor bit clear, no leaves
 *   "SIG[,SIG...]"    hypervisor bit set; the signatures of 0x40000000,
 *                     0x40000100, ... in order
 *
 * A signature is up to 12 bytes and is NUL-padded: "KVMKVMKVM" means
 * KVMKVMKVM\0\0\0.  "\xHH" writes any byte (\x20 a trailing space that
 * an editor would strip, \x2c a comma, \x00 a NUL) and "\\" a backslash.
 * The signatures then pass the same scan rule as the CPU's (EAX counts as
 * valid), so "\x00" is "hypervisor bit set, no signature" and nothing
 * after an empty or garbage one is kept.
 *
 * Returns 0; -E2BIG when a signature is longer than 12 bytes; -EINVAL for
 * an empty signature, a bad escape, or more than 256 of them.
 */
int platform_cpuid_parse(struct platform_evidence *ev, const char *spec);

/*
 * platform_decide - the verdict from the evidence.  Pure and total: any
 * evidence gives a verdict (missing evidence means "none").  Returns 0.
 *
 * VM, in this order, first match wins (systemd's detect_vm()):
 *   1. DMI, when it says oracle, xen, amazon, parallels or google: these
 *      may also show a KVM CPUID signature, or cloak as Hyper-V.
 *      DMI = the five dmi.* items in the order above, first line, prefix
 *      match against a vendor table; the first item that matches decides.
 *      Amazon EC2 with ".metal" at the end of product_name or before a
 *      "-" (m5.metal, m7i.metal-24xl) is bare metal: DMI then says nothing.
 *   2. Xen PV: hypervisor.guest_type is PV.  A PV guest does not trap
 *      CPUID, so CPUID can only name an outer hypervisor.
 *   3. Xen: /proc/xen exists and this is not dom0 (dom0: bit 11 of
 *      hypervisor.features, or xen.capabilities lists control_d).
 *   4. CPUID: the first kept leaf with a known signature other than
 *      "Microsoft Hv".
 *   5. Xen dom0 (step 3's): xen.  systemd says "none" here, as a dom0
 *      holds the hardware; vmlat says xen with role dom0, because every IO
 *      of a dom0 still runs under the Xen scheduler.
 *   6. DMI, any other vendor (Bochs is vm-other).
 *   7. hypervisor.type: xen is xen.
 *   8. devicetree.hypervisor: linux,kvm is kvm; containing xen, vmware:
 *      xen, vmware.
 *   9. freebsd.vm_guest: the FreeBSD kernel's own verdict.
 *  10. Fallback: "Microsoft Hv" seen in CPUID: microsoft (Hyper-V itself,
 *      as nothing else claimed the enlightenments); the hypervisor bit, an
 *      unknown signature, another hypervisor.type or device tree: vm-other;
 *      else none.
 *
 * Container, in this order (systemd's detect_container()):
 *   1. /proc/vz exists and /proc/bc does not: openvz (the host has both).
 *   2. kernel.osrelease contains "Microsoft" or "WSL": wsl.
 *   3. container.host_manager, container.systemd, container.pid1_env, the
 *      first non-empty one, by name: lxc, lxc-libvirt, systemd-nspawn,
 *      docker, podman, wsl; "oci" asks step 4 and is container-other
 *      without an answer; any other name is container-other.
 *   4. /run/.containerenv: podman; /.dockerenv: docker (weakest: the file
 *      can end up in any image).
 *   5. freebsd.jailed is 1: container-other (a jail).
 *   6. none.
 */
int platform_decide(const struct platform_evidence *ev, struct platform_verdict *v);

/*
 * platform_emit - call ADD(CTX, key, value) for the verdict and every item
 * of evidence, in this order; stop at the first non-zero return of ADD and
 * return it, else return 0.
 *
 *   platform.vm                    V->vm
 *   platform.container             V->container
 *   platform.xen.guest_type        only when V->xen
 *   platform.xen.role              only when V->xen
 *   platform.below                 only when V->below: the layer under Xen
 *   platform.because.vm
 *   platform.because.container
 *   platform.because.below         only when V->below
 *   evidence.cpuid.source          cpu, override or unavailable
 *   evidence.cpuid.hypervisor_bit  0 or 1; not when unavailable
 *   evidence.cpuid.0x40000000 ...  each kept leaf (8 hex digits), its
 *                                  signature without the NUL padding
 *   evidence.*                     each item of the table above: exists
 *                                  items 0 or 1; others their value, and
 *                                  no key when ABSENT or UNREADABLE
 *   evidence.unreadable            the keys (without "evidence.") of the
 *                                  UNREADABLE items, comma-separated;
 *                                  no key when there are none
 *
 * So an absent file has no key, and an empty file an empty value.  Every
 * value is printable ASCII: bytes outside 0x20..0x7e are written \xHH and
 * a backslash as \\, so a value goes as it is into a log header line, a
 * terminal or a JSON string.
 */
int platform_emit(const struct platform_evidence *ev, const struct platform_verdict *v,
		  int (*add)(void *ctx, const char *key, const char *value), void *ctx);

#endif /* VMLAT_PLATFORM_H */
