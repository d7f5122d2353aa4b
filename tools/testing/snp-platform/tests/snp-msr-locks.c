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
 * Prints "MSR-LOCK <case> ok" or "MSR-LOCK <case> FAIL <why>" per case and
 * CPU, then "MSR-LOCK-END rc=N"; exits 1 if a case failed, 2 if the MSR
 * device cannot be used at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MSR_SYSCFG		0xc0010010
#define MSR_HWCR		0xc0010015
#define MSR_RMP_BASE		0xc0010132
#define MSR_RMP_END		0xc0010133

#define SYSCFG_MEM_ENCRYPT	(1ULL << 23)
#define SYSCFG_SNP_EN		(1ULL << 24)
#define HWCR_SMMLOCK		(1ULL << 0)

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
	printf("MSR-LOCK %s:%s %s%s%s\n", cpu, name, ok ? "ok" : "FAIL",
	       ok ? "" : " ", ok ? "" : why);
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

static void check_cpu(const char *path)
{
	uint64_t syscfg, base, end, hwcr;
	const char *cpu = path + strlen("/dev/cpu/");
	char name[16], why[160];
	int fd, ret;

	snprintf(name, sizeof(name), "%.*s", (int)strcspn(cpu, "/"), cpu);
	fd = open(path, O_RDWR);
	if (fd < 0 || rd(fd, MSR_SYSCFG, &syscfg) || rd(fd, MSR_RMP_BASE, &base) ||
	    rd(fd, MSR_RMP_END, &end) || rd(fd, MSR_HWCR, &hwcr)) {
		snprintf(why, sizeof(why), "cannot read the MSRs: %s",
			 strerror(errno));
		report(name, "read", 0, why);
		if (fd >= 0)
			close(fd);
		return;
	}
	snprintf(why, sizeof(why), "SYSCFG %#" PRIx64, syscfg);
	report(name, "snp-enabled", !!(syscfg & SYSCFG_SNP_EN), why);

	expect_refused(name, fd, "rmp-base-read-only", MSR_RMP_BASE, base);
	expect_refused(name, fd, "rmp-end-read-only", MSR_RMP_END, end + 0x1000);
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
	glob_t g;
	size_t i;

	if (glob("/dev/cpu/*/msr", 0, NULL, &g) || !g.gl_pathc) {
		printf("MSR-LOCK-END rc=2 (no /dev/cpu/*/msr)\n");
		return 2;
	}
	for (i = 0; i < g.gl_pathc; i++)
		check_cpu(g.gl_pathv[i]);
	globfree(&g);
	printf("MSR-LOCK-END rc=%d\n", failed);
	return failed;
}
