/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AMD SEV-SNP host platform: whether this machine runs as an SNP host, and
 * the RMP operations that move pages between hypervisor, firmware and guest
 * ownership. Implemented in arch/x86/virt/svm/.
 */
#ifndef _ASM_X86_SEV_HOST_H
#define _ASM_X86_SEV_HOST_H

#include <linux/errno.h>
#include <linux/types.h>
#include <asm/pgtable_types.h>

struct e820_table;

/**
 * struct snp_rmp_info - decoded RMP entry of one 4 KiB page
 * @gpa: guest physical address the page is assigned to (page aligned)
 * @asid: ASID of the owning guest; 0 for firmware pages
 * @level: page size the RMP applies to this page, PG_LEVEL_4K or
 *	PG_LEVEL_2M (taken from the entry of the 2 MiB aligned page)
 * @assigned: the page belongs to a guest or the firmware, not the host
 * @immutable: only the firmware may change the entry
 * @validated: the guest has validated the page
 * @vmsa: the page is a guest's VM save area
 */
struct snp_rmp_info {
	u64 gpa;
	u32 asid;
	enum pg_level level;
	bool assigned;
	bool immutable;
	bool validated;
	bool vmsa;
};

#ifdef CONFIG_X86_SNP_HOST

bool snp_host_active(void);
int snp_rmp_lookup(u64 pfn, struct snp_rmp_info *info);
int snp_rmp_make_private(u64 pfn, u64 gpa, enum pg_level level, u32 asid,
			 bool immutable);
int snp_rmp_make_shared(u64 pfn, enum pg_level level);
int snp_psmash(u64 pfn);
void snp_leak_pages(u64 pfn, unsigned int npages);
unsigned long snp_nr_leaked_pages(void);

void __init snp_rmp_early_reserve(void);
const struct e820_table *snp_host_e820_table(void);

#else /* !CONFIG_X86_SNP_HOST */

static inline bool snp_host_active(void) { return false; }

static inline int snp_rmp_lookup(u64 pfn, struct snp_rmp_info *info)
{
	return -ENODEV;
}

static inline int snp_rmp_make_private(u64 pfn, u64 gpa, enum pg_level level,
				       u32 asid, bool immutable)
{
	return -ENODEV;
}

static inline int snp_rmp_make_shared(u64 pfn, enum pg_level level)
{
	return -ENODEV;
}

static inline int snp_psmash(u64 pfn) { return -ENODEV; }

static inline void snp_leak_pages(u64 pfn, unsigned int npages) { }

static inline unsigned long snp_nr_leaked_pages(void) { return 0; }

static inline void snp_rmp_early_reserve(void) { }

static inline const struct e820_table *snp_host_e820_table(void)
{
	return NULL;
}

#endif /* CONFIG_X86_SNP_HOST */

#endif /* _ASM_X86_SEV_HOST_H */
