// SPDX-License-Identifier: GPL-2.0-only
/*
 * snp-msr-locks: check the SNP MSRs' lock rules of the SNP platform model
 * from a host kernel on it, through /dev/cpu/N/msr (the msr module).
 *
 * Once SYSCFG.SNP_EN is set, as the kernel sets it at boot:
 *   - RMP_BASE and RMP_END are read-only: a write #GPs (EIO),
 *   - SYSCFG.SNP_EN and MemEncryptionModEn cannot be cleared (EIO),
 *   - writing SYSCFG back unchanged works (the control case),
 * and HWCR.SmmLock stays set whatever is written.
 *
 * KTAP, one test per case and CPU ("ok 3 cpu0:rmp-end-read-only", "not ok
 * 3 cpu0:rmp-end-read-only # <why>"; "cpuN:read" when a CPU's MSRs cannot
 * be read at all); exits 1 if a case failed, 2 if there is no MSR device.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest.h"

#define MSR_SYSCFG		0xc0010010
#define MSR_HWCR		0xc0010015
#define MSR_RMP_BASE		0xc0010132
#define MSR_RMP_END		0xc0010133

#define SYSCFG_MEM_ENCRYPT	(1ULL << 23)
#define SYSCFG_SNP_EN		(1ULL << 24)
#define HWCR_SMMLOCK		(1ULL << 0)

#define NR_CASES		7

static int failed;

static int rd(int fd, uint32_t msr, uint64_t *val)
{
	return pread(fd, val, sizeof(*val), msr) == sizeof(*val) ? 0 : -errno;
}

static int wr(int fd, uint32_t msr, uint64_t val)
{
	return pwrite(fd, &val, sizeof(val), msr) == sizeof(val) ? 0 : -errno;
}

static void report(const char *cpu, const char *name, int ok, const char *why)
{
	if (ok)
		ksft_test_result_pass("%s:%s\n", cpu, name);
	else
		ksft_test_result_fail("%s:%s # %s\n", cpu, name, why);
	failed |= !ok;
}

/* A write that must #GP: EIO, and the MSR keeps its value. */
static void expect_refused(const char *cpu, int fd, const char *name,
			   uint32_t msr, uint64_t val)
{
	uint64_t before = 0, after = 0;
	char why[160];
	int ret;

	rd(fd, msr, &before);
	ret = wr(fd, msr, val);
	rd(fd, msr, &after);
	snprintf(why, sizeof(why),
		 "write of %#" PRIx64 " returned %d (want %d), value %#" PRIx64
		 " -> %#" PRIx64, val, ret, -EIO, before, after);
	report(cpu, name, ret == -EIO && before == after, why);
}

/* The MSRs of one CPU, read before the checks (for the plan). */
struct cpu_msrs {
	char name[16];
	int fd;
	int err;
	uint64_t syscfg, base, end, hwcr;
};

static void read_cpu(const char *path, struct cpu_msrs *c)
{
	const char *cpu = path + strlen("/dev/cpu/");

	snprintf(c->name, sizeof(c->name), "%.*s", (int)strcspn(cpu, "/"), cpu);
	c->err = 0;
	c->fd = open(path, O_RDWR);
	if (c->fd < 0 || rd(c->fd, MSR_SYSCFG, &c->syscfg) ||
	    rd(c->fd, MSR_RMP_BASE, &c->base) || rd(c->fd, MSR_RMP_END, &c->end) ||
	    rd(c->fd, MSR_HWCR, &c->hwcr)) {
		c->err = errno;
		if (c->fd >= 0)
			close(c->fd);
		c->fd = -1;
	}
}

static void check_cpu(struct cpu_msrs *c)
{
	const char *name = c->name;
	uint64_t syscfg = c->syscfg, hwcr = c->hwcr;
	int fd = c->fd, ret;
	char why[160];

	if (fd < 0) {
		snprintf(why, sizeof(why), "cannot read the MSRs: %s",
			 strerror(c->err));
		report(name, "read", 0, why);
		return;
	}
	snprintf(why, sizeof(why), "SYSCFG %#" PRIx64, syscfg);
	report(name, "snp-enabled", !!(syscfg & SYSCFG_SNP_EN), why);

	expect_refused(name, fd, "rmp-base-read-only", MSR_RMP_BASE, c->base);
	expect_refused(name, fd, "rmp-end-read-only", MSR_RMP_END, c->end + 0x1000);
	expect_refused(name, fd, "snp-en-sticky", MSR_SYSCFG,
		       syscfg & ~SYSCFG_SNP_EN);
	expect_refused(name, fd, "mem-encrypt-sticky", MSR_SYSCFG,
		       syscfg & ~SYSCFG_MEM_ENCRYPT);

	ret = wr(fd, MSR_SYSCFG, syscfg);
	snprintf(why, sizeof(why), "unchanged SYSCFG write returned %d", ret);
	report(name, "syscfg-writable", ret == 0, why);

	ret = wr(fd, MSR_HWCR, hwcr & ~HWCR_SMMLOCK);
	rd(fd, MSR_HWCR, &hwcr);
	snprintf(why, sizeof(why), "write returned %d, HWCR now %#" PRIx64,
		 ret, hwcr);
	report(name, "smm-lock-sticky", ret == 0 && (hwcr & HWCR_SMMLOCK), why);
	close(fd);
}

int main(void)
{
	struct cpu_msrs *cpus;
	unsigned int plan = 0;
	glob_t g;
	size_t i;

	ksft_print_header();
	if (glob("/dev/cpu/*/msr", 0, NULL, &g) || !g.gl_pathc) {
		ksft_set_plan(1);
		ksft_test_result_fail("msr-device # no /dev/cpu/*/msr\n");
		return 2;
	}
	cpus = calloc(g.gl_pathc, sizeof(*cpus));
	if (!cpus)
		ksft_exit_fail_msg("out of memory\n");
	for (i = 0; i < g.gl_pathc; i++) {
		read_cpu(g.gl_pathv[i], &cpus[i]);
		plan += cpus[i].fd < 0 ? 1 : NR_CASES;
	}
	ksft_set_plan(plan);
	for (i = 0; i < g.gl_pathc; i++)
		check_cpu(&cpus[i]);
	globfree(&g);
	free(cpus);
	return failed;
}
