// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV-SNP host: the pure parts of the RMP code. Whether the machine can be
 * an SNP host, how big the RMP is and what it must reserve, and how RMP
 * entries and RMPUPDATE input are encoded. Nothing here touches hardware,
 * which is what lets KUnit check all of it.
 */

#include <linux/align.h>
#include <linux/bitfield.h>
#include <linux/errno.h>
#include <linux/pfn.h>
#include <linux/string.h>
#include <asm/page_types.h>

#include "rmp.h"

/* Families before Zen 3 (0x19) have no SNP even where CPUID says SEV. */
#define SNP_MIN_FAMILY	0x19

static const char * const snp_host_reason_texts[SNP_HOST_NR_REASONS] = {
	[SNP_HOST_OK]			= "enabled",
	[SNP_HOST_NOT_AMD]		= "not an AMD CPU",
	[SNP_HOST_NO_SVM]		= "CPU does not support SVM",
	[SNP_HOST_NO_SNP]		= "CPU does not support SEV-SNP",
	[SNP_HOST_OLD_FAMILY]		= "CPU family older than 19h (Zen 3)",
	[SNP_HOST_GUEST]		= "running under a hypervisor",
	[SNP_HOST_MEM_ENCRYPT_OFF]	=
		"memory encryption disabled in SYSCFG (enable SMEE in the BIOS)",
	[SNP_HOST_SMM_UNLOCKED]		= "SMM lock not set in HWCR by the BIOS",
	[SNP_HOST_RMP_NOT_SET]		=
		"RMP table not reserved by the BIOS (enable SEV-SNP in the BIOS)",
	[SNP_HOST_RMP_MALFORMED]	= "RMP_BASE/RMP_END programmed with an invalid range",
	[SNP_HOST_RMP_TOO_SMALL]	= "RMP table does not cover all system RAM",
	[SNP_HOST_NO_IOMMU]		= "no AMD IOMMU enabled (SNP requires the IOMMU)",
	[SNP_HOST_IOMMU_PASSTHROUGH]	= "IOMMU in passthrough mode (iommu=pt)",
	[SNP_HOST_IOMMU_NO_SNP]		= "IOMMU does not support SNP",
	[SNP_HOST_IOMMU_TOO_LATE]	= "IOMMU was set up before SNP could be enabled in it",
	[SNP_HOST_IOMMU_FAILED]		= "IOMMU initialisation failed",
	[SNP_HOST_RMP_MAP_FAILED]	= "cannot map the RMP table",
	[SNP_HOST_CPU_ENABLE_FAILED]	=
		"cannot register the CPU hotplug callback that enables SNP",
};

const char *snp_host_reason_text(enum snp_host_reason reason)
{
	if (reason >= SNP_HOST_NR_REASONS)
		return "unknown reason";
	return snp_host_reason_texts[reason];
}

/*
 * Number of 4 KiB pages a table at [base, end] can describe, 0 when the
 * range is not even large enough for the bookkeeping area and one entry.
 */
u64 rmp_table_nr_pfns(u64 base, u64 end)
{
	u64 size;

	if (end < base)
		return 0;
	size = end - base + 1;
	if (size < RMP_BOOKKEEPING_SIZE + RMP_ENTRY_SIZE)
		return 0;
	return (size - RMP_BOOKKEEPING_SIZE) / RMP_ENTRY_SIZE;
}

static enum snp_host_reason rmp_check_layout(const struct snp_host_facts *f)
{
	u64 nr_pfns;

	if (!f->rmp_base && !f->rmp_end)
		return SNP_HOST_RMP_NOT_SET;
	if ((f->rmp_base & ~RMP_BASE_ADDR_MASK) || !f->rmp_base)
		return SNP_HOST_RMP_MALFORMED;

	nr_pfns = rmp_table_nr_pfns(f->rmp_base, f->rmp_end);
	if (!nr_pfns)
		return SNP_HOST_RMP_MALFORMED;

	/* The table has to describe all of RAM and the pages it sits in. */
	if (nr_pfns < f->ram_end_pfn || nr_pfns <= PHYS_PFN(f->rmp_end))
		return SNP_HOST_RMP_TOO_SMALL;

	return SNP_HOST_OK;
}

/**
 * snp_host_check() - decide from the CPU and BIOS state whether SNP can be
 *	enabled
 * @f: the facts read from CPUID, the MSRs and the memory map
 *
 * The IOMMU is judged later, with snp_host_iommu_reason(), because asking
 * it commits it to SNP.
 *
 * Return: SNP_HOST_OK, or the first condition that is not met.
 */
enum snp_host_reason snp_host_check(const struct snp_host_facts *f)
{
	if (!f->amd)
		return SNP_HOST_NOT_AMD;
	if (!f->svm)
		return SNP_HOST_NO_SVM;
	if (!f->snp)
		return SNP_HOST_NO_SNP;
	if (f->family < SNP_MIN_FAMILY)
		return SNP_HOST_OLD_FAMILY;
	if (f->hypervisor)
		return SNP_HOST_GUEST;
	if (!f->mem_encrypt)
		return SNP_HOST_MEM_ENCRYPT_OFF;
	if (!f->smm_lock)
		return SNP_HOST_SMM_UNLOCKED;
	return rmp_check_layout(f);
}

/* Map the result of amd_iommu_snp_enable() to a reason. */
enum snp_host_reason snp_host_iommu_reason(int err)
{
	switch (err) {
	case 0:
		return SNP_HOST_OK;
	case -ENODEV:
		return SNP_HOST_NO_IOMMU;
	case -EINVAL:
		return SNP_HOST_IOMMU_PASSTHROUGH;
	case -EOPNOTSUPP:
		return SNP_HOST_IOMMU_NO_SNP;
	case -EBUSY:
		return SNP_HOST_IOMMU_TOO_LATE;
	default:
		return SNP_HOST_IOMMU_FAILED;
	}
}

/**
 * rmp_reserve_range() - the memory to keep out of RAM for the RMP
 * @base: RMP_BASE
 * @end: RMP_END (last byte of the table)
 * @range: the table, widened to whole 2 MiB regions
 *
 * The host maps RAM with 2 MiB pages where it can, and a host access
 * through a mapping that covers RMP memory faults. So RAM that shares a
 * 2 MiB region with either end of the table must not be used; nor may the
 * table itself, should the BIOS have left it in the RAM map.
 */
void rmp_reserve_range(u64 base, u64 end, struct rmp_phys_range *range)
{
	range->start = ALIGN_DOWN(base, SZ_2M);
	range->size = ALIGN(end + 1, SZ_2M) - range->start;
}

/**
 * rmp_entry_decode() - decode the RMP entry of a 4 KiB page
 * @e: the page's own entry
 * @head: the entry of the 2 MiB aligned page containing it
 * @pfn: the page
 * @info: the decoded entry
 *
 * Only @head says whether the RMP treats the region as one 2 MiB page. If
 * it does, that page's state is @head's, and the guest address of @pfn is
 * at the same offset into it.
 */
void rmp_entry_decode(const struct rmp_raw_entry *e,
		      const struct rmp_raw_entry *head, u64 pfn,
		      struct snp_rmp_info *info)
{
	bool large = head->lo & RMPE_PAGE_2M;
	u64 lo = large ? head->lo : e->lo;

	info->assigned = lo & RMPE_ASSIGNED;
	info->immutable = lo & RMPE_IMMUTABLE;
	info->validated = lo & RMPE_VALIDATED;
	info->vmsa = lo & RMPE_VMSA;
	info->asid = FIELD_GET(RMPE_ASID, lo);
	info->gpa = lo & RMPE_GPA;
	info->level = large ? PG_LEVEL_2M : PG_LEVEL_4K;
	if (large && info->assigned)
		info->gpa += PFN_PHYS(pfn & (RMP_PFNS_PER_2M - 1));
}

/**
 * rmp_state_encode() - build the RMPUPDATE input that assigns a page
 * @st: the state to fill in
 * @gpa: guest physical address; aligned to the page size
 * @level: PG_LEVEL_4K or PG_LEVEL_2M
 * @asid: owning guest, or 0 for a firmware page (which must be immutable)
 * @immutable: only the firmware may change the entry afterwards
 *
 * Return: 0, or -EINVAL when an argument cannot be encoded.
 */
int rmp_state_encode(struct rmp_state *st, u64 gpa, enum pg_level level,
		     u32 asid, bool immutable)
{
	u64 align = level == PG_LEVEL_2M ? SZ_2M : SZ_4K;

	if (level != PG_LEVEL_4K && level != PG_LEVEL_2M)
		return -EINVAL;
	if (!IS_ALIGNED(gpa, align) || (gpa & ~RMPE_GPA))
		return -EINVAL;
	if (asid > FIELD_MAX(RMPE_ASID) || (!asid && !immutable))
		return -EINVAL;

	memset(st, 0, sizeof(*st));
	st->gpa = gpa;
	st->assigned = 1;
	st->pagesize = rmp_state_pagesize(level);
	st->immutable = immutable;
	st->asid = asid;
	return 0;
}

/**
 * rmp_check_pfn() - check that an RMP operation's PFN is in range
 * @t: the table
 * @pfn: first page of the operation
 * @level: PG_LEVEL_4K or PG_LEVEL_2M
 *
 * Return: 0; -EINVAL for an unknown level or a 2 MiB operation on an
 * unaligned PFN; -ERANGE when the table does not describe every page.
 */
int rmp_check_pfn(const struct rmp_table *t, u64 pfn, enum pg_level level)
{
	u64 nr;

	switch (level) {
	case PG_LEVEL_4K:
		nr = 1;
		break;
	case PG_LEVEL_2M:
		nr = RMP_PFNS_PER_2M;
		if (!IS_ALIGNED(pfn, RMP_PFNS_PER_2M))
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (pfn >= t->nr_pfns || t->nr_pfns - pfn < nr)
		return -ERANGE;
	return 0;
}
