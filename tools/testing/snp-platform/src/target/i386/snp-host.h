/*
 * SNP-capable AMD EPYC host model: the CPU side.
 *
 * With "-cpu <model>,snp-host=on" the CPU reports SEV, SEV-ES and SEV-SNP
 * in CPUID 0x8000001F and has the MSRs a BIOS leaves on an SNP host:
 * SYSCFG with memory encryption enabled, HWCR with SMM locked, and
 * RMP_BASE/RMP_END pointing at an RMP table the machine reserves at the
 * top of the RAM below 4 GiB. Memory encryption itself is not emulated.
 *
 * Part of the SEV-SNP for Linux 6.1 test platform, not of upstream QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TARGET_I386_SNP_HOST_H
#define TARGET_I386_SNP_HOST_H

#include "cpu.h"
#include "hw/i386/x86.h"
#include "snp-rmp-table.h"

#define MSR_SNP_SYSCFG          0xc0010010
#define MSR_SNP_HWCR            0xc0010015
#define MSR_SNP_RMP_BASE        0xc0010132
#define MSR_SNP_RMP_END         0xc0010133
#define MSR_SNP_VM_PAGE_FLUSH   0xc001011e

#define SYSCFG_MFDM             (1ULL << 19)
#define SYSCFG_MEM_ENCRYPT      (1ULL << 23)
#define SYSCFG_SNP_EN           (1ULL << 24)
#define SYSCFG_VMPL_EN          (1ULL << 25)
#define HWCR_SMMLOCK            (1ULL << 0)

/* CPUID 0x8000001F as the model reports it */
#define SNP_HOST_CBIT_POS       51
#define SNP_HOST_PHYS_REDUCTION 1
#define SNP_HOST_NR_VMPLS       4
#define SNP_HOST_MAX_ASID       509
#define SNP_HOST_MIN_SEV_ASID   100

void snp_host_cpuid(uint32_t *eax, uint32_t *ebx, uint32_t *ecx,
                    uint32_t *edx);
void snp_host_cpu_reset(CPUX86State *env);
/*
 * Test knob (snp-psp's stale-hsave): every CPU comes out of reset with
 * MSR_VM_HSAVE_PA = @pa, as a hypervisor that ran before may leave it.
 */
void snp_host_set_reset_hsave(uint64_t pa);
/* WBINVD executed (the TCG helper, tcg/sysemu/snp-insn.c) */
void snp_host_wbinvd(CPUX86State *env);
bool snp_host_rdmsr(CPUX86State *env, uint32_t msr, uint64_t *val);
int snp_host_wrmsr(CPUX86State *env, uint32_t msr, uint64_t val);
void snp_host_add_ram_e820(X86MachineState *x86ms);
uint32_t snp_host_rmp_check(CPUX86State *env, int access_type, int mmu_idx,
                            uint64_t paddr, uint64_t page_size, int *prot);

/* #PF error code bit of a fault caused by the RMP check */
#define SNP_PF_RMP              (1u << 31)

#endif
