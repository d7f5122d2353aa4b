// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV-SNP host: reporting RMP violations.
 *
 * The CPU raises #PF with X86_PF_RMP when the host touches a page the RMP
 * assigns to a guest or to the firmware. Such a fault is never fixed by
 * mapping the page again: a user process gets SIGBUS, the kernel oopses,
 * and both reports name the page and what the RMP says about it.
 */

#define pr_fmt(fmt)	"SEV-SNP: " fmt

#include <linux/kernel.h>
#include <linux/pgtable.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <asm/special_insns.h>

#include "rmp.h"

/* The PFN behind @address in the page tables the CPU used, or -1. */
static u64 snp_fault_pfn(unsigned long address)
{
	unsigned int level;
	pgd_t *pgd;
	pte_t *pte;
	u64 pfn;

	pgd = (pgd_t *)__va(read_cr3_pa());
	pte = lookup_address_in_pgd(pgd_offset_pgd(pgd, address), address,
				    &level);
	if (!pte || !pte_present(*pte))
		return -1ULL;

	pfn = pte_pfn(*pte);
	/* A large mapping: add the offset of the 4 KiB page within it. */
	pfn += (address & (page_level_size(level) - 1)) >> PAGE_SHIFT;
	return pfn;
}

/* What the RMP says about @pfn, as one line for a fault report. */
static void snp_rmp_entry_format(char *buf, size_t len, u64 pfn)
{
	const struct rmp_table *t = snp_rmp_table();
	struct snp_rmp_info info;

	if (pfn == -1ULL) {
		scnprintf(buf, len, "address not mapped");
		return;
	}
	if (!t->entries || rmp_table_lookup(t, pfn, &info)) {
		scnprintf(buf, len, "PFN %#llx has no RMP entry", pfn);
		return;
	}
	scnprintf(buf, len,
		  "PFN %#llx: assigned=%d asid=%u gpa=%#llx page=%s immutable=%d validated=%d vmsa=%d raw=%#018llx",
		  pfn, info.assigned, info.asid, info.gpa,
		  info.level == PG_LEVEL_2M ? "2M" : "4K", info.immutable,
		  info.validated, info.vmsa, t->entries[pfn].lo);
}

#define SNP_RMP_LINE_LEN	160

/**
 * snp_rmp_fault_show() - print the RMP entry behind a faulting address
 * @address: the address of a #PF that had X86_PF_RMP set
 *
 * Part of the oops report of a kernel-mode RMP violation.
 */
void snp_rmp_fault_show(unsigned long address)
{
	char line[SNP_RMP_LINE_LEN];

	snp_rmp_entry_format(line, sizeof(line), snp_fault_pfn(address));
	pr_alert("#PF: RMP violation at %#lx, RMP: %s\n", address, line);
}

/**
 * snp_rmp_fault_report() - log an RMP violation on a user address
 * @error_code: #PF error code
 * @address: faulting address
 *
 * The caller sends SIGBUS, or takes the exception fixup for a kernel access
 * to user memory. Rate limited: a process could otherwise flood the log.
 */
void snp_rmp_fault_report(unsigned long error_code, unsigned long address)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	char line[SNP_RMP_LINE_LEN];

	if (!__ratelimit(&rs))
		return;

	snp_rmp_entry_format(line, sizeof(line), snp_fault_pfn(address));
	pr_warn("RMP violation by %s[%d] at %#lx (error code %#lx), RMP: %s\n",
		current->comm, task_pid_nr(current), address, error_code, line);
}
