/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * clockcheck.h - how good is the clock every latency is measured with?
 *
 * In a guest the clock itself may be virtualized: where the clocksource
 * has no vDSO path (hpet, acpi_pm, kvm-clock without a stable TSC, Xen,
 * Hyper-V's MSR clock) every read is a syscall or even a VM exit, and each
 * one lands inside every latency fio and vmlat report.  So at job start
 * the engine measures the cost and resolution of fio's clock in this
 * guest, records both in the log header, and warns once when a read costs
 * more than a vDSO read does or resolves worse than a microsecond.
 */
#ifndef VMLAT_CLOCKCHECK_H
#define VMLAT_CLOCKCHECK_H

#include <stdint.h>

struct clock_check {
	uint64_t cost_ns;	/* ns per read: best mean of batches of back-to-back reads */
	uint64_t resolution_ns; /* smallest non-zero step seen between two reads */
	int slow;		/* cost above VMLAT_CLOCK_SLOW_NS: probably a syscall */
	int coarse;		/* resolution above 1 us */
};

/* Above this a read is not a vDSO/TSC read (those cost ~20-40 ns). */
#define VMLAT_CLOCK_SLOW_NS 100
#define VMLAT_CLOCK_COARSE_NS 1000

/* Measure fio's clock in this process (a few ms at most). */
void clock_check_run(struct clock_check *c);

#endif /* VMLAT_CLOCKCHECK_H */
