/*
 * SNP platform model: the firmware's rules about every CPU's state. See
 * snp-fw-rules.h.
 *
 * Part of the SEV-SNP for Linux 6.1 test platform, not of upstream QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include "snp-fw-rules.h"

static SnpFwRuleCheck rule_ok(void)
{
    return (SnpFwRuleCheck) { .ok = true, .status = SNP_FW_RULE_SUCCESS };
}

/* Note CPU @i as breaking the rule; the first one is the one reported. */
static void rule_break(SnpFwRuleCheck *c, uint32_t status, unsigned int i,
                       const char *what)
{
    if (c->ok) {
        c->ok = false;
        c->status = status;
        c->cpu = i;
        c->what = what;
    }
    c->nr_bad++;
}

SnpFwRuleCheck snp_fw_rule_msrs_agree(const SnpFwCpu *cpus, unsigned int n)
{
    SnpFwRuleCheck c = rule_ok();
    unsigned int i;

    for (i = 1; i < n; i++) {
        if ((cpus[i].syscfg ^ cpus[0].syscfg) & SNP_FW_RULE_SYSCFG_SNP_EN) {
            rule_break(&c, SNP_FW_RULE_INVALID_CONFIG, i, "syscfg.snp_en");
        } else if (cpus[i].rmp_base != cpus[0].rmp_base) {
            rule_break(&c, SNP_FW_RULE_INVALID_CONFIG, i, "rmp_base");
        } else if (cpus[i].rmp_end != cpus[0].rmp_end) {
            rule_break(&c, SNP_FW_RULE_INVALID_CONFIG, i, "rmp_end");
        }
    }
    return c;
}

SnpFwRuleCheck snp_fw_rule_hsave_clear(const SnpFwCpu *cpus, unsigned int n)
{
    SnpFwRuleCheck c = rule_ok();
    unsigned int i;

    for (i = 0; i < n; i++) {
        if (cpus[i].vm_hsave_pa) {
            rule_break(&c, SNP_FW_RULE_INVALID_CONFIG, i, "vm_hsave_pa");
        }
    }
    return c;
}

SnpFwRuleCheck snp_fw_rule_wbinvd_done(const SnpFwCpu *cpus, unsigned int n)
{
    SnpFwRuleCheck c = rule_ok();
    unsigned int i;

    for (i = 0; i < n; i++) {
        if (!cpus[i].wbinvd) {
            rule_break(&c, SNP_FW_RULE_WBINVD_REQUIRED, i, NULL);
        }
    }
    return c;
}

int snp_fw_rule_format(char *buf, size_t len, const char *rule,
                       const char *cmd, unsigned int n,
                       const SnpFwRuleCheck *c)
{
    if (c->ok) {
        return snprintf(buf, len, "rule %s %s cpus=%u ok", rule, cmd, n);
    }
    return snprintf(buf, len, "rule %s %s cpus=%u fail status=0x%02x cpu=%u%s%s bad=%u",
                    rule, cmd, n, c->status, c->cpu, c->what ? " " : "",
                    c->what ? c->what : "", c->nr_bad);
}
