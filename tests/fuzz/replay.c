/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * replay.c - run a fuzz target on files, without libFuzzer: what
 * `make check` does with tests/fuzz/corpus/ (any compiler, any sanitizer).
 *
 *   replay FILE...     exit 0 when every input ran (a crash aborts)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		uint8_t *buf;
		long n;

		if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
			fprintf(stderr, "replay: cannot read %s\n", argv[i]);
			return 1;
		}
		buf = malloc((size_t)n + 1);
		if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
			fprintf(stderr, "replay: cannot read %s\n", argv[i]);
			return 1;
		}
		fclose(f);
		LLVMFuzzerTestOneInput(buf, (size_t)n);
		free(buf);
	}
	printf("replay: %d inputs\n", argc - 1);
	return 0;
}
