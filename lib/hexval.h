/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hexval.h - the value of one hex digit, for the two readers of "\xHH"
 * escapes (log header text in vlog.c, CPUID signatures in platform.c).
 */
#ifndef VMLAT_HEXVAL_H
#define VMLAT_HEXVAL_H

/* 0..15, or -1 when C is not a hex digit. */
static inline int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif /* VMLAT_HEXVAL_H */
