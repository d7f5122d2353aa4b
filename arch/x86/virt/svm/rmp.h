/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal interfaces of the SEV-SNP host code in arch/x86/virt/svm/.
 * Other subsystems use <asm/sev-host.h>.
 */
#ifndef _X86_VIRT_SVM_RMP_H
#define _X86_VIRT_SVM_RMP_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/sizes.h>
#include <linux/static_call_types.h>
#include <asm/sev-host.h>

/* The CPU keeps private bookkeeping in the first 16 KiB of the table. */
#define RMP_BOOKKEEPING_SIZE	SZ_16K
#define RMP_ENTRY_SIZE		16
#define RMP_PFNS_PER_2M		(SZ_2M / SZ_4K)
/* RMP_BASE holds the table address in bits 51:13. */
#define RMP_BASE_ADDR_MASK	GENMASK_ULL(51, 13)

/*
 * One entry in the Milan/Genoa format. The format is not architectural;
 * only the low quadword is interpreted here.
 */
struct rmp_raw_entry {
	u64 lo;
	u64 hi;
};

static_assert(sizeof(struct rmp_raw_entry) == RMP_ENTRY_SIZE);

#define RMPE_ASSIGNED		BIT_ULL(0)
#define RMPE_PAGE_2M		BIT_ULL(1)
#define RMPE_IMMUTABLE		BIT_ULL(2)
#define RMPE_GPA		GENMASK_ULL(50, 12)
#define RMPE_ASID		GENMASK_ULL(60, 51)
#define RMPE_VMSA		BIT_ULL(61)
#define RMPE_VALIDATED		BIT_ULL(62)

/* The new state of an entry, as RMPUPDATE reads it from memory. */
struct rmp_state {
	u64 gpa;
	u8 assigned;
	u8 pagesize;
	u8 immutable;
	u8 rsvd;
	u32 asid;
} __packed;

static_assert(sizeof(struct rmp_state) == 16);

#define RMP_STATE_PAGE_4K	0
#define RMP_STATE_PAGE_2M	1

static inline u8 rmp_state_pagesize(enum pg_level level)
{
	return level == PG_LEVEL_2M ? RMP_STATE_PAGE_2M : RMP_STATE_PAGE_4K;
}

/* Status codes RMPUPDATE and PSMASH return in EAX. */
#define RMP_INSN_OK		0
#define RMP_INSN_FAIL_INPUT	1
#define RMP_INSN_FAIL_PERM	2
#define RMP_INSN_FAIL_INUSE	3
#define RMP_INSN_FAIL_OVERLAP	4	/* RMPUPDATE; PSMASH: bad address */

/*
 * How often an RMP instruction that failed because another CPU was busy
 * with the same entries is retried before giving up with -EBUSY.
 */
#define RMP_INSN_RETRIES	1000

/**
 * struct rmp_table - the RMP as the host reads it
 * @entries: entry of PFN 0, just past the CPU bookkeeping area
 * @nr_pfns: number of 4 KiB pages the table describes
 */
struct rmp_table {
	struct rmp_raw_entry *entries;
	u64 nr_pfns;
};

/* A physical range the e820 tables must mark reserved. */
struct rmp_phys_range {
	u64 start;
	u64 size;
};

/*
 * Why the kernel is or is not an SNP host; the first condition that fails
 * is the one reported.
 */
enum snp_host_reason {
	SNP_HOST_OK,
	SNP_HOST_NOT_AMD,
	SNP_HOST_NO_SVM,
	SNP_HOST_NO_SNP,
	SNP_HOST_OLD_FAMILY,
	SNP_HOST_GUEST,
	SNP_HOST_MEM_ENCRYPT_OFF,
	SNP_HOST_SMM_UNLOCKED,
	SNP_HOST_RMP_NOT_SET,
	SNP_HOST_RMP_MALFORMED,
	SNP_HOST_RMP_TOO_SMALL,
	SNP_HOST_NO_IOMMU,
	SNP_HOST_IOMMU_PASSTHROUGH,
	SNP_HOST_IOMMU_NO_SNP,
	SNP_HOST_IOMMU_TOO_LATE,
	SNP_HOST_IOMMU_FAILED,
	SNP_HOST_RMP_MAP_FAILED,
	SNP_HOST_CPU_ENABLE_FAILED,
	SNP_HOST_NR_REASONS
};

/**
 * struct snp_host_facts - what the SNP host decision is made from
 * @amd: the CPU vendor is AMD (or Hygon)
 * @svm: CPUID reports SVM
 * @snp: CPUID Fn8000_001F reports SEV-SNP
 * @family: CPU family
 * @hypervisor: the kernel runs as a guest (CPUID hypervisor bit)
 * @mem_encrypt: SYSCFG.MemEncryptionModEn is set
 * @smm_lock: HWCR.SMMLOCK is set
 * @rmp_base: RMP_BASE MSR
 * @rmp_end: RMP_END MSR
 * @ram_end_pfn: first PFN above all system RAM
 */
struct snp_host_facts {
	bool amd;
	bool svm;
	bool snp;
	unsigned int family;
	bool hypervisor;
	bool mem_encrypt;
	bool smm_lock;
	u64 rmp_base;
	u64 rmp_end;
	u64 ram_end_pfn;
};

/* rmp-layout.c: decisions and encodings, no hardware access */
enum snp_host_reason snp_host_check(const struct snp_host_facts *f);
enum snp_host_reason snp_host_iommu_reason(int err);
const char *snp_host_reason_text(enum snp_host_reason reason);
u64 rmp_table_nr_pfns(u64 base, u64 end);
void rmp_reserve_range(u64 base, u64 end, struct rmp_phys_range *range);
void rmp_entry_decode(const struct rmp_raw_entry *e,
		      const struct rmp_raw_entry *head, u64 pfn,
		      struct snp_rmp_info *info);
int rmp_state_encode(struct rmp_state *st, u64 gpa, enum pg_level level,
		     u32 asid, bool immutable);
int rmp_check_pfn(const struct rmp_table *t, u64 pfn, enum pg_level level);

/* rmp.c: the table and the instructions */
typedef void (*snp_leak_show_t)(void *arg, u64 pfn, unsigned int npages);
typedef int (rmp_update_insn_t)(u64 spa, const struct rmp_state *st);
typedef int (rmp_psmash_insn_t)(u64 spa);
DECLARE_STATIC_CALL(rmp_update_insn, rmp_update_insn_t);
DECLARE_STATIC_CALL(rmp_psmash_insn, rmp_psmash_insn_t);

int rmp_table_lookup(const struct rmp_table *t, u64 pfn,
		     struct snp_rmp_info *info);
int rmp_table_update(const struct rmp_table *t, u64 pfn,
		     enum pg_level level, const struct rmp_state *st);
int rmp_table_psmash(const struct rmp_table *t, u64 pfn);
const struct rmp_table *snp_rmp_table(void);
void snp_rmp_table_set(const struct rmp_table *t);
void snp_host_set_active(bool active);
void snp_leaked_ranges_walk(snp_leak_show_t show, void *arg,
			    unsigned long *unrecorded);

/* snp-host-init.c */
enum snp_host_reason snp_host_reason(void);

#endif /* _X86_VIRT_SVM_RMP_H */
