/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * guard.h - is it safe to write over this block device?
 *
 * A latency test that writes to the wrong disk destroys it, and fio will
 * happily do so.  Before a job writes or trims, the engine asks this module
 * whether the target holds anything recognisable; it refuses when it does,
 * unless the user set vmlat_allow_overwrite=1.
 *
 * "Recognisable" means two kinds of evidence, all of them reported:
 *   - what is ON the device: a filesystem, RAID/LVM member, crypto volume,
 *     swap or partition table signature, read by libblkid (portable);
 *   - who is USING it: mounted (the device or, for a whole disk, any of its
 *     partitions), active swap, claimed by a stacked driver such as
 *     device-mapper or md, or held open exclusively.  Each kernel answers
 *     these differently, so they live behind guard_os.h.
 * The check can only be as good as the evidence: an unformatted device
 * that a database writes raw looks empty here.
 *
 * Regular files are never refused: writing a file fio created or was
 * pointed at destroys nothing a filesystem does not already protect.
 */
#ifndef VMLAT_GUARD_H
#define VMLAT_GUARD_H

#include <stddef.h>

/*
 * vmlat_guard_check - does writing to PATH destroy something we recognise?
 *
 * Returns 0 when it does not: PATH is not a block device, or it is one with
 * no signature that nobody uses.  Returns 1 when it does: WHY then says what
 * was found on which device, several findings joined with "; ", e.g.
 * "/dev/loop3 holds an ext4 filesystem (UUID ...); /dev/loop3 is mounted on
 * /mnt/x".  Returns -errno when the check itself cannot be done (PATH does
 * not exist, cannot be probed, /proc or /sys cannot be read); WHY then says
 * why, as "cannot ACT 'WHAT': REASON".  PATH may be a symlink to a device
 * (/dev/disk/by-id/...); it is followed.  WHY is always NUL-terminated and
 * truncated to WHY_LEN; it may be NULL when WHY_LEN is 0.
 */
int vmlat_guard_check(const char *path, char *why, size_t why_len);

#endif /* VMLAT_GUARD_H */
