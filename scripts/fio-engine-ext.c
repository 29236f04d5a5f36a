// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fio-engine-ext.c - the control of scripts/bench-async.sh (CONTROL=1):
 * one of fio's own engines, its source unchanged (ENGINE_SRC, from the
 * fio tree the engine was built against), built as an external ioengine
 * the way vmlat.so is, so that what it costs to be an external engine (a
 * DSO of its own, its code laid out apart from fio's) can be told apart
 * from what vmlat's own work costs.  fio finds it through get_ioengine()
 * (ioengines.c, dlopen_ioengine); the engine's own constructor also adds
 * it to fio's list under its usual name, after the built-in one, which
 * `ioengine=NAME` keeps finding first.
 *
 *   cc -O2 -std=gnu11 -D_GNU_SOURCE -DFIO_INTERNAL -fPIC -shared \
 *      -include FIO_SRC/config-host.h -IFIO_SRC \
 *      -DENGINE_SRC='"engines/io_uring.c"' -DENGINE_OPS=ioengine_uring \
 *      -o fio-ext-io_uring.so scripts/fio-engine-ext.c
 */
#include ENGINE_SRC

__attribute__((visibility("default"))) void get_ioengine(struct ioengine_ops **ops);

void get_ioengine(struct ioengine_ops **ops)
{
	*ops = &ENGINE_OPS;
}
