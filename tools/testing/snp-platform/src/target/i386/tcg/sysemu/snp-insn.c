/*
 * SNP platform model: the SNP instructions of group 7 (0F 01 FE/FF), and
 * what the SNP firmware needs to know of WBINVD (0F 09).
 *
 *   F2 0F 01 FE  RMPUPDATE  host    RAX = SPA, RCX = address of the state
 *   F3 0F 01 FF  PSMASH     host    RAX = SPA of a 2 MiB page
 *   F2 0F 01 FF  PVALIDATE  guest
 *   F3 0F 01 FE  RMPADJUST  guest
 *
 * The host instructions need SYSCFG.SNP_EN and 64-bit mode outside a guest
 * (#UD otherwise) and CPL 0 (#GP otherwise), and return their status in
 * EAX. The guest instructions are #UD: the model runs no SNP guest yet.
 *
 * WBINVD (not INVD, nor WBNOINVD, F3 0F 09, which leaves the lines in the
 * caches) is recorded for the firmware's WBINVD_REQUIRED rule once it is
 * past its CPL and intercept checks.
 *
 * Part of the SEV-SNP for Linux 6.1 test platform, not of upstream QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "cpu.h"
#include "exec/helper-proto.h"
#include "exec/cpu_ldst.h"
#include "tcg/helper-tcg.h"
#include "snp-host.h"
#include "snp-rmp.h"

/* @op: bit 0 set for the FF opcode byte, bit 1 set for an F3 prefix */
#define SNP_INSN_FF     1
#define SNP_INSN_F3     2

static uint32_t snp_rmpupdate(CPUX86State *env, uintptr_t ra)
{
    target_ulong va = env->regs[R_ECX];
    uint64_t gpa = cpu_ldq_data_ra(env, va, ra);
    uint64_t w = cpu_ldq_data_ra(env, va + 8, ra);
    SnpRmpState st = {
        .gpa = gpa,
        .assigned = w & 0xff,
        .pagesize = (w >> 8) & 0xff,
        .immutable = (w >> 16) & 0xff,
        .asid = w >> 32,
    };

    /* Flags are bytes holding 0 or 1; the reserved byte must be 0. */
    if ((w & 0xff) > 1 || ((w >> 16) & 0xff) > 1 || ((w >> 24) & 0xff)) {
        return RMP_RET_FAIL_INPUT;
    }
    return snp_rmp_update(env->regs[R_EAX], &st);
}

void helper_snp_wbinvd(CPUX86State *env)
{
    snp_host_wbinvd(env);
}

void helper_snp_rmp_insn(CPUX86State *env, uint32_t op)
{
    uintptr_t ra = GETPC();
    bool host = op == SNP_INSN_F3 + SNP_INSN_FF || op == 0;
    uint32_t ret;

    if (!host || !env_archcpu(env)->snp_host ||
        !(env->snp_syscfg & SYSCFG_SNP_EN) ||
        (env->hflags & HF_GUEST_MASK) || !(env->hflags & HF_CS64_MASK)) {
        raise_exception_ra(env, EXCP06_ILLOP, ra);
    }
    if (env->hflags & HF_CPL_MASK) {
        raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    if (op == 0) {
        ret = snp_rmpupdate(env, ra);
    } else {
        ret = snp_rmp_psmash(env->regs[R_EAX]);
    }
    /* A 32-bit result zero-extends into RAX. */
    env->regs[R_EAX] = ret;
}
