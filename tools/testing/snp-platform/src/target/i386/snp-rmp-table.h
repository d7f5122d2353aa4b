/*
 * SNP platform model: what the model keeps about the active RMP table -
 * where it is, how many pages it describes, and how many of them are
 * assigned in each 2 MiB region - and the host write rule decided from
 * that. Plain C with no QEMU dependency, so that the model's unit tests
 * (harness/bin/l3-model-unit.sh) can build it on its own; snp-rmp.c reads
 * and writes the entries themselves in guest RAM.
 *
 * Part of the SEV-SNP for Linux 6.1 test platform, not of upstream QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TARGET_I386_SNP_RMP_TABLE_H
#define TARGET_I386_SNP_RMP_TABLE_H

#include <stdbool.h>
#include <stdint.h>

/* First 16 KiB of the RMP: processor bookkeeping, then 16 bytes per page */
#define SNP_RMP_BOOKKEEPING     0x4000
#define SNP_RMP_ENTRY_SIZE      16
#define SNP_RMP_PAGE_SHIFT      12
#define RMP_PAGES_PER_2M        512

typedef struct SnpRmpTable {
    bool active;
    uint64_t base;              /* RMP_BASE and RMP_END at activation */
    uint64_t end;
    uint64_t nr_pfns;
    uint16_t *assigned_2m;      /* assigned pages per 2 MiB region */
} SnpRmpTable;

/*
 * Activate the table at [@base, @end] with no page assigned yet. Returns
 * false, and changes nothing, when it is active already (only a machine
 * reset ends it) or too small to hold any entry.
 */
bool snp_rmp_table_activate(SnpRmpTable *t, uint64_t base, uint64_t end);
/* A machine reset: the table is no longer active and its counts are gone. */
void snp_rmp_table_reset(SnpRmpTable *t);
/* Page @pfn became assigned (@delta 1) or unassigned (-1). */
void snp_rmp_table_count(SnpRmpTable *t, uint64_t pfn, int delta);

/* The outcome of the RMP check of one host write */
typedef enum {
    SNP_RMP_WRITE_OK,           /* the write may proceed */
    SNP_RMP_WRITE_DENIED,       /* #PF with the RMP bit */
    SNP_RMP_WRITE_IF_ASSIGNED,  /* denied if @paddr's own entry is assigned */
} SnpRmpWriteCheck;

/*
 * The RMP check of a host (not guest) write to @paddr through a
 * translation of @page_size bytes, as far as the counts decide it.
 */
SnpRmpWriteCheck snp_rmp_table_check_write(const SnpRmpTable *t,
                                           uint64_t paddr,
                                           uint64_t page_size);

#endif
