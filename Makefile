# SPDX-License-Identifier: GPL-2.0-or-later
#
# vmlat: a fio engine that times every IO and says where it ran, and the
# `vmlat` command that reads its logs.
#
#   make              build engine/vmlat.so and analysis/vmlat
#   make demo         install what is missing, build, run the Study A matrix, summarise it
#   make check        install what is missing, build, run every test
#   make study        Study A's conditions here: host, QEMU guests (FULL=1: all sizes;
#                     XEN=1: also a Xen PV domU, under Xen under QEMU)
#   make bench        overhead of vmlat against fio's psync, io_uring, libaio (BENCHMARKS.md)
#   make fuzz-long    every fuzz target for FUZZ_SECONDS (3600) each (FUZZING.md)
#   make install      PREFIX=/usr/local by default
#   make deb          a Debian package for the installed fio (build/vmlat_*.deb)
#   make check-fio-new  the engine's integration tests against sid's fio, built here
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
LIB_SRC = lib/vlog.c lib/vlog_read.c lib/vlog_write.c lib/vlog_prep.c lib/platform.c lib/platform_$(OS).c
LIB_SRC += lib/probes.c lib/probes_bitop.c lib/probes_mem.c lib/probes_tcp.c lib/probes_$(OS).c
LIB_SRC += lib/runctx.c lib/runctx_$(OS).c lib/vsteal.c lib/strv.c lib/vtags.c
ENGINE_SRC = engine/vmlat.c engine/options.c engine/loghdr.c engine/clockcheck.c \
	engine/ctx.c engine/ctx_linux.c engine/probe_once.c engine/steal.c \
	engine/guard.c engine/guard_linux.c engine/guard_open.c engine/io_async.c engine/fio_release.c

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

# Object files, with the headers each includes as make rules (-MMD): a
# header change recompiles only the files that include it.  lib/ is built
# twice, position-independent with fio's headers into the engine, and
# plain into the CLI, so each side has its own tree under build/obj/.
# The engine's objects depend on which async libraries it is built with
# (HAVE_LIBURING, HAVE_LIBAIO: -D flags), so each choice has its own folder.
ENGINE_OBJDIR = $(BUILD)/obj/engine-uring$(HAVE_LIBURING)-aio$(HAVE_LIBAIO)
ENGINE_OBJ = $(patsubst %.c,$(ENGINE_OBJDIR)/%.o,$(ENGINE_SRC) $(LIB_SRC))
CLI_OBJ = $(patsubst %.c,$(BUILD)/obj/cli/%.o,$(CLI_SRC) $(LIB_SRC))
DEPFLAGS = -MMD -MP

ENGINE = engine/vmlat.so
CLI = analysis/vmlat

all: $(ENGINE) $(CLI)

# fio's headers are not ours to warn about: -isystem keeps -Wextra on our code.
# -z now resolves every symbol at load time, not on the first IO.
ENGINE_CFLAGS = $(CFLAGS) -fPIC -fvisibility=hidden \
	-include $(FIO_SRC)/config-host.h -isystem $(FIO_SRC) \
	-DVMLAT_CFLAGS='"$(BUILD_CFLAGS) -fPIC -shared -fvisibility=hidden"' \
	-DVMLAT_FIO_RELEASE="\"$$(cat $(BUILD)/fio-version)\"" $(ENGINE_DEFS)

$(ENGINE_OBJDIR)/%.o: %.c $(BUILD)/fio-version
	@mkdir -p $(@D)
	$(CC) $(ENGINE_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(ENGINE): $(ENGINE_OBJ)
	$(CC) $(CFLAGS) -shared -Wl,-z,now -o $@ $(ENGINE_OBJ) $(ENGINE_LIBS) -lblkid -lpthread

$(BUILD)/obj/cli/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Ilib -Ianalysis -DPLOT_GP_DIR='"$(GP_DIR)"' $(DEPFLAGS) -c -o $@ $<

# analysis/plot/gp/*.gp: gnuplot templates built into vmlat by .incbin,
# which -MMD does not see
$(BUILD)/obj/cli/analysis/plot/plot_tmpl.o: $(wildcard $(GP_DIR)/*.gp)

$(CLI): $(CLI_OBJ)
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) -ljansson -lm -pthread

-include $(ENGINE_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

# Re-checked on every build: fio may have been upgraded since the last one.
# The file changes (and the engine is rebuilt) only when the version does.
$(BUILD)/fio-version: FORCE
	@mkdir -p $(BUILD)
	@FIO_SRC_DEFAULT=$(if $(filter $(BUILD)/fio-src,$(FIO_SRC)),1,0) \
		scripts/fio-check.sh $(FIO_SRC) $(FIO) $@

$(BUILD)/tests/%: tests/unit/%.c $(LIB_SRC) $(ANALYSIS_LIB) $(HDRS)
	@mkdir -p $(BUILD)/tests
	$(CC) $(CFLAGS) -Ilib -Iengine -o $@ $< $(LIB_SRC) $(if $(findstring guard,$*),engine/guard.c engine/guard_linux.c -lblkid) \
		$(if $(findstring analysis,$*),-Ianalysis $(ANALYSIS_LIB) -ljansson -lm) -lcmocka -pthread

# The CLI tests' helper programs (tests/cli/mk*.c): logs and fio logs of
# known content, written by lib/vlog's own writer
TEST_HELPERS = $(patsubst tests/cli/%.c,$(BUILD)/tests/%,$(wildcard tests/cli/mk*.c))
VLOG_OBJ = $(patsubst %.c,$(BUILD)/obj/cli/%.o,lib/vlog.c lib/vlog_read.c lib/vlog_write.c lib/vlog_prep.c)
$(BUILD)/tests/mk%: tests/cli/mk%.c $(VLOG_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Ilib -o $@ $< $(VLOG_OBJ) -pthread

# The fuzz corpus replayed by tests/cli/test_fuzz_corpus.sh: each fuzz
# target with tests/fuzz/replay.c for a main(), under ASan and UBSan where
# the compiler has them (REPLAY_SAN= builds without)
REPLAY_SAN ?= -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=undefined,float-cast-overflow
# stats_compute's thresholds made tiny, so fuzz inputs select, refine and
# take the threads; the fio log reader's pass 1 on every core checked
# against its one-thread pass on every input
FUZZ_STATS = -DSTATS_SELECT_MIN=2 -DSTATS_GATHER_MAX=3 -DSTATS_PAR_MIN=4 -DFIOLOG_SCAN_CHECK
REPLAYS = $(patsubst tests/fuzz/fuzz_%.c,$(BUILD)/fuzz-replay/replay_%,$(wildcard tests/fuzz/fuzz_*.c))
fuzz-replay: $(REPLAYS)
$(BUILD)/fuzz-replay/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h \
		$(ANALYSIS_LIB) $(LIB_SRC) $(HDRS)
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O1 -g -D_GNU_SOURCE $(REPLAY_SAN) $(FUZZ_STATS) -Ilib -Ianalysis -o $@ $< \
		tests/fuzz/replay.c $(ANALYSIS_LIB) $(LIB_SRC) -ljansson -lm -pthread

# libFuzzer targets, one per loader (clang); tests/fuzz/fuzz.h says how
FUZZERS = $(patsubst tests/fuzz/fuzz_%.c,$(BUILD)/fuzz/fuzz_%,$(wildcard tests/fuzz/fuzz_*.c))
fuzz: $(FUZZERS)
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(ANALYSIS_LIB) $(LIB_SRC) $(HDRS)
	@mkdir -p $(BUILD)/fuzz
	clang -g -O1 -std=gnu11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined $(FUZZ_STATS) -Ilib -Ianalysis \
		-o $@ $< $(ANALYSIS_LIB) $(LIB_SRC) -ljansson -lm -pthread

# make check runs each target a few seconds (tests/cli/test_fuzz.sh);
# this runs each for FUZZ_SECONDS, one after another, and logs the run in
# build/fuzz/runs.log (tests/fuzz/fuzz.sh)
FUZZ_SECONDS ?= 3600
fuzz-long: deps
	@$(MAKE) --no-print-directory fuzz
	@tests/fuzz/fuzz.sh $(FUZZ_SECONDS)

deps:
	@scripts/deps.sh

# Every test, script and guest runs the fio the build was made for (FIO),
# never whichever is first on PATH; tests/lib.sh reads these.
TEST_ENV = FIO="$$(readlink -f "$$(command -v $(FIO))")" FIO_SRC="$(abspath $(FIO_SRC))" \
	BUILD="$(abspath $(BUILD))" ENGINE="$(abspath $(ENGINE))"

check: deps
	@$(MAKE) --no-print-directory all unit-tests
	@$(TEST_ENV) LC_ALL=C tests/run.sh

# The engine's integration tests against the newest fio Debian serves as
# source (sid), built from that source into build/fio-new (cached; rebuilt
# when sid moves on) with an engine of its own; bookworm's fio stays the
# default of everything else.  .ci/run calls it after make check.
FIO_NEW = $(BUILD)/fio-new
check-fio-new: deps
	@scripts/deps.sh fio-build
	@scripts/fio-src.sh --suite sid $(FIO_NEW)/src
	@$(MAKE) --no-print-directory all FIO=$(abspath $(FIO_NEW))/src/fio FIO_SRC=$(FIO_NEW)/src \
		BUILD=$(FIO_NEW) ENGINE=$(FIO_NEW)/vmlat.so
	@$(MAKE) --no-print-directory FIO=$(abspath $(FIO_NEW))/src/fio FIO_SRC=$(FIO_NEW)/src \
		BUILD=$(FIO_NEW) ENGINE=$(FIO_NEW)/vmlat.so check-integration

# only the tests that run fio (tests/integration/), for the fio of FIO
check-integration:
	@$(TEST_ENV) LC_ALL=C tests/run.sh tests/integration/

unit-tests: $(UNIT_TESTS) $(TEST_HELPERS)

demo: deps
	@$(MAKE) --no-print-directory all
	@FIO="$(FIO)" scripts/demo.sh

# Boots QEMU guests (scripts/deps.sh guests installs QEMU); scripts/study.sh --help
study: deps
	@scripts/deps.sh guests
	@$(if $(filter 1,$(XEN)),scripts/deps.sh xen)
	@$(MAKE) --no-print-directory all
	@FIO="$(FIO)" scripts/study.sh $(if $(filter 1,$(FULL)),--full) $(if $(filter 1,$(XEN)),--xen)

bench: deps
	@$(MAKE) --no-print-directory all
	@FIO="$(FIO)" scripts/bench.sh
	@FIO="$(FIO)" scripts/bench-async.sh

# where make install puts the engine (the job files name this path)
ENGINE_PATH ?= $(PREFIX)/lib/vmlat/vmlat.so

install: all
	install -d $(DESTDIR)$(dir $(ENGINE_PATH)) $(DESTDIR)$(PREFIX)/bin
	install -m 0644 $(ENGINE) $(DESTDIR)$(ENGINE_PATH)
	install -m 0755 $(CLI) $(DESTDIR)$(PREFIX)/bin/vmlat
	scripts/install-jobs.sh jobs $(DESTDIR)$(PREFIX)/share/vmlat/jobs $(ENGINE_PATH)
	install -D -m 0644 doc/vmlat.1 $(DESTDIR)$(PREFIX)/share/man/man1/vmlat.1

# A Debian package for the fio that dpkg installed, depending on exactly
# that version: the engine in fio's own engine directory for prefix /usr
# (fio's make install puts its engines in PREFIX/lib/fio, named
# fio-NAME.so), vmlat, the man page and the job files.  Debian's tools only.
DEB_ENGINE = /usr/lib/fio/fio-vmlat.so
deb: all
	@rm -rf $(BUILD)/deb
	@$(MAKE) --no-print-directory -s install DESTDIR=$(abspath $(BUILD))/deb/root PREFIX=/usr \
		ENGINE_PATH=$(DEB_ENGINE) >/dev/null
	@scripts/mkdeb.sh $(BUILD)/deb $(VERSION) "$$(cat $(BUILD)/fio-version)" $(FIO)

clean:
	rm -f $(ENGINE) $(CLI)
	rm -rf $(BUILD)/obj $(BUILD)/tests $(BUILD)/fuzz-replay $(BUILD)/fio-version $(BUILD)/demo \
		$(BUILD)/deb $(BUILD)/*.deb

# also forgets the fetched fio source
distclean: clean
	rm -rf $(BUILD)

FORCE:
.PHONY: all deps check check-fio-new check-integration deb unit-tests demo study bench install clean distclean fuzz fuzz-long fuzz-replay FORCE
