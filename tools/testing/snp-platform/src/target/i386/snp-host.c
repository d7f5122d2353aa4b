/*
 * SNP-capable AMD EPYC host model: CPUID 0x8000001F, the SNP host MSRs and
 * the RMP table a BIOS would set up. See snp-host.h.
 *
 * Part of the SEV-SNP for Linux 6.1 test platform, not of upstream QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/units.h"
#include "cpu.h"
#include "hw/i386/e820_memory_layout.h"
#include "snp-host.h"
#include "snp-rmp.h"

/* Where the machine put the RMP; every CPU's MSRs come from here at reset. */
static uint64_t snp_rmp_base;
static uint64_t snp_rmp_end;
/* MSR_VM_HSAVE_PA at reset: 0, as on hardware, unless a test asks */
static uint64_t snp_reset_hsave;

void snp_host_cpuid(uint32_t *eax, uint32_t *ebx, uint32_t *ecx,
                    uint32_t *edx)
{
    /*
     * SME, SEV, VmPgFlush, SEV-ES, SEV-SNP, VMPL and SmeCoherent, as on
     * Milan. Without encryption the model's caches are trivially coherent
     * across encrypted mappings, and VM_PAGE_FLUSH has nothing to do.
     */
    *eax = (1u << 0) | (1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) |
           (1u << 5) | (1u << 10);
    *ebx = SNP_HOST_CBIT_POS | (SNP_HOST_PHYS_REDUCTION << 6) |
           (SNP_HOST_NR_VMPLS << 12);
    *ecx = SNP_HOST_MAX_ASID;
    *edx = SNP_HOST_MIN_SEV_ASID;
}

/* What the BIOS leaves behind: encryption on, SMM locked, RMP programmed. */
void snp_host_cpu_reset(CPUX86State *env)
{
    env->snp_syscfg = SYSCFG_MEM_ENCRYPT;
    env->snp_hwcr = HWCR_SMMLOCK;
    env->snp_rmp_base = snp_rmp_base;
    env->snp_rmp_end = snp_rmp_end;
    env->vm_hsave = snp_reset_hsave;
    /* Nothing is written back yet: the firmware's WBINVD rules start here. */
    env->snp_wbinvd = false;
}

void snp_host_set_reset_hsave(uint64_t pa)
{
    snp_reset_hsave = pa;
}

/*
 * The SNP firmware wants a WBINVD on every CPU before DF_FLUSH and
 * SNP_SHUTDOWN (snp-fw.c); it reads this record, and clears it on every
 * CPU when a command leaves cache lines behind.
 */
void snp_host_wbinvd(CPUX86State *env)
{
    env->snp_wbinvd = true;
}

bool snp_host_rdmsr(CPUX86State *env, uint32_t msr, uint64_t *val)
{
    switch (msr) {
    case MSR_SNP_SYSCFG:
        *val = env->snp_syscfg;
        return true;
    case MSR_SNP_HWCR:
        *val = env->snp_hwcr;
        return true;
    case MSR_SNP_RMP_BASE:
        *val = env->snp_rmp_base;
        return true;
    case MSR_SNP_RMP_END:
        *val = env->snp_rmp_end;
        return true;
    default:
        return false;
    }
}

/*
 * Returns 1 when the write was handled, 0 when @msr is not one of ours and
 * -1 when it must raise #GP.
 */
int snp_host_wrmsr(CPUX86State *env, uint32_t msr, uint64_t val)
{
    const uint64_t syscfg_rw = SYSCFG_MFDM | SYSCFG_MEM_ENCRYPT |
                               SYSCFG_SNP_EN | SYSCFG_VMPL_EN;
    bool snp_on = env->snp_syscfg & SYSCFG_SNP_EN;

    switch (msr) {
    case MSR_SNP_SYSCFG:
        /* SNP_EN cannot be cleared, nor memory encryption once it is set. */
        if (snp_on && (!(val & SYSCFG_SNP_EN) || !(val & SYSCFG_MEM_ENCRYPT))) {
            return -1;
        }
        /* SNP needs memory encryption and MFDM first. */
        if ((val & SYSCFG_SNP_EN) && !snp_on &&
            (!(val & SYSCFG_MEM_ENCRYPT) || !(val & SYSCFG_MFDM))) {
            return -1;
        }
        env->snp_syscfg = val & syscfg_rw;
        if ((val & SYSCFG_SNP_EN) && !snp_on) {
            snp_rmp_activate(env->snp_rmp_base, env->snp_rmp_end);
        }
        return 1;
    case MSR_SNP_HWCR:
        /* Only the lock is modelled, and it stays set. */
        env->snp_hwcr = (val & ~HWCR_SMMLOCK) | (env->snp_hwcr & HWCR_SMMLOCK);
        return 1;
    case MSR_SNP_VM_PAGE_FLUSH:
        /* Write-only; no cache holds encrypted data in the model. */
        return 1;
    case MSR_SNP_RMP_BASE:
    case MSR_SNP_RMP_END:
        /* Read-only once SNP is enabled. */
        if (snp_on) {
            return -1;
        }
        if (msr == MSR_SNP_RMP_BASE) {
            env->snp_rmp_base = val;
        } else {
            env->snp_rmp_end = val;
        }
        return 1;
    default:
        return 0;
    }
}

/*
 * Add the RAM below 4 GiB to the e820 map with an RMP table carved out of
 * its top, sized for all RAM (and itself) and 2 MiB aligned, the way a
 * BIOS does it.
 */
void snp_host_add_ram_e820(X86MachineState *x86ms)
{
    uint64_t ram_end = x86ms->above_4g_mem_size ?
        x86ms->above_4g_mem_start + x86ms->above_4g_mem_size :
        x86ms->below_4g_mem_size;
    uint64_t need = SNP_RMP_BOOKKEEPING +
                    (ram_end >> TARGET_PAGE_BITS) * SNP_RMP_ENTRY_SIZE;
    uint64_t carve = ROUND_UP(need, 2 * MiB);

    if (carve >= x86ms->below_4g_mem_size / 2) {
        error_report("snp-host: not enough RAM below 4 GiB for the RMP");
        exit(1);
    }
    snp_rmp_base = x86ms->below_4g_mem_size - carve;
    snp_rmp_end = snp_rmp_base + need - 1;
    e820_add_entry(0, snp_rmp_base, E820_RAM);
    e820_add_entry(snp_rmp_base, carve, E820_RESERVED);
    snp_rmp_machine_init();
}

/*
 * The RMP check of a host (not guest) access through paging, made when the
 * translation is filled: a write that the RMP forbids faults with the RMP
 * bit in the #PF error code, and a read does not make the translation
 * writable. Returns the #PF error code, or 0 when the access may proceed.
 * Checks of guest accesses belong to running SNP guests, which the model
 * does not do yet.
 */
uint32_t snp_host_rmp_check(CPUX86State *env, int access_type, int mmu_idx,
                            uint64_t paddr, uint64_t page_size, int *prot)
{
    if (!(env->snp_syscfg & SYSCFG_SNP_EN) || (env->hflags & HF_GUEST_MASK) ||
        mmu_idx == MMU_PHYS_IDX || mmu_idx == MMU_NESTED_IDX ||
        !(*prot & PAGE_WRITE) ||
        !snp_rmp_host_write_denied(paddr, page_size)) {
        return 0;
    }
    if (access_type != MMU_DATA_STORE) {
        *prot &= ~PAGE_WRITE;
        return 0;
    }
    return SNP_PF_RMP | PG_ERROR_P_MASK | PG_ERROR_W_MASK |
           (is_mmu_index_user(mmu_idx) ? PG_ERROR_U_MASK : 0);
}
