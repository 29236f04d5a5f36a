# SPDX-License-Identifier: GPL-2.0-or-later
#
# vmlat: a fio engine that times every IO and says where it ran, and the
# `vmlat` command that reads its logs.
#
#   make              build engine/vmlat.so and analysis/vmlat
#   make demo         install what is missing, build, run the Study A matrix, summarise it
#   make check        install what is missing, build, run every test
#   make study        Study A's conditions here: host, QEMU guests (FULL=1: all sizes)
#   make bench        overhead of vmlat against fio's psync, io_uring, libaio (BENCHMARKS.md)
#   make install      PREFIX=/usr/local by default
#
# The engine is compiled against a configured source tree of exactly the
# fio release that will load it (fio shares its structs by layout).  By
# default that tree is Debian's source of the installed fio, fetched into
# build/fio-src; FIO_SRC=DIR uses your own configured tree instead.

VERSION = 0.1.0
CC ?= cc
CFLAGS ?= -O2 -g
FIO ?= fio
PREFIX ?= /usr/local
DESTDIR ?=
BUILD = build
FIO_SRC ?= $(BUILD)/fio-src

override CFLAGS += -std=gnu11 -Wall -Wextra -D_GNU_SOURCE -DVMLAT_VERSION='"$(VERSION)"'
# The flags that built the engine go into every log header (engine.cflags);
# words with quotes (the -D strings) cannot travel inside one C string.
BUILD_CFLAGS = $(strip $(foreach w,$(CFLAGS),$(if $(findstring ",$(w)),,$(w))))

OS := $(shell uname -s | tr A-Z a-z)
LIB_SRC = lib/vlog.c lib/vlog_read.c lib/vlog_write.c lib/platform.c lib/platform_$(OS).c
LIB_SRC += lib/probes.c lib/probes_bitop.c lib/probes_mem.c lib/probes_tcp.c lib/probes_$(OS).c
LIB_SRC += lib/runctx.c lib/runctx_$(OS).c lib/vsteal.c
ENGINE_SRC = engine/vmlat.c engine/options.c engine/loghdr.c engine/clockcheck.c \
	engine/ctx.c engine/ctx_linux.c engine/probe_once.c engine/steal.c \
	engine/guard.c engine/guard_linux.c engine/guard_open.c engine/io_async.c

# vmlat_io=io_uring and libaio: built when liburing-dev / libaio-dev are
# installed (scripts/deps.sh installs them); without them the engine is
# psync-only and says so (--enghelp, and a job asking for the missing mode).
# HAVE_LIBURING=0 / HAVE_LIBAIO=0 build without them on purpose.
have_lib = $(shell printf '#include <$(1)>\nint main(void){return 0;}\n' | \
	$(CC) -x c - -o /dev/null -l$(2) >/dev/null 2>&1 && echo 1 || echo 0)
ifndef HAVE_LIBURING
HAVE_LIBURING := $(call have_lib,liburing.h,uring)
endif
ifndef HAVE_LIBAIO
HAVE_LIBAIO := $(call have_lib,libaio.h,aio)
endif
ifeq ($(HAVE_LIBURING),1)
ENGINE_SRC += engine/io_uring.c
ENGINE_DEFS += -DVMLAT_HAVE_LIBURING
ENGINE_LIBS += -luring
endif
ifeq ($(HAVE_LIBAIO),1)
ENGINE_SRC += engine/io_libaio.c
ENGINE_DEFS += -DVMLAT_HAVE_LIBAIO
ENGINE_LIBS += -laio
endif

# analysis/: the commands (vmlat.c, one file per subcommand, dump and
# detect whole) over core/ (loading, grouping, statistics), report/ and
# plot/ (both on core), and html/ (the page, on report and plot);
# batch/ is the orchestrator of `vmlat batch`, beside analysis/.
# Includes name the folder from analysis/ ("core/load.h"): -Ianalysis.
ANALYSIS_DIRS = analysis analysis/core analysis/report analysis/plot analysis/html
CLI_SRC = $(foreach d,$(ANALYSIS_DIRS) batch,$(wildcard $(d)/*.c))
HDRS = $(wildcard lib/*.h engine/*.h batch/*.h $(addsuffix /*.h,$(ANALYSIS_DIRS)))
# the loading, grouping and statistics code that report and plot share
ANALYSIS_LIB = $(wildcard analysis/core/*.c)
# .incbin resolves against the assembler's directory: give it an absolute one
GP_DIR = $(CURDIR)/analysis/plot/gp
UNIT_TESTS = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

ENGINE = engine/vmlat.so
CLI = analysis/vmlat

all: $(ENGINE) $(CLI)

# fio's headers are not ours to warn about: -isystem keeps -Wextra on our code.
# -z now resolves every symbol at load time, not on the first IO.
$(ENGINE): $(ENGINE_SRC) $(LIB_SRC) $(HDRS) $(BUILD)/fio-version
	$(CC) $(CFLAGS) -fPIC -shared -fvisibility=hidden \
		-include $(FIO_SRC)/config-host.h -isystem $(FIO_SRC) \
		-DVMLAT_CFLAGS='"$(BUILD_CFLAGS) -fPIC -shared -fvisibility=hidden"' \
		$(ENGINE_DEFS) -Wl,-z,now -o $@ $(ENGINE_SRC) $(LIB_SRC) $(ENGINE_LIBS) -lblkid -lpthread

# analysis/plot/gp/*.gp: gnuplot templates built into vmlat (plot/plot_tmpl.c)
$(CLI): $(CLI_SRC) $(LIB_SRC) $(HDRS) $(wildcard $(GP_DIR)/*.gp)
	$(CC) $(CFLAGS) -Ilib -Ianalysis -DPLOT_GP_DIR='"$(GP_DIR)"' \
		-o $@ $(CLI_SRC) $(LIB_SRC) -ljansson -lm -pthread

# Re-checked on every build: fio may have been upgraded since the last one.
# The file changes (and the engine is rebuilt) only when the version does.
$(BUILD)/fio-version: FORCE
	@mkdir -p $(BUILD)
	@FIO_SRC_DEFAULT=$(if $(filter $(BUILD)/fio-src,$(FIO_SRC)),1,0) \
		scripts/fio-check.sh $(FIO_SRC) $(FIO) $@

$(BUILD)/tests/%: tests/unit/%.c $(LIB_SRC) $(ANALYSIS_LIB) $(HDRS)
	@mkdir -p $(BUILD)/tests
	$(CC) $(CFLAGS) -Ilib -Iengine -o $@ $< $(LIB_SRC) $(if $(findstring guard,$*),engine/guard.c engine/guard_linux.c -lblkid) \
		$(if $(findstring analysis,$*),-Ianalysis $(ANALYSIS_LIB) -ljansson -lm -pthread) -lcmocka

# libFuzzer targets, one per loader (clang); tests/fuzz/fuzz.h says how
FUZZERS = $(patsubst tests/fuzz/fuzz_%.c,$(BUILD)/fuzz/fuzz_%,$(wildcard tests/fuzz/fuzz_*.c))
fuzz: $(FUZZERS)
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(ANALYSIS_LIB) $(LIB_SRC) $(HDRS)
	@mkdir -p $(BUILD)/fuzz
	clang -g -O1 -std=gnu11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -Ilib -Ianalysis \
		-o $@ $< $(ANALYSIS_LIB) $(LIB_SRC) -ljansson -lm -pthread

deps:
	@scripts/deps.sh

check: deps
	@$(MAKE) --no-print-directory all unit-tests
	@LC_ALL=C tests/run.sh

unit-tests: $(UNIT_TESTS)

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

# Boots QEMU guests (scripts/deps.sh guests installs QEMU); scripts/study.sh --help
study: deps
	@scripts/deps.sh guests
	@$(MAKE) --no-print-directory all
	@scripts/study.sh $(if $(filter 1,$(FULL)),--full)

bench: deps
	@$(MAKE) --no-print-directory all
	@scripts/bench.sh
	@scripts/bench-async.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/lib/vmlat $(DESTDIR)$(PREFIX)/bin
	install -m 0644 $(ENGINE) $(DESTDIR)$(PREFIX)/lib/vmlat/vmlat.so
	install -m 0755 $(CLI) $(DESTDIR)$(PREFIX)/bin/vmlat
	scripts/install-jobs.sh jobs $(DESTDIR)$(PREFIX)/share/vmlat/jobs $(PREFIX)/lib/vmlat/vmlat.so
	install -D -m 0644 doc/vmlat.1 $(DESTDIR)$(PREFIX)/share/man/man1/vmlat.1

clean:
	rm -f $(ENGINE) $(CLI)
	rm -rf $(BUILD)/tests $(BUILD)/fio-version $(BUILD)/demo

# also forgets the fetched fio source
distclean: clean
	rm -rf $(BUILD)

FORCE:
.PHONY: all deps check unit-tests demo study bench install clean distclean fuzz FORCE
