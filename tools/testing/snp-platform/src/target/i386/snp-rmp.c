/*
 * SNP platform model: the Reverse Map Table. See snp-rmp.h.
 *
 * Part of the SEV-SNP for Linux 6.1 test platform, not of upstream QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/thread.h"
#include "qemu/units.h"
#include "exec/address-spaces.h"
#include "exec/exec-all.h"
#include "hw/core/cpu.h"
#include "sysemu/reset.h"
#include "snp-host.h"
#include "snp-rmp.h"

static struct {
    QemuMutex lock;         /* serialises changes of the table */
    SnpRmpTable t;          /* where it is and its assigned-page counts */
    /* HV-fixed ranges, pairs of first and last pfn */
    GArray *hv_fixed;
} rmp;

static void __attribute__((constructor)) snp_rmp_init_lock(void)
{
    qemu_mutex_init(&rmp.lock);
    rmp.hv_fixed = g_array_new(false, false, sizeof(uint64_t));
}

void snp_rmp_add_hv_fixed(uint64_t pfn, uint64_t npages)
{
    uint64_t range[2] = { pfn, pfn + npages - 1 };

    if (!npages) {
        return;
    }
    qemu_mutex_lock(&rmp.lock);
    g_array_append_vals(rmp.hv_fixed, range, 2);
    qemu_mutex_unlock(&rmp.lock);
}

void snp_rmp_clear_hv_fixed(void)
{
    qemu_mutex_lock(&rmp.lock);
    g_array_set_size(rmp.hv_fixed, 0);
    qemu_mutex_unlock(&rmp.lock);
}

/* Whether any of @npages from @pfn is HV-fixed (rmp.lock held). */
static bool hv_fixed_overlaps(uint64_t pfn, unsigned int npages)
{
    guint i;

    for (i = 0; i + 1 < rmp.hv_fixed->len; i += 2) {
        if (pfn <= g_array_index(rmp.hv_fixed, uint64_t, i + 1) &&
            pfn + npages - 1 >= g_array_index(rmp.hv_fixed, uint64_t, i)) {
            return true;
        }
    }
    return false;
}

static hwaddr entry_addr(uint64_t pfn)
{
    return rmp.t.base + SNP_RMP_BOOKKEEPING + pfn * SNP_RMP_ENTRY_SIZE;
}

static void load_entry(uint64_t pfn, SnpRmpEntry *e)
{
    e->lo = address_space_ldq_le(&address_space_memory, entry_addr(pfn),
                                 MEMTXATTRS_UNSPECIFIED, NULL);
    e->hi = address_space_ldq_le(&address_space_memory, entry_addr(pfn) + 8,
                                 MEMTXATTRS_UNSPECIFIED, NULL);
}

/* Store one entry with rmp.lock held; returns true if it became assigned. */
static bool store_entry(uint64_t pfn, const SnpRmpEntry *e)
{
    SnpRmpEntry old;
    bool was, is = e->lo & RMP_ASSIGNED;

    load_entry(pfn, &old);
    was = old.lo & RMP_ASSIGNED;
    address_space_stq_le(&address_space_memory, entry_addr(pfn), e->lo,
                         MEMTXATTRS_UNSPECIFIED, NULL);
    address_space_stq_le(&address_space_memory, entry_addr(pfn) + 8, e->hi,
                         MEMTXATTRS_UNSPECIFIED, NULL);
    if (was != is) {
        snp_rmp_table_count(&rmp.t, pfn, is ? 1 : -1);
    }
    return is && !was;
}

/*
 * Host write permission is decided when a translation is filled, so a page
 * that became assigned must lose every cached translation on every vCPU.
 */
static void flush_all_tlbs(void)
{
    CPUState *cs;

    if (current_cpu) {
        tlb_flush_all_cpus_synced(current_cpu);
        return;
    }
    CPU_FOREACH(cs) {
        tlb_flush(cs);
    }
}

void snp_rmp_activate(uint64_t rmp_base, uint64_t rmp_end)
{
    uint64_t pfn;

    qemu_mutex_lock(&rmp.lock);
    if (!snp_rmp_table_activate(&rmp.t, rmp_base, rmp_end)) {
        qemu_mutex_unlock(&rmp.lock);
        return;
    }
    /*
     * Whatever software left in the table before SNP_EN counts from now;
     * the host write checks, which take no lock, wait for the full count.
     */
    qatomic_set(&rmp.t.active, false);
    for (pfn = 0; pfn < rmp.t.nr_pfns; pfn++) {
        SnpRmpEntry e;

        load_entry(pfn, &e);
        if (e.lo & RMP_ASSIGNED) {
            snp_rmp_table_count(&rmp.t, pfn, 1);
        }
    }
    qatomic_set(&rmp.t.active, true);
    qemu_mutex_unlock(&rmp.lock);
    flush_all_tlbs();
}

/*
 * A machine reset clears SYSCFG.SNP_EN on every CPU, and with it the
 * table: RMP_BASE and RMP_END written after the reset name the table the
 * next SNP_EN activates. The vCPUs are stopped while this runs.
 */
static void snp_rmp_machine_reset(void *opaque)
{
    qemu_mutex_lock(&rmp.lock);
    snp_rmp_table_reset(&rmp.t);
    qemu_mutex_unlock(&rmp.lock);
}

void snp_rmp_machine_init(void)
{
    qemu_register_reset(snp_rmp_machine_reset, NULL);
}

bool snp_rmp_is_active(void)
{
    return qatomic_read(&rmp.t.active);
}

uint64_t snp_rmp_nr_pfns(void)
{
    return snp_rmp_is_active() ? rmp.t.nr_pfns : 0;
}

bool snp_rmp_read(uint64_t pfn, SnpRmpEntry *e)
{
    if (!snp_rmp_is_active() || pfn >= rmp.t.nr_pfns) {
        return false;
    }
    load_entry(pfn, e);
    return true;
}

void snp_rmp_write(uint64_t pfn, const SnpRmpEntry *e, unsigned int n)
{
    bool flush = false;
    unsigned int i;

    if (!snp_rmp_is_active() || pfn + n > rmp.t.nr_pfns) {
        return;
    }
    qemu_mutex_lock(&rmp.lock);
    for (i = 0; i < n; i++) {
        flush |= store_entry(pfn + i, &e[i]);
    }
    qemu_mutex_unlock(&rmp.lock);
    if (flush) {
        flush_all_tlbs();
    }
}

/* Whether the RMP may change @npages entries from @pfn (rmp.lock held). */
static int update_allowed(uint64_t pfn, unsigned int npages)
{
    uint64_t head_pfn = pfn & ~(uint64_t)(RMP_PAGES_PER_2M - 1);
    SnpRmpEntry head, e;
    unsigned int i;

    load_entry(head_pfn, &head);
    if ((head.lo & RMP_ASSIGNED) && (head.lo & RMP_SIZE_2M)) {
        /* Inside an assigned 2 MiB page only a 2 MiB update may change it. */
        if (npages == 1) {
            return RMP_RET_FAIL_OVERLAP;
        }
        return (head.lo & RMP_IMMUTABLE) ? RMP_RET_FAIL_PERMISSION
                                         : RMP_RET_SUCCESS;
    }
    for (i = 0; i < npages; i++) {
        load_entry(pfn + i, &e);
        if ((e.lo & RMP_ASSIGNED) && (e.lo & RMP_IMMUTABLE)) {
            return RMP_RET_FAIL_PERMISSION;
        }
        /* A 2 MiB update over 4 KiB assigned pages overlaps them. */
        if (npages > 1 && (e.lo & RMP_ASSIGNED)) {
            return RMP_RET_FAIL_OVERLAP;
        }
    }
    return RMP_RET_SUCCESS;
}

int snp_rmp_update(uint64_t spa, const SnpRmpState *st)
{
    unsigned int npages, i;
    uint64_t pfn;
    bool flush = false;
    int ret;

    if (!snp_rmp_is_active() || st->pagesize > 1) {
        return RMP_RET_FAIL_INPUT;
    }
    npages = st->pagesize ? RMP_PAGES_PER_2M : 1;
    pfn = spa >> TARGET_PAGE_BITS;
    if (spa & ((uint64_t)npages * TARGET_PAGE_SIZE - 1) ||
        pfn + npages > rmp.t.nr_pfns) {
        return RMP_RET_FAIL_INPUT;
    }
    if (st->assigned &&
        (st->asid > SNP_HOST_MAX_ASID || (st->gpa & ~RMP_GPA_MASK) ||
         (st->gpa & ((uint64_t)npages * TARGET_PAGE_SIZE - 1)))) {
        return RMP_RET_FAIL_INPUT;
    }

    qemu_mutex_lock(&rmp.lock);
    ret = update_allowed(pfn, npages);
    if (ret == RMP_RET_SUCCESS && st->assigned &&
        hv_fixed_overlaps(pfn, npages)) {
        ret = RMP_RET_FAIL_PERMISSION;
    }
    for (i = 0; ret == RMP_RET_SUCCESS && i < npages; i++) {
        SnpRmpEntry e = { 0, 0 };

        /* A new state is never validated and grants no VMPL permissions. */
        if (st->assigned) {
            e.lo = RMP_ASSIGNED |
                   (st->pagesize ? RMP_SIZE_2M : 0) |
                   (st->immutable ? RMP_IMMUTABLE : 0) |
                   ((st->gpa + (uint64_t)i * TARGET_PAGE_SIZE) & RMP_GPA_MASK) |
                   ((uint64_t)st->asid << RMP_ASID_SHIFT);
        }
        flush |= store_entry(pfn + i, &e);
    }
    qemu_mutex_unlock(&rmp.lock);
    if (flush) {
        flush_all_tlbs();
    }
    return ret;
}

int snp_rmp_psmash(uint64_t spa)
{
    uint64_t pfn = spa >> TARGET_PAGE_BITS;
    SnpRmpEntry head;
    unsigned int i;

    if (!snp_rmp_is_active() || (spa & (2 * MiB - 1)) ||
        pfn + RMP_PAGES_PER_2M > rmp.t.nr_pfns) {
        return RMP_RET_FAIL_INPUT;
    }
    qemu_mutex_lock(&rmp.lock);
    load_entry(pfn, &head);
    if (!(head.lo & RMP_ASSIGNED) || !(head.lo & RMP_SIZE_2M)) {
        qemu_mutex_unlock(&rmp.lock);
        return RMP_RET_FAIL_INPUT;
    }
    /* 512 entries of 4 KiB with the owner, validation and permissions. */
    for (i = 0; i < RMP_PAGES_PER_2M; i++) {
        uint64_t gpa = (head.lo & RMP_GPA_MASK) +
                       (uint64_t)i * TARGET_PAGE_SIZE;
        SnpRmpEntry e = {
            .lo = (head.lo & ~(RMP_SIZE_2M | RMP_GPA_MASK)) | gpa,
            .hi = head.hi,
        };

        store_entry(pfn + i, &e);
    }
    qemu_mutex_unlock(&rmp.lock);
    /* Nothing became assigned, and smaller pages only relax host checks. */
    return RMP_RET_SUCCESS;
}

bool snp_rmp_host_write_denied(uint64_t paddr, uint64_t page_size)
{
    SnpRmpEntry e;

    if (!snp_rmp_is_active()) {
        return false;
    }
    switch (snp_rmp_table_check_write(&rmp.t, paddr, page_size)) {
    case SNP_RMP_WRITE_OK:
        return false;
    case SNP_RMP_WRITE_DENIED:
        return true;
    default:
        load_entry(paddr >> TARGET_PAGE_BITS, &e);
        return e.lo & RMP_ASSIGNED;
    }
}
