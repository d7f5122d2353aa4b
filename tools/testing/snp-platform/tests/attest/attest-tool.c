// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * attest-tool: the SNP platform model's guest-request code
 * (src/hw/i386/snp-fw-attest.c) outside QEMU, for its unit test.
 *
 *   attest-tool SPEC [KEYDIR] <requests >responses
 *
 * SPEC holds the guest's and the platform's state, one "name hex" or
 * "name number" per line (see test_attest.py). KEYDIR is where
 * make-test-keys.sh put vcek.key.hex and chip-id.hex; without it reports
 * are unsigned. Each 4096-byte request page read from stdin gives, on
 * stdout, the command's status (u32, little-endian) and the response page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include "snp-fw-attest.h"

static void random_bytes(void *ctx, size_t len, uint8_t *dst)
{
	(void)ctx;
	while (len) {
		ssize_t n = getrandom(dst, len, 0);

		if (n <= 0)
			exit(2);
		dst += n;
		len -= n;
	}
}

static int hex_to_bytes(const char *hex, uint8_t *out, size_t len)
{
	size_t i;

	if (strlen(hex) != 2 * len)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned int v;

		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = v;
	}
	return 0;
}

static int read_hex_file(const char *dir, const char *name, uint8_t *out,
			 size_t len)
{
	char path[4096], buf[512] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f)) {
		fprintf(stderr, "attest-tool: cannot read %s\n", path);
		return -1;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return hex_to_bytes(buf, out, len);
}

#define FIELD(n, f)	{ n, f, sizeof(f) }

static int read_spec(const char *path, SnpAttestGuest *g, SnpAttestPlatform *p)
{
	struct { const char *name; uint8_t *buf; size_t len; } bytes[] = {
		FIELD("vmpck0", g->vmpck[0]), FIELD("vmpck1", g->vmpck[1]),
		FIELD("vmpck2", g->vmpck[2]), FIELD("vmpck3", g->vmpck[3]),
		FIELD("family_id", g->family_id), FIELD("image_id", g->image_id),
		FIELD("measurement", g->measurement),
		FIELD("host_data", g->host_data),
		FIELD("id_key_digest", g->id_key_digest),
		FIELD("author_key_digest", g->author_key_digest),
		FIELD("report_id", g->report_id),
		FIELD("key_secret", p->key_secret),
	};
	char name[64], value[256];
	FILE *f = fopen(path, "r");
	size_t i;

	if (!f)
		return -1;
	while (fscanf(f, "%63s %255s", name, value) == 2) {
		unsigned long long v = strtoull(value, NULL, 0);

		for (i = 0; i < sizeof(bytes) / sizeof(bytes[0]); i++)
			if (!strcmp(name, bytes[i].name))
				break;
		if (i < sizeof(bytes) / sizeof(bytes[0])) {
			if (hex_to_bytes(value, bytes[i].buf, bytes[i].len))
				return -1;
		} else if (!strcmp(name, "policy")) {
			g->policy = v;
		} else if (!strcmp(name, "guest_svn")) {
			g->guest_svn = v;
		} else if (!strcmp(name, "author_key_en")) {
			g->author_key_en = v;
		} else if (!strcmp(name, "launch_tcb")) {
			g->launch_tcb = v;
		} else if (!strcmp(name, "current_tcb")) {
			p->current_tcb = v;
		} else if (!strcmp(name, "reported_tcb")) {
			p->reported_tcb = v;
		} else if (!strcmp(name, "committed_tcb")) {
			p->committed_tcb = v;
		} else if (!strcmp(name, "mask_chip_id")) {
			p->mask_chip_id = v;
		} else if (!strcmp(name, "mask_chip_key")) {
			p->mask_chip_key = v;
		} else if (!strcmp(name, "api")) {
			p->api_major = v >> 16;
			p->api_minor = v >> 8;
			p->build = v;
		} else {
			fprintf(stderr, "attest-tool: unknown field %s\n", name);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	static uint8_t req[4096], resp[4096];
	SnpAttestPlatform p = { 0 };
	SnpAttestGuest g = { 0 };

	if (argc < 2 || read_spec(argv[1], &g, &p)) {
		fprintf(stderr, "usage: attest-tool SPEC [KEYDIR] <requests >responses\n");
		return 2;
	}
	if (argc > 2) {
		if (read_hex_file(argv[2], "vcek.key.hex", p.vcek, sizeof(p.vcek)) ||
		    read_hex_file(argv[2], "chip-id.hex", p.chip_id,
				  sizeof(p.chip_id)))
			return 2;
		p.have_vcek = 1;
	}
	while (fread(req, sizeof(req), 1, stdin) == 1) {
		uint32_t status;
		uint8_t st[4];
		int i;

		memset(resp, 0, sizeof(resp));
		status = snp_guest_request(&g, &p, req, resp, random_bytes, NULL);
		for (i = 0; i < 4; i++)
			st[i] = status >> (8 * i);
		if (fwrite(st, sizeof(st), 1, stdout) != 1 ||
		    fwrite(resp, sizeof(resp), 1, stdout) != 1)
			return 2;
	}
	return 0;
}
