/*
 * SNP platform model: the active RMP table's counts and the host write
 * rule. See snp-rmp-table.h.
 *
 * Part of the SEV-SNP for Linux 6.1 test platform, not of upstream QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include "snp-rmp-table.h"

#define SZ_2M                   (2ULL << 20)

bool snp_rmp_table_activate(SnpRmpTable *t, uint64_t base, uint64_t end)
{
    uint64_t regions;

    if (t->active || end < base + SNP_RMP_BOOKKEEPING) {
        return false;
    }
    t->nr_pfns = (end + 1 - base - SNP_RMP_BOOKKEEPING) / SNP_RMP_ENTRY_SIZE;
    regions = (t->nr_pfns + RMP_PAGES_PER_2M - 1) / RMP_PAGES_PER_2M;
    t->assigned_2m = calloc(regions ? regions : 1, sizeof(*t->assigned_2m));
    if (!t->assigned_2m) {
        abort();
    }
    t->base = base;
    t->end = end;
    t->active = true;
    return true;
}

/*
 * Nothing of the table survives a reset: the BIOS programs RMP_BASE and
 * RMP_END again (or software does, before it sets SNP_EN), and the next
 * SNP_EN activates the table they name.
 */
void snp_rmp_table_reset(SnpRmpTable *t)
{
    t->active = false;
    free(t->assigned_2m);
    t->assigned_2m = NULL;
    t->base = t->end = t->nr_pfns = 0;
}

void snp_rmp_table_count(SnpRmpTable *t, uint64_t pfn, int delta)
{
    if (t->assigned_2m && pfn < t->nr_pfns) {
        t->assigned_2m[pfn / RMP_PAGES_PER_2M] += delta;
    }
}

/*
 * A 4 KiB write is checked against the page's own entry, a 2 MiB one
 * against all 512 entries of its region: it must cover no assigned page.
 * The RMP knows no page size above 2 MiB, so a write through a 1 GiB
 * mapping is checked as a 2 MiB write to the 2 MiB region that holds
 * @paddr; assigned pages elsewhere in the 1 GiB do not matter (inferred,
 * see the README). The RMP's own pages are never the host's to write.
 */
SnpRmpWriteCheck snp_rmp_table_check_write(const SnpRmpTable *t,
                                           uint64_t paddr,
                                           uint64_t page_size)
{
    uint64_t pfn = paddr >> SNP_RMP_PAGE_SHIFT;

    if (!t->active) {
        return SNP_RMP_WRITE_OK;
    }
    if (paddr >= t->base && paddr <= t->end) {
        return SNP_RMP_WRITE_DENIED;
    }
    if (pfn >= t->nr_pfns || !t->assigned_2m[pfn / RMP_PAGES_PER_2M]) {
        return SNP_RMP_WRITE_OK;
    }
    return page_size >= SZ_2M ? SNP_RMP_WRITE_DENIED
                              : SNP_RMP_WRITE_IF_ASSIGNED;
}
