// SPDX-License-Identifier: GPL-2.0
/*
 * ld-tool: run the SNP platform model's launch digest code
 * (src/hw/i386/snp-launch-digest.c) over a list of pages, for the model's
 * unit test (test_launch_digest.py, harness/bin/l3-model-unit.sh).
 *
 *   gcc -I<model>/src/hw/i386 ld-tool.c <model>/src/hw/i386/snp-launch-digest.c -lnettle
 *
 * Reads one page per line from stdin: "TYPE GPA FILE", TYPE the page type
 * in decimal (1 NORMAL, 2 VMSA, 3 ZERO, 4 UNMEASURED, 5 SECRETS, 6 CPUID),
 * GPA in hex (0x optional), FILE a file of exactly 4096 bytes, or "-" for
 * a type whose contents are not measured (3 to 6). Blank lines and lines
 * starting with '#' are skipped. Starting from 48 zero bytes, with VMPL
 * permissions 0, it extends the digest by each page and prints the final
 * digest in hex. With -v it first prints, per page, the contents hash and
 * the digest after it: "page N contents=<hex> ld=<hex>".
 *
 * Exit status: 0, or 1 on bad input (with a message on stderr).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "snp-launch-digest.h"

#define PAGE_SIZE	4096

static void print_hex(const uint8_t *p, int len)
{
	int i;

	for (i = 0; i < len; i++)
		printf("%02x", p[i]);
}

static int read_page(const char *file, uint8_t page[PAGE_SIZE])
{
	FILE *f = fopen(file, "rb");
	size_t n;
	int extra;

	if (!f) {
		fprintf(stderr, "ld-tool: %s: %s\n", file, strerror(errno));
		return -1;
	}
	n = fread(page, 1, PAGE_SIZE, f);
	extra = fgetc(f);
	fclose(f);
	if (n != PAGE_SIZE || extra != EOF) {
		fprintf(stderr, "ld-tool: %s: not exactly %d bytes\n", file, PAGE_SIZE);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const uint8_t vmpl_perms[3];
	uint8_t ld[SNP_LD_SIZE] = { 0 }, contents[SNP_LD_SIZE];
	static uint8_t page[PAGE_SIZE];
	char line[4096 + 64], file[4096];
	unsigned long long gpa;
	unsigned int type;
	int verbose = 0, lineno = 0, n = 0;
	const uint8_t *data;
	char *p;

	if (argc == 2 && !strcmp(argv[1], "-v")) {
		verbose = 1;
	} else if (argc != 1) {
		fprintf(stderr, "usage: ld-tool [-v] <pages\n");
		return 1;
	}
	while (fgets(line, sizeof(line), stdin)) {
		lineno++;
		p = line + strspn(line, " \t");
		if (*p == '\n' || *p == '\0' || *p == '#')
			continue;
		if (!strchr(p, '\n') && !feof(stdin)) {
			fprintf(stderr, "ld-tool: line %d too long\n", lineno);
			return 1;
		}
		if (sscanf(p, "%u %llx %4095s", &type, &gpa, file) != 3 ||
		    type < SNP_PAGE_TYPE_NORMAL || type > SNP_PAGE_TYPE_CPUID) {
			fprintf(stderr, "ld-tool: line %d: want TYPE(1-6) GPA FILE: %s",
				lineno, p);
			return 1;
		}
		if (!strcmp(file, "-")) {
			if (type == SNP_PAGE_TYPE_NORMAL || type == SNP_PAGE_TYPE_VMSA) {
				fprintf(stderr, "ld-tool: line %d: type %u needs a page file\n",
					lineno, type);
				return 1;
			}
			data = NULL;
		} else {
			if (read_page(file, page))
				return 1;
			data = page;
		}
		snp_ld_extend(ld, type, gpa, data, vmpl_perms, contents);
		if (verbose) {
			printf("page %d contents=", n);
			print_hex(contents, SNP_LD_SIZE);
			printf(" ld=");
			print_hex(ld, SNP_LD_SIZE);
			putchar('\n');
		}
		n++;
	}
	if (ferror(stdin)) {
		fprintf(stderr, "ld-tool: reading stdin: %s\n", strerror(errno));
		return 1;
	}
	print_hex(ld, SNP_LD_SIZE);
	putchar('\n');
	return 0;
}
