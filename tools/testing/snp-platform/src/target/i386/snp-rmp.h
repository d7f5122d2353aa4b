/*
 * SNP platform model: the Reverse Map Table (RMP).
 *
 * The RMP lives in guest-physical RAM where RMP_BASE points, 16 KiB of
 * processor bookkeeping followed by one 16-byte entry per 4 KiB page
 * (Milan/Genoa format, see the facts sheet section 2.1). Everything that
 * changes it - RMPUPDATE and PSMASH executed by a vCPU, and the PSP's
 * firmware - goes through this file, which keeps the per-2 MiB counts of
 * assigned pages that the host write checks need (snp-rmp-table.c), and
 * flushes the TLBs of every vCPU when a page becomes assigned: the checks
 * are made when a translation is filled, so no stale writable translation
 * of an assigned page may survive.
 *
 * Once the first CPU sets SYSCFG.SNP_EN, the table is "active" until the
 * machine resets: it is scanned once to build the counts, and software can
 * no longer write the RMP's own memory (the model's choice: it keeps the
 * counts exact; on hardware the firmware protects those pages at SNP_INIT).
 *
 * Part of the SEV-SNP for Linux 6.1 test platform, not of upstream QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TARGET_I386_SNP_RMP_H
#define TARGET_I386_SNP_RMP_H

#include "snp-rmp-table.h"

/* Low quadword of an RMP entry */
#define RMP_ASSIGNED        (1ULL << 0)
#define RMP_SIZE_2M         (1ULL << 1)
#define RMP_IMMUTABLE       (1ULL << 2)
#define RMP_GPA_MASK        0x0007fffffffff000ULL   /* bits 50:12 */
#define RMP_ASID_SHIFT      51
#define RMP_ASID_MASK       (0x3ffULL << RMP_ASID_SHIFT)
#define RMP_VMSA            (1ULL << 61)
#define RMP_VALIDATED       (1ULL << 62)

/* Return codes of RMPUPDATE, PSMASH, PVALIDATE and RMPADJUST (EAX) */
enum {
    RMP_RET_SUCCESS = 0,
    RMP_RET_FAIL_INPUT = 1,
    RMP_RET_FAIL_PERMISSION = 2,
    RMP_RET_FAIL_INUSE = 3,
    RMP_RET_FAIL_OVERLAP = 4,
    RMP_RET_FAIL_SIZEMISMATCH = 6,
};

typedef struct SnpRmpEntry {
    uint64_t lo;
    uint64_t hi;
} SnpRmpEntry;

/* RMPUPDATE's 16-byte input, decoded */
typedef struct SnpRmpState {
    uint64_t gpa;
    bool assigned;
    uint8_t pagesize;       /* 0: 4 KiB, 1: 2 MiB, anything else invalid */
    bool immutable;
    uint32_t asid;
} SnpRmpState;

/* The firmware's own pages: assigned to ASID 0, immutable */
static inline bool snp_rmp_is_firmware_page(const SnpRmpEntry *e)
{
    return (e->lo & RMP_ASSIGNED) && (e->lo & RMP_IMMUTABLE) &&
           !(e->lo & RMP_ASID_MASK);
}

/* The machine has an RMP: its table ends at every machine reset. */
void snp_rmp_machine_init(void);
/*
 * Called when a CPU sets SNP_EN; the first call since the machine reset
 * activates the table.
 */
void snp_rmp_activate(uint64_t rmp_base, uint64_t rmp_end);
bool snp_rmp_is_active(void);
/* Number of pages the table describes (0 before activation) */
uint64_t snp_rmp_nr_pfns(void);

bool snp_rmp_read(uint64_t pfn, SnpRmpEntry *e);
/*
 * Write @n consecutive entries starting at @pfn (the firmware's way in);
 * flushes all TLBs if any of them became assigned.
 */
void snp_rmp_write(uint64_t pfn, const SnpRmpEntry *e, unsigned int n);

/* The instructions' effect on the table; return an RMP_RET_* code. */
int snp_rmp_update(uint64_t spa, const SnpRmpState *st);
int snp_rmp_psmash(uint64_t spa);

/*
 * Pages the firmware made HV-fixed at SNP_INIT_EX (the range list): they
 * stay the host's, RMPUPDATE cannot assign them. Cleared at SNP shutdown.
 */
void snp_rmp_add_hv_fixed(uint64_t pfn, uint64_t npages);
void snp_rmp_clear_hv_fixed(void);

/*
 * Whether a write by the host (not a guest) to @paddr through a translation
 * of @page_size bytes fails the RMP check: the page is assigned, the 2 MiB
 * region a 2 MiB or 1 GiB mapping writes to holds an assigned page, or the
 * page belongs to the RMP itself (snp_rmp_table_check_write()).
 */
bool snp_rmp_host_write_denied(uint64_t paddr, uint64_t page_size);

#endif
