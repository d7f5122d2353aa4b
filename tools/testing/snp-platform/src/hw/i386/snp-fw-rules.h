/*
 * SNP platform model: the firmware's rules about the state of every CPU -
 * what SNP_INIT(_EX) requires of each CPU's MSRs, and the WBINVD that
 * DF_FLUSH, SNP_DF_FLUSH and SNP_SHUTDOWN(_EX) require on every CPU since
 * the last command that left stale cache lines behind. Plain C with no
 * QEMU dependency, so that the model's unit tests
 * (harness/bin/l3-model-unit.sh) can build it on its own; snp-fw.c takes
 * the snapshot of the CPUs and logs each check.
 *
 * Part of the SEV-SNP for Linux 6.1 test platform, not of upstream QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_I386_SNP_FW_RULES_H
#define HW_I386_SNP_FW_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The firmware status codes these rules answer (facts sheet 4.4) */
#define SNP_FW_RULE_SUCCESS             0x00
#define SNP_FW_RULE_INVALID_CONFIG      0x03
#define SNP_FW_RULE_WBINVD_REQUIRED     0x0e

/* SYSCFG.SNP_EN (facts sheet 1.2) */
#define SNP_FW_RULE_SYSCFG_SNP_EN       (1ULL << 24)

/* What the firmware sees of one CPU */
typedef struct SnpFwCpu {
    uint64_t vm_hsave_pa;       /* MSR 0xc0010117 */
    uint64_t syscfg;            /* MSR 0xc0010010 */
    uint64_t rmp_base;          /* MSR 0xc0010132 */
    uint64_t rmp_end;           /* MSR 0xc0010133 */
    bool wbinvd;                /* WBINVD since the firmware's last epoch */
} SnpFwCpu;

/* The outcome of one rule over all CPUs */
typedef struct SnpFwRuleCheck {
    bool ok;
    uint32_t status;            /* the firmware status when not ok */
    unsigned int cpu;           /* the first CPU that breaks it */
    unsigned int nr_bad;        /* how many CPUs break it */
    const char *what;           /* which MSR, for the log */
} SnpFwRuleCheck;

/* The rules, named as the firmware log names them */
#define SNP_FW_RULE_MSRS_AGREE          "snp-msrs-agree"
#define SNP_FW_RULE_HSAVE_CLEAR         "hsave-clear"
#define SNP_FW_RULE_WBINVD_DF_FLUSH     "wbinvd-before-df-flush"
#define SNP_FW_RULE_WBINVD_SHUTDOWN     "wbinvd-before-snp-shutdown"

/*
 * SNP_INIT and SNP_INIT_EX: SYSCFG.SNP_EN, RMP_BASE and RMP_END hold the
 * same value on every CPU as on CPU 0 (INVALID_CONFIG otherwise).
 */
SnpFwRuleCheck snp_fw_rule_msrs_agree(const SnpFwCpu *cpus, unsigned int n);

/*
 * SNP_INIT and SNP_INIT_EX: MSR_VM_HSAVE_PA is 0 on every CPU
 * (INVALID_CONFIG otherwise).
 */
SnpFwRuleCheck snp_fw_rule_hsave_clear(const SnpFwCpu *cpus, unsigned int n);

/*
 * DF_FLUSH, SNP_DF_FLUSH, SNP_SHUTDOWN and SNP_SHUTDOWN_EX: every CPU
 * executed WBINVD since the firmware's last epoch start
 * (WBINVD_REQUIRED otherwise).
 */
SnpFwRuleCheck snp_fw_rule_wbinvd_done(const SnpFwCpu *cpus, unsigned int n);

/*
 * The firmware log's line for one check of @rule by @cmd over @n CPUs:
 *   rule NAME CMD cpus=N ok
 *   rule NAME CMD cpus=N fail status=0xSS cpu=I [MSR] bad=K
 * Returns what snprintf() returns.
 */
int snp_fw_rule_format(char *buf, size_t len, const char *rule,
                       const char *cmd, unsigned int n,
                       const SnpFwRuleCheck *c);

#endif
