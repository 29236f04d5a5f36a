/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * syscall_inline.h - a syscall issued inline, the way fio's own engines
 * issue theirs on x86-64 (fio's arch-x86_64.h, __do_syscall6), for the
 * syscalls on the engine's per-IO path: pread/pwrite (vmlat.c) and
 * io_uring_enter (io_uring.c).
 *
 * Why: through the library's function, a call through this DSO's PLT into
 * another DSO's code once per IO, page-cached psync reads ran at 0.95 of
 * fio's psync engine and io_uring 2.5 - 8% slower than inline
 * (BENCHMARKS.md), probably for the code pages touched right after each
 * syscall on a guest whose syscalls cost the thread its TLB.
 *
 * VMLAT_INLINE_SYSCALL is 1 where vmlat_syscall6 exists (x86-64); other
 * architectures call the library's function instead.  vmlat_syscall6
 * returns what the kernel returns: a result, or -errno; errno is untouched.
 */
#ifndef VMLAT_SYSCALL_INLINE_H
#define VMLAT_SYSCALL_INLINE_H

#include <sys/syscall.h>

#if defined(__x86_64__)
#define VMLAT_INLINE_SYSCALL 1

static inline long vmlat_syscall6(long nr, long a1, long a2, long a3, long a4, long a5,
				  long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	/* the kernel clobbers rcx and r11; "memory": it reads and writes buffers */
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#else
#define VMLAT_INLINE_SYSCALL 0
#endif

#endif
