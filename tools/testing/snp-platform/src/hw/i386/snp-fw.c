/*
 * SNP platform model: the firmware's platform commands. See snp-fw.h.
 *
 * Modelled: legacy PLATFORM_STATUS, INIT, INIT_EX, SHUTDOWN and DF_FLUSH
 * (what the ccp driver needs to bring SEV up next to SNP), and SNP_INIT,
 * SNP_INIT_EX with its range list, SNP_SHUTDOWN(_EX), SNP_PLATFORM_STATUS,
 * SNP_DF_FLUSH, SNP_PAGE_RECLAIM, SNP_PAGE_UNSMASH, SNP_CONFIG and
 * SNP_COMMIT. Any other defined command answers UNSUPPORTED, an undefined
 * one INVALID_COMMAND: nothing the model cannot do succeeds silently.
 *
 * The rules about every CPU's state (snp-fw-rules.c) are checked here:
 * SNP_INIT(_EX) wants the same SYSCFG.SNP_EN, RMP_BASE and RMP_END on every
 * CPU and MSR_VM_HSAVE_PA clear (INVALID_CONFIG); DF_FLUSH, SNP_DF_FLUSH
 * and SNP_SHUTDOWN(_EX) want a WBINVD on every CPU since the last INIT,
 * SNP_INIT or SNP_DECOMMISSION (WBINVD_REQUIRED). Each check is one
 * "rule ..." line in the firmware log.
 *
 * Part of the SEV-SNP for Linux 6.1 test platform, not of upstream QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <stdarg.h>
#include "qemu/log.h"
#include "qemu/units.h"
#include "qemu/rcu.h"
#include "exec/address-spaces.h"
#include "exec/memory.h"
#include "hw/core/cpu.h"
#include "cpu.h"
#include "target/i386/snp-host.h"
#include "target/i386/snp-rmp.h"
#include "hw/i386/x86-iommu.h"
#include "hw/i386/amd_iommu.h"
#include "snp-fw.h"

#define PAGE_SZ                 4096ULL

/* The C-bit the firmware strips is the one the CPU reports. */
QEMU_BUILD_BUG_ON(SNP_FW_CBIT_POS != SNP_HOST_CBIT_POS);
/* The CPU rules (snp-fw-rules.c) answer the ABI's status codes. */
QEMU_BUILD_BUG_ON(SNP_FW_RULE_INVALID_CONFIG != SEV_RET_INVALID_CONFIG);
QEMU_BUILD_BUG_ON(SNP_FW_RULE_WBINVD_REQUIRED != SEV_RET_WBINVD_REQUIRED);
QEMU_BUILD_BUG_ON(SNP_FW_RULE_SYSCFG_SNP_EN != SYSCFG_SNP_EN);

/* ---- system memory as the firmware sees it ----------------------------- */

/* Whether [pa, pa + len) is RAM (the firmware touches nothing else). */
bool snp_fw_is_ram(hwaddr pa, hwaddr len)
{
    bool ram = true;

    RCU_READ_LOCK_GUARD();
    while (len && ram) {
        hwaddr xlat, l = len;
        MemoryRegion *mr = address_space_translate(&address_space_memory, pa,
                                                   &xlat, &l, true,
                                                   MEMTXATTRS_UNSPECIFIED);

        ram = memory_region_is_ram(mr) && !memory_region_is_rom(mr);
        pa += l;
        len -= l;
    }
    return ram;
}

/*
 * Whether every page of [pa, pa + len) is RAM and, while SNP is
 * initialised, firmware-owned: the firmware writes nothing the host could
 * still write too.
 */
uint32_t snp_fw_check_output(SnpFw *fw, hwaddr pa, hwaddr len)
{
    hwaddr pfn;

    if (!len || pa + len < pa || !snp_fw_is_ram(pa, len)) {
        return SEV_RET_INVALID_ADDRESS;
    }
    if (!fw->snp_init) {
        return SEV_RET_SUCCESS;
    }
    for (pfn = pa / PAGE_SZ; pfn <= (pa + len - 1) / PAGE_SZ; pfn++) {
        SnpRmpEntry e;

        if (!snp_rmp_read(pfn, &e) || !snp_rmp_is_firmware_page(&e)) {
            return SEV_RET_INVALID_PAGE_STATE;
        }
    }
    return SEV_RET_SUCCESS;
}

uint32_t snp_fw_read(hwaddr pa, void *buf, hwaddr len)
{
    if (pa + len < pa || !snp_fw_is_ram(pa, len)) {
        return SEV_RET_INVALID_ADDRESS;
    }
    address_space_read(&address_space_memory, pa, MEMTXATTRS_UNSPECIFIED,
                       buf, len);
    return SEV_RET_SUCCESS;
}

uint32_t snp_fw_write(SnpFw *fw, hwaddr pa, const void *buf, hwaddr len)
{
    uint32_t ret = snp_fw_check_output(fw, pa, len);

    if (ret == SEV_RET_SUCCESS) {
        address_space_write(&address_space_memory, pa, MEMTXATTRS_UNSPECIFIED,
                            buf, len);
    }
    return ret;
}

/* ---- what the firmware requires of every CPU ---------------------------- */

/* Every CPU's state as the rules see it, in CPU order; g_free() it. */
static SnpFwCpu *snp_fw_cpus(unsigned int *n)
{
    CPUState *cs;
    SnpFwCpu *c;
    unsigned int i = 0;

    *n = 0;
    CPU_FOREACH(cs) {
        (*n)++;
    }
    c = g_new0(SnpFwCpu, *n);
    CPU_FOREACH(cs) {
        CPUX86State *env = &X86_CPU(cs)->env;

        c[i].vm_hsave_pa = env->vm_hsave;
        c[i].syscfg = env->snp_syscfg;
        c[i].rmp_base = env->snp_rmp_base;
        c[i].rmp_end = env->snp_rmp_end;
        c[i].wbinvd = env->snp_wbinvd;
        i++;
    }
    return c;
}

/*
 * Log one check of @rule made by command @cmd (one "rule ..." line in the
 * firmware log, which l3-model.sh reads); returns its status.
 */
static uint32_t snp_fw_rule_log(SnpFw *fw, const char *rule, const char *cmd,
                                unsigned int n, const SnpFwRuleCheck *c)
{
    char line[192];

    snp_fw_rule_format(line, sizeof(line), rule, cmd, n, c);
    snp_fw_log(fw, "%s", line);
    if (!c->ok) {
        qemu_log_mask(LOG_GUEST_ERROR, "snp-psp: %s\n", line);
    }
    return c->ok ? SEV_RET_SUCCESS : c->status;
}

/*
 * The WBINVD epoch: every CPU's record of a WBINVD (the TCG helper of
 * WBINVD sets it, see snp-insn.c) is cleared whenever a command may leave
 * cache lines behind that a later guest or the host must not see.
 */
void snp_fw_caches_dirty(SnpFw *fw, const char *why)
{
    CPUState *cs;

    CPU_FOREACH(cs) {
        X86_CPU(cs)->env.snp_wbinvd = false;
    }
    snp_fw_log(fw, "wbinvd-epoch after=%s", why);
}

/* Every CPU executed WBINVD in this epoch: WBINVD_REQUIRED otherwise. */
static uint32_t snp_fw_check_wbinvd(SnpFw *fw, const char *rule,
                                    const char *cmd)
{
    unsigned int n;
    g_autofree SnpFwCpu *c = snp_fw_cpus(&n);
    SnpFwRuleCheck r = snp_fw_rule_wbinvd_done(c, n);

    return snp_fw_rule_log(fw, rule, cmd, n, &r);
}

/*
 * SNP_INIT(_EX) of every CPU: the same SYSCFG.SNP_EN, RMP_BASE and RMP_END
 * everywhere, SNP_EN set with an active RMP, MSR_VM_HSAVE_PA clear.
 */
static uint32_t snp_fw_check_init_cpus(SnpFw *fw, const char *cmd)
{
    unsigned int n;
    g_autofree SnpFwCpu *c = snp_fw_cpus(&n);
    SnpFwRuleCheck r = snp_fw_rule_msrs_agree(c, n);
    uint32_t ret;

    ret = snp_fw_rule_log(fw, SNP_FW_RULE_MSRS_AGREE, cmd, n, &r);
    if (ret) {
        return ret;
    }
    if (!(c[0].syscfg & SYSCFG_SNP_EN) || !snp_rmp_is_active()) {
        return SEV_RET_RMP_INITIALIZATION_FAILED;
    }
    r = snp_fw_rule_hsave_clear(c, n);
    return snp_fw_rule_log(fw, SNP_FW_RULE_HSAVE_CLEAR, cmd, n, &r);
}

/* ---- legacy SEV platform ----------------------------------------------- */

static uint32_t sev_platform_status(SnpFw *fw, hwaddr buf)
{
    uint8_t st[12] = {
        SNP_FW_API_MAJOR, SNP_FW_API_MINOR, fw->sev_state,
    };
    /* flags: bit 8 CONFIG_ES; the platform has no owner */
    uint32_t flags = fw->sev_es ? 1u << 8 : 0;

    stl_le_p(&st[3], flags);
    st[7] = SNP_FW_BUILD;
    stl_le_p(&st[8], 0);         /* guest count: no SEV guests */
    return snp_fw_write(fw, buf, st, sizeof(st));
}

/*
 * The TMR (and the INIT_EX NV buffer) must be firmware-owned while SNP is
 * initialised; the TMR is 2 MiB, 2 MiB aligned.
 */
static uint32_t sev_check_init_buffers(SnpFw *fw, uint64_t tmr,
                                       uint32_t tmr_len, uint64_t nv,
                                       uint32_t nv_len)
{
    uint32_t ret = SEV_RET_SUCCESS;

    if (tmr_len) {
        if (fw->snp_init && (tmr_len != 2 * MiB || (tmr & (2 * MiB - 1)))) {
            return SEV_RET_INVALID_PARAM;
        }
        ret = snp_fw_check_output(fw, tmr, tmr_len);
    }
    if (ret == SEV_RET_SUCCESS && nv) {
        ret = snp_fw_check_output(fw, nv, nv_len);
    }
    return ret;
}

static uint32_t sev_init(SnpFw *fw, hwaddr buf, bool ex)
{
    uint8_t b[36];
    SnpFwInitBuf init;
    uint32_t ret;

    if (fw->sev_state != SEV_STATE_UNINIT) {
        return SEV_RET_INVALID_PLATFORM_STATE;
    }
    ret = snp_fw_read(buf, b, ex ? 36 : 20);
    if (ret) {
        return ret;
    }
    snp_fw_decode_init(b, ex, &init);
    if (ex && (init.len != 36 || (init.nv && init.nv_len != 32 * KiB))) {
        return SEV_RET_INVALID_LEN;
    }
    ret = sev_check_init_buffers(fw, init.tmr, init.tmr_len, init.nv,
                                 init.nv_len);
    if (ret) {
        return ret;
    }
    fw->sev_state = SEV_STATE_INIT;
    fw->sev_es = init.flags & 1;
    /* INIT is followed by WBINVD and DF_FLUSH (facts sheet 4.1). */
    snp_fw_caches_dirty(fw, ex ? "init-ex" : "init");
    return SEV_RET_SUCCESS;
}

/* ---- SNP platform ------------------------------------------------------- */

/*
 * SNP_INIT_EX's range list: one page, a u32 count and 16-byte entries of
 * a base address and a page count. Every page listed must be the
 * host's or the firmware's; they all become HV-fixed.
 */
static uint32_t snp_apply_range_list(hwaddr list)
{
    uint8_t page[PAGE_SZ];
    uint32_t n, i;

    if (list & (PAGE_SZ - 1) || snp_fw_read(list, page, sizeof(page))) {
        return SEV_RET_INVALID_ADDRESS;
    }
    n = ldl_le_p(page);
    if (n > (PAGE_SZ - 8) / 16) {
        return SEV_RET_INVALID_PARAM;
    }
    for (i = 0; i < n; i++) {
        uint64_t base = ldq_le_p(&page[8 + i * 16]);
        uint32_t count = ldl_le_p(&page[16 + i * 16]);
        uint64_t pfn;

        if (base & (PAGE_SZ - 1)) {
            return SEV_RET_INVALID_ADDRESS;
        }
        for (pfn = base / PAGE_SZ; pfn < base / PAGE_SZ + count; pfn++) {
            SnpRmpEntry e;

            if (snp_rmp_read(pfn, &e) && (e.lo & RMP_ASSIGNED) &&
                !snp_rmp_is_firmware_page(&e)) {
                return SEV_RET_INVALID_PAGE_STATE;
            }
        }
    }
    for (i = 0; i < n; i++) {
        snp_rmp_add_hv_fixed(ldq_le_p(&page[8 + i * 16]) / PAGE_SZ,
                             ldl_le_p(&page[16 + i * 16]));
    }
    return SEV_RET_SUCCESS;
}

/*
 * While SNP is initialised the firmware owns the AMD IOMMU's event and PPR
 * logs: the host may read them, not write them. SNP_INIT takes their
 * pages (those still the host's); SNP_SHUTDOWN_EX with IOMMU_SNP_SHUTDOWN
 * makes them no longer immutable, so that the host can RMPUPDATE them back.
 */
static void snp_iommu_logs_take(SnpFw *fw)
{
    X86IOMMUState *x = x86_iommu_get_default();
    hwaddr base[2];
    uint64_t len[2];
    SnpRmpEntry e;
    AMDVIState *s;
    guint i;

    if (!x || !object_dynamic_cast(OBJECT(x), TYPE_AMD_IOMMU_DEVICE)) {
        return;
    }
    s = AMD_IOMMU_DEVICE(x);
    base[0] = s->evtlog;
    len[0] = (uint64_t)s->evtlog_len * AMDVI_EVENT_LEN;
    base[1] = s->ppr_log;
    len[1] = (uint64_t)s->pprlog_len * AMDVI_EVENT_LEN;
    for (i = 0; i < 2; i++) {
        uint64_t pfn;

        if (!base[i] || !len[i] || len[i] > 512 * KiB ||
            !snp_fw_is_ram(base[i], len[i])) {
            continue;
        }
        for (pfn = base[i] / PAGE_SZ; pfn <= (base[i] + len[i] - 1) / PAGE_SZ;
             pfn++) {
            if (!snp_rmp_read(pfn, &e) || (e.lo & RMP_ASSIGNED)) {
                continue;
            }
            e.lo = RMP_ASSIGNED | RMP_IMMUTABLE;
            e.hi = 0;
            snp_rmp_write(pfn, &e, 1);
            g_array_append_val(fw->iommu_pfns, pfn);
        }
    }
    snp_fw_log(fw, "snp-init iommu-log-pages=%u", fw->iommu_pfns->len);
}

static void snp_iommu_logs_release(SnpFw *fw)
{
    SnpRmpEntry e;
    guint i;

    for (i = 0; i < fw->iommu_pfns->len; i++) {
        uint64_t pfn = g_array_index(fw->iommu_pfns, uint64_t, i);

        if (snp_rmp_read(pfn, &e) && snp_rmp_is_firmware_page(&e)) {
            e.lo &= ~RMP_IMMUTABLE;
            snp_rmp_write(pfn, &e, 1);
        }
    }
    g_array_set_size(fw->iommu_pfns, 0);
}

static uint32_t snp_init(SnpFw *fw, hwaddr buf, bool ex)
{
    /* SNP_INIT always initialises the RMP */
    SnpFwInitExBuf init = { .flags = 1 };
    uint32_t ret;
    uint8_t b[64];
    int i;

    if (fw->snp_init || fw->sev_state != SEV_STATE_UNINIT) {
        return SEV_RET_INVALID_PLATFORM_STATE;
    }
    ret = snp_fw_check_init_cpus(fw, ex ? "snp-init-ex" : "snp-init");
    if (ret) {
        return ret;
    }
    if (ex) {
        ret = snp_fw_read(buf, b, sizeof(b));
        if (ret) {
            return ret;
        }
        snp_fw_decode_snp_init_ex(b, &init);
        /* INIT_RMP and LIST_PADDR_EN; the rest is reserved here. */
        if (init.flags & ~3u || init.rsvd) {
            return SEV_RET_INVALID_PARAM;
        }
        for (i = 16; i < 64; i++) {
            if (b[i]) {
                return SEV_RET_INVALID_PARAM;
            }
        }
    }
    if (!(init.flags & 1) && !fw->rmp_initialized) {
        return SEV_RET_RMP_INIT_REQUIRED;
    }
    if (init.flags & 2) {
        ret = snp_apply_range_list(init.list_paddr);
        if (ret) {
            return ret;
        }
    }
    fw->snp_init = true;
    fw->rmp_initialized = true;
    snp_iommu_logs_take(fw);
    /* SNP_INIT is followed by WBINVD and SNP_DF_FLUSH (facts sheet 4.1). */
    snp_fw_caches_dirty(fw, ex ? "snp-init-ex" : "snp-init");
    return SEV_RET_SUCCESS;
}

static uint32_t snp_shutdown(SnpFw *fw, hwaddr buf, bool ex)
{
    uint8_t b[8] = { 0 };

    if (ex) {
        uint32_t ret = snp_fw_read(buf, b, sizeof(b));

        if (ret) {
            return ret;
        }
        if (ldl_le_p(b) != sizeof(b)) {
            return SEV_RET_INVALID_LEN;
        }
        /* bit 0: IOMMU_SNP_SHUTDOWN, bit 1: X86_SNP_SHUTDOWN */
        if (ldl_le_p(&b[4]) & ~3u) {
            return SEV_RET_INVALID_PARAM;
        }
    }
    /* Legacy SEV goes down first, and every guest. */
    if (fw->sev_state != SEV_STATE_UNINIT || snp_fw_has_guests(fw)) {
        return SEV_RET_INVALID_PLATFORM_STATE;
    }
    /* Like DF_FLUSH: no stale line of a past guest in any CPU's caches. */
    if (fw->snp_init) {
        uint32_t ret = snp_fw_check_wbinvd(fw, SNP_FW_RULE_WBINVD_SHUTDOWN,
                                           ex ? "snp-shutdown-ex"
                                              : "snp-shutdown");

        if (ret) {
            return ret;
        }
    }
    /* Past guests' data may still sit in the caches: DF_FLUSH first. */
    if (!bitmap_empty(fw->asid_dirty, SNP_FW_NR_ASIDS)) {
        return SEV_RET_DFFLUSH_REQUIRED;
    }
    fw->snp_init = false;
    snp_rmp_clear_hv_fixed();
    if (ldl_le_p(&b[4]) & 1) {
        snp_iommu_logs_release(fw);
    }
    snp_fw_log(fw, "%s iommu-snp-shutdown=%u",
               ex ? "snp-shutdown-ex" : "snp-shutdown", ldl_le_p(&b[4]) & 1);
    return SEV_RET_SUCCESS;
}

static uint32_t snp_platform_status(SnpFw *fw, hwaddr buf)
{
    uint8_t st[32] = {
        SNP_FW_API_MAJOR, SNP_FW_API_MINOR, fw->snp_init,
        fw->rmp_initialized ? 1 : 0,    /* IS_RMP_INITIALIZED */
    };
    uint8_t b[8];
    uint64_t page;
    uint32_t ret;

    ret = snp_fw_read(buf, b, sizeof(b));
    if (ret) {
        return ret;
    }
    page = snp_fw_decode_status_page(b);
    if (page & (PAGE_SZ - 1)) {
        return SEV_RET_INVALID_ADDRESS;
    }
    stl_le_p(&st[4], SNP_FW_BUILD);
    stl_le_p(&st[8], fw->config_mask);
    stl_le_p(&st[12], snp_fw_nr_guests(fw));
    stq_le_p(&st[16], SNP_FW_TCB);
    stq_le_p(&st[24], fw->reported_tcb);
    return snp_fw_write(fw, page, st, sizeof(st));
}

/*
 * The 8-byte buffer of PAGE_RECLAIM and PAGE_UNSMASH (address | size bit),
 * which need SNP initialised.
 */
static uint32_t snp_read_page_arg(SnpFw *fw, hwaddr buf, uint64_t *pfn,
                                  bool *large)
{
    SnpFwPageArg arg;
    uint8_t b[8];
    uint32_t ret;

    if (!fw->snp_init) {
        return SEV_RET_INVALID_PLATFORM_STATE;
    }
    ret = snp_fw_read(buf, b, sizeof(b));
    if (ret) {
        return ret;
    }
    snp_fw_decode_page_arg(b, &arg);
    *large = arg.large;
    if (arg.spa & (PAGE_SZ - 1) || (*large && (arg.spa & (2 * MiB - 1)))) {
        return SEV_RET_INVALID_ADDRESS;
    }
    *pfn = arg.spa / PAGE_SZ;
    if (*pfn + (*large ? RMP_PAGES_PER_2M : 1) > snp_rmp_nr_pfns()) {
        return SEV_RET_INVALID_ADDRESS;
    }
    return SEV_RET_SUCCESS;
}

/*
 * An immutable page - the firmware's, or a guest page whose launch update
 * failed - goes back to the state the host can RMPUPDATE from: still
 * assigned, no longer immutable, validated or a VMSA. The context page of a
 * guest that was not decommissioned stays.
 */
static uint32_t snp_page_reclaim(SnpFw *fw, hwaddr buf)
{
    SnpRmpEntry e[RMP_PAGES_PER_2M];
    unsigned int i, n;
    uint64_t pfn;
    bool large;
    uint32_t ret;

    ret = snp_read_page_arg(fw, buf, &pfn, &large);
    if (ret) {
        return ret;
    }
    n = large ? RMP_PAGES_PER_2M : 1;
    for (i = 0; i < n; i++) {
        snp_rmp_read(pfn + i, &e[i]);
        if (!(e[i].lo & RMP_ASSIGNED) || !(e[i].lo & RMP_IMMUTABLE) ||
            snp_fw_find_guest(fw, (pfn + i) * PAGE_SZ)) {
            return SEV_RET_INVALID_PAGE_STATE;
        }
        if (!!(e[i].lo & RMP_SIZE_2M) != large) {
            return SEV_RET_INVALID_PAGE_SIZE;
        }
        e[i].lo &= ~(RMP_IMMUTABLE | RMP_VALIDATED | RMP_VMSA);
    }
    snp_rmp_write(pfn, e, n);
    return SEV_RET_SUCCESS;
}

/* 512 consistent 4 KiB entries become one 2 MiB entry again. */
static uint32_t snp_page_unsmash(SnpFw *fw, hwaddr buf)
{
    SnpRmpEntry e[RMP_PAGES_PER_2M];
    const uint64_t same = ~(RMP_GPA_MASK | RMP_SIZE_2M);
    uint64_t pfn;
    bool large;
    unsigned int i;
    uint32_t ret;

    ret = snp_read_page_arg(fw, buf, &pfn, &large);
    if (ret) {
        return ret;
    }
    if (!large) {
        return SEV_RET_INVALID_PAGE_SIZE;
    }
    for (i = 0; i < RMP_PAGES_PER_2M; i++) {
        snp_rmp_read(pfn + i, &e[i]);
        if (!(e[i].lo & RMP_ASSIGNED) || (e[i].lo & RMP_SIZE_2M) ||
            (e[i].lo & same) != (e[0].lo & same) || e[i].hi != e[0].hi ||
            (e[i].lo & RMP_GPA_MASK) !=
                (e[0].lo & RMP_GPA_MASK) + i * PAGE_SZ ||
            (e[i].lo & RMP_VMSA)) {
            return SEV_RET_INVALID_PAGE_STATE;
        }
    }
    if ((e[0].lo & RMP_GPA_MASK) & (2 * MiB - 1)) {
        return SEV_RET_INVALID_PAGE_STATE;
    }
    for (i = 0; i < RMP_PAGES_PER_2M; i++) {
        e[i].lo |= RMP_SIZE_2M;
    }
    snp_rmp_write(pfn, e, RMP_PAGES_PER_2M);
    return SEV_RET_SUCCESS;
}

static uint32_t snp_config(SnpFw *fw, hwaddr buf)
{
    uint8_t b[64];
    uint32_t ret;
    int i;

    if (!fw->snp_init) {
        return SEV_RET_INVALID_PLATFORM_STATE;
    }
    ret = snp_fw_read(buf, b, sizeof(b));
    if (ret) {
        return ret;
    }
    /* u64 reported TCB, u32 MASK_CHIP_ID | MASK_CHIP_KEY, reserved */
    if (ldl_le_p(&b[8]) & ~3u) {
        return SEV_RET_INVALID_PARAM;
    }
    for (i = 12; i < 64; i++) {
        if (b[i]) {
            return SEV_RET_INVALID_PARAM;
        }
    }
    fw->reported_tcb = ldq_le_p(b);
    fw->config_mask = ldl_le_p(&b[8]);
    return SEV_RET_SUCCESS;
}

static uint32_t snp_commit(SnpFw *fw, hwaddr buf)
{
    uint32_t len, ret;

    if (!fw->snp_init) {
        return SEV_RET_INVALID_PLATFORM_STATE;
    }
    ret = snp_fw_read(buf, &len, sizeof(len));
    if (ret) {
        return ret;
    }
    /* Nothing to commit: the model's firmware is the only version. */
    return le32_to_cpu(len) == 4 ? SEV_RET_SUCCESS : SEV_RET_INVALID_LEN;
}

/* ---- dispatch ----------------------------------------------------------- */

void snp_fw_log(SnpFw *fw, const char *fmt, ...)
{
    va_list ap;

    if (!fw->digest_log_path) {
        return;
    }
    if (!fw->digest_log) {
        fw->digest_log = fopen(fw->digest_log_path, "a");
        if (!fw->digest_log) {
            return;
        }
    }
    va_start(ap, fmt);
    vfprintf(fw->digest_log, fmt, ap);
    va_end(ap);
    fputc('\n', fw->digest_log);
    fflush(fw->digest_log);
}

/*
 * DF_FLUSH makes the ASIDs of decommissioned guests reusable, once every
 * CPU has written its caches back and invalidated them.
 */
static uint32_t snp_df_flush(SnpFw *fw, bool snp)
{
    uint32_t ret;

    if (snp ? !fw->snp_init : fw->sev_state == SEV_STATE_UNINIT) {
        return SEV_RET_INVALID_PLATFORM_STATE;
    }
    ret = snp_fw_check_wbinvd(fw, SNP_FW_RULE_WBINVD_DF_FLUSH,
                              snp ? "snp-df-flush" : "df-flush");
    if (ret) {
        return ret;
    }
    bitmap_zero(fw->asid_dirty, SNP_FW_NR_ASIDS);
    return SEV_RET_SUCCESS;
}

void snp_fw_reset(SnpFw *fw)
{
    fw->sev_state = SEV_STATE_UNINIT;
    fw->sev_es = false;
    fw->snp_init = false;
    fw->rmp_initialized = false;
    fw->reported_tcb = SNP_FW_TCB;
    fw->config_mask = 0;
    if (!fw->iommu_pfns) {
        fw->iommu_pfns = g_array_new(false, false, sizeof(uint64_t));
    }
    g_array_set_size(fw->iommu_pfns, 0);
    memset(fw->guests, 0, sizeof(fw->guests));
    bitmap_zero(fw->asid_dirty, SNP_FW_NR_ASIDS);
    snp_rmp_clear_hv_fixed();
}

/* Defined by the ABI but not modelled (yet): they must not succeed. */
static bool snp_fw_cmd_defined(uint32_t cmd)
{
    return (cmd >= 0x001 && cmd <= 0x00d) || (cmd >= 0x020 && cmd <= 0x023) ||
           (cmd >= 0x030 && cmd <= 0x036) || (cmd >= 0x040 && cmd <= 0x044) ||
           (cmd >= 0x050 && cmd <= 0x053) || cmd == 0x060 || cmd == 0x061 ||
           (cmd >= 0x081 && cmd <= 0x086) || (cmd >= 0x090 && cmd <= 0x095) ||
           (cmd >= 0x0a0 && cmd <= 0x0a2) || (cmd >= 0x0b0 && cmd <= 0x0b1) ||
           (cmd >= 0x0c0 && cmd <= 0x0cb) || cmd == 0x0cd;
}

uint32_t snp_fw_execute(SnpFw *fw, uint32_t cmd, hwaddr buf)
{
    if (fw->fail_count && (!fw->fail_cmd || fw->fail_cmd == cmd) &&
        fw->fail_skip) {
        fw->fail_skip--;
    } else if (fw->fail_count && (!fw->fail_cmd || fw->fail_cmd == cmd)) {
        fw->fail_count--;
        qemu_log_mask(LOG_UNIMP, "snp-psp: command 0x%x fails with 0x%x "
                      "(fault injection)\n", cmd, fw->fail_status);
        return fw->fail_status;
    }

    switch (cmd) {
    case SEV_CMD_PLATFORM_STATUS:
        return sev_platform_status(fw, buf);
    case SEV_CMD_INIT:
        return sev_init(fw, buf, false);
    case SEV_CMD_INIT_EX:
        return sev_init(fw, buf, true);
    case SEV_CMD_SHUTDOWN:
        fw->sev_state = SEV_STATE_UNINIT;
        return SEV_RET_SUCCESS;
    case SEV_CMD_DF_FLUSH:
        return snp_df_flush(fw, false);
    case SNP_CMD_INIT:
        return snp_init(fw, buf, false);
    case SNP_CMD_INIT_EX:
        return snp_init(fw, buf, true);
    case SNP_CMD_SHUTDOWN:
        return snp_shutdown(fw, buf, false);
    case SNP_CMD_SHUTDOWN_EX:
        return snp_shutdown(fw, buf, true);
    case SNP_CMD_PLATFORM_STATUS:
        return snp_platform_status(fw, buf);
    case SNP_CMD_DF_FLUSH:
        return snp_df_flush(fw, true);
    case SNP_CMD_GCTX_CREATE:
        return snp_fw_gctx_create(fw, buf);
    case SNP_CMD_LAUNCH_START:
        return snp_fw_launch_start(fw, buf);
    case SNP_CMD_ACTIVATE:
        return snp_fw_activate(fw, buf);
    case SNP_CMD_LAUNCH_UPDATE:
        return snp_fw_launch_update(fw, buf);
    case SNP_CMD_LAUNCH_FINISH:
        return snp_fw_launch_finish(fw, buf);
    case SNP_CMD_DECOMMISSION:
        return snp_fw_decommission(fw, buf);
    case SNP_CMD_GUEST_STATUS:
        return snp_fw_guest_status(fw, buf);
    case SNP_CMD_GUEST_REQUEST:
        return snp_fw_guest_request(fw, buf);
    case SNP_CMD_PAGE_RECLAIM:
        return snp_page_reclaim(fw, buf);
    case SNP_CMD_PAGE_UNSMASH:
        return snp_page_unsmash(fw, buf);
    case SNP_CMD_CONFIG:
        return snp_config(fw, buf);
    case SNP_CMD_COMMIT:
        return snp_commit(fw, buf);
    default:
        qemu_log_mask(LOG_UNIMP, "snp-psp: command 0x%x is not modelled\n",
                      cmd);
        return snp_fw_cmd_defined(cmd) ? SEV_RET_UNSUPPORTED
                                       : SEV_RET_INVALID_COMMAND;
    }
}
