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
#include "snp-host.h"
#include "snp-rmp.h"

#define PAGES_PER_1G        (RMP_PAGES_PER_2M * 512)

static struct {
    QemuMutex lock;         /* serialises changes of the table */
    bool active;
    uint64_t base;          /* RMP_BASE and RMP_END at activation */
    uint64_t end;
    uint64_t nr_pfns;
    /* assigned pages per 2 MiB and per 1 GiB region */
    uint16_t *assigned_2m;
    uint32_t *assigned_1g;
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
    return rmp.base + SNP_RMP_BOOKKEEPING + pfn * SNP_RMP_ENTRY_SIZE;
}

static void load_entry(uint64_t pfn, SnpRmpEntry *e)
{
    e->lo = address_space_ldq_le(&address_space_memory, entry_addr(pfn),
                                 MEMTXATTRS_UNSPECIFIED, NULL);
    e->hi = address_space_ldq_le(&address_space_memory, entry_addr(pfn) + 8,
                                 MEMTXATTRS_UNSPECIFIED, NULL);
}

static void count_assigned(uint64_t pfn, int delta)
{
    rmp.assigned_2m[pfn / RMP_PAGES_PER_2M] += delta;
    rmp.assigned_1g[pfn / PAGES_PER_1G] += delta;
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
        count_assigned(pfn, is ? 1 : -1);
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
    if (rmp.active || rmp_end < rmp_base + SNP_RMP_BOOKKEEPING) {
        qemu_mutex_unlock(&rmp.lock);
        return;
    }
    rmp.base = rmp_base;
    rmp.end = rmp_end;
    rmp.nr_pfns = (rmp_end + 1 - rmp_base - SNP_RMP_BOOKKEEPING) /
                  SNP_RMP_ENTRY_SIZE;
    rmp.assigned_2m = g_new0(uint16_t,
                             DIV_ROUND_UP(rmp.nr_pfns, RMP_PAGES_PER_2M));
    rmp.assigned_1g = g_new0(uint32_t, DIV_ROUND_UP(rmp.nr_pfns, PAGES_PER_1G));
    /* Whatever software left in the table before SNP_EN counts from now. */
    for (pfn = 0; pfn < rmp.nr_pfns; pfn++) {
        SnpRmpEntry e;

        load_entry(pfn, &e);
        if (e.lo & RMP_ASSIGNED) {
            count_assigned(pfn, 1);
        }
    }
    rmp.active = true;
    qemu_mutex_unlock(&rmp.lock);
    flush_all_tlbs();
}

bool snp_rmp_is_active(void)
{
    return qatomic_read(&rmp.active);
}

uint64_t snp_rmp_nr_pfns(void)
{
    return snp_rmp_is_active() ? rmp.nr_pfns : 0;
}

bool snp_rmp_read(uint64_t pfn, SnpRmpEntry *e)
{
    if (!snp_rmp_is_active() || pfn >= rmp.nr_pfns) {
        return false;
    }
    load_entry(pfn, e);
    return true;
}

void snp_rmp_write(uint64_t pfn, const SnpRmpEntry *e, unsigned int n)
{
    bool flush = false;
    unsigned int i;

    if (!snp_rmp_is_active() || pfn + n > rmp.nr_pfns) {
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
        pfn + npages > rmp.nr_pfns) {
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
        pfn + RMP_PAGES_PER_2M > rmp.nr_pfns) {
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
    uint64_t pfn = paddr >> TARGET_PAGE_BITS;
    SnpRmpEntry e;

    if (!snp_rmp_is_active()) {
        return false;
    }
    if (paddr >= rmp.base && paddr <= rmp.end) {
        return true;
    }
    if (pfn >= rmp.nr_pfns) {
        return false;
    }
    /* A large mapping must not cover any assigned page. */
    if (page_size >= 1 * GiB) {
        return rmp.assigned_1g[pfn / PAGES_PER_1G] != 0;
    }
    if (rmp.assigned_2m[pfn / RMP_PAGES_PER_2M] == 0) {
        return false;
    }
    if (page_size >= 2 * MiB) {
        return true;
    }
    load_entry(pfn, &e);
    return e.lo & RMP_ASSIGNED;
}
