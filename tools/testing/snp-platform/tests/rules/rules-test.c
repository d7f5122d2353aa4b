// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rules-test: unit test of the SNP platform model's pure rules, outside
 * QEMU: the RMP table's life across a machine reset and the host write
 * check (src/target/i386/snp-rmp-table.c), the addresses the firmware
 * takes from platform command buffers (src/hw/i386/snp-fw-buf.c), and
 * what the firmware requires of every CPU before SNP_INIT, DF_FLUSH and
 * SNP_SHUTDOWN (src/hw/i386/snp-fw-rules.c). Built and run by
 * harness/bin/l3-model-unit.sh.
 *
 *   rules-test
 *
 * Prints KTAP, one test per case ("ok N name", "not ok N name # why");
 * exits 1 when a case fails.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "snp-rmp-table.h"
#include "snp-fw-buf.h"
#include "snp-fw-rules.h"

#define SZ_4K		0x1000ULL
#define SZ_2M		0x200000ULL
#define SZ_1G		0x40000000ULL
#define CBIT		(1ULL << 51)	/* the model's C-bit, from its CPUID */

static int cases, failed;
static char why[512];

/*
 * Note why the current case fails: every reason as a KTAP diagnostic line,
 * the first one also on the result line.
 */
static void fail(const char *fmt, ...)
{
	char msg[sizeof(why)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("# %s\n", msg);
	if (!why[0])
		strcpy(why, msg);
}

static void report(const char *name)
{
	cases++;
	if (why[0]) {
		failed++;
		printf("not ok %d %s # %s\n", cases, name, why);
	} else {
		printf("ok %d %s\n", cases, name);
	}
	why[0] = 0;
	fflush(stdout);
}

/* The RMP of a machine with @ram bytes, at @base: 16 KiB + 16 per page */
static uint64_t rmp_end(uint64_t base, uint64_t ram)
{
	return base + SNP_RMP_BOOKKEEPING + ram / SZ_4K * SNP_RMP_ENTRY_SIZE - 1;
}

/*
 * Issue 17 item 8a: a machine reset clears SNP_EN, and RMP_BASE/RMP_END
 * written after it must name the table the next SNP_EN activates.
 */
static void rmp_table_reactivates_after_reset(void)
{
	const uint64_t a = 0x7f600000, b = 0x3f600000, ram = 2 * SZ_1G;
	SnpRmpTable t = { 0 };

	if (!snp_rmp_table_activate(&t, a, rmp_end(a, ram)))
		fail("first activation refused");
	snp_rmp_table_count(&t, 5, 1);
	if (snp_rmp_table_activate(&t, b, rmp_end(b, ram / 2)))
		fail("an active table was moved without a reset");
	snp_rmp_table_reset(&t);
	if (t.active)
		fail("still active after the reset");
	if (!snp_rmp_table_activate(&t, b, rmp_end(b, ram / 2)))
		fail("new RMP_BASE 0x%" PRIx64 " ignored after the reset: table still at 0x%" PRIx64,
		     b, t.base);
	if (t.base != b || t.end != rmp_end(b, ram / 2) ||
	    t.nr_pfns != ram / 2 / SZ_4K)
		fail("table at 0x%" PRIx64 "-0x%" PRIx64 " for %" PRIu64 " pages, want 0x%" PRIx64 "-0x%" PRIx64 " for %" PRIu64,
		     t.base, t.end, t.nr_pfns, b, rmp_end(b, ram / 2),
		     ram / 2 / SZ_4K);
	if (snp_rmp_table_check_write(&t, 5 * SZ_4K, SZ_4K) != SNP_RMP_WRITE_OK)
		fail("a page assigned before the reset still counts");
	if (snp_rmp_table_check_write(&t, a, SZ_4K) != SNP_RMP_WRITE_OK)
		fail("the old table's pages are still protected");
	if (snp_rmp_table_check_write(&t, b, SZ_4K) != SNP_RMP_WRITE_DENIED)
		fail("the new table's pages are not protected");
	snp_rmp_table_reset(&t);
	report("rmp-table-reactivates-after-reset");
}

static const char *check_name(SnpRmpWriteCheck c)
{
	return c == SNP_RMP_WRITE_OK ? "ok" :
	       c == SNP_RMP_WRITE_DENIED ? "denied" : "if-assigned";
}

/*
 * Issue 17 item 8b: the RMP knows 4 KiB and 2 MiB pages; a host write
 * through a 1 GiB mapping is checked as a 2 MiB write to the 2 MiB region
 * that holds the address, not against the whole 1 GiB.
 */
static void host_write_1g_checks_its_2m_region(void)
{
	const uint64_t base = 0x7f600000, assigned = SZ_1G + 3 * SZ_2M + SZ_4K;
	const struct {
		uint64_t paddr, size;
		SnpRmpWriteCheck want;
	} w[] = {
		/* another 2 MiB region of the same 1 GiB page */
		{ SZ_1G, SZ_1G, SNP_RMP_WRITE_OK },
		{ SZ_1G + 4 * SZ_2M, SZ_1G, SNP_RMP_WRITE_OK },
		/* the region with the assigned page, any offset in it */
		{ SZ_1G + 3 * SZ_2M, SZ_1G, SNP_RMP_WRITE_DENIED },
		{ SZ_1G + 3 * SZ_2M + 77 * SZ_4K, SZ_1G, SNP_RMP_WRITE_DENIED },
		/* 2 MiB and 4 KiB mappings, unchanged */
		{ SZ_1G + 3 * SZ_2M, SZ_2M, SNP_RMP_WRITE_DENIED },
		{ SZ_1G + 2 * SZ_2M, SZ_2M, SNP_RMP_WRITE_OK },
		{ SZ_1G + 3 * SZ_2M, SZ_4K, SNP_RMP_WRITE_IF_ASSIGNED },
		{ SZ_1G, SZ_4K, SNP_RMP_WRITE_OK },
		/* the RMP itself, whatever the mapping */
		{ base + SNP_RMP_BOOKKEEPING, SZ_1G, SNP_RMP_WRITE_DENIED },
	};
	SnpRmpTable t = { 0 };
	size_t i;

	snp_rmp_table_activate(&t, base, rmp_end(base, 4 * SZ_1G));
	snp_rmp_table_count(&t, assigned / SZ_4K, 1);
	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		SnpRmpWriteCheck got = snp_rmp_table_check_write(&t, w[i].paddr,
								 w[i].size);

		if (got != w[i].want)
			fail("write to 0x%" PRIx64 " through a 0x%" PRIx64 " mapping: %s, want %s (assigned page 0x%" PRIx64 ")",
			     w[i].paddr, w[i].size, check_name(got),
			     check_name(w[i].want), assigned);
	}
	snp_rmp_table_reset(&t);
	report("host-write-1g-checks-its-2m-region");
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
	while (n--) {
		*p++ = v;
		v >>= 8;
	}
}

static void want_spa(const char *what, uint64_t got, uint64_t want)
{
	if (got != want)
		fail("%s: 0x%" PRIx64 ", want 0x%" PRIx64, what, got, want);
}

/*
 * Issue 17 item 8c: the firmware strips the C-bit from every address it
 * takes: PAGE_RECLAIM/PAGE_UNSMASH's page, SNP_PLATFORM_STATUS's output
 * page, SNP_INIT_EX's range list, INIT's TMR and INIT_EX's TMR and NV
 * buffer.
 */
static void fw_strips_cbit_from_platform_addresses(void)
{
	uint8_t b[64];
	SnpFwPageArg arg;
	SnpFwInitExBuf snp;
	SnpFwInitBuf init;

	want_spa("snp_fw_spa", snp_fw_spa(CBIT | 0x1234000), 0x1234000);

	memset(b, 0, sizeof(b));
	put_le(b, CBIT | 0x40200000 | 1, 8);
	snp_fw_decode_page_arg(b, &arg);
	want_spa("PAGE_RECLAIM/UNSMASH page (2 MiB)", arg.spa, 0x40200000);
	if (!arg.large)
		fail("PAGE_RECLAIM/UNSMASH: size bit lost");
	put_le(b, CBIT | 0x5000, 8);
	snp_fw_decode_page_arg(b, &arg);
	want_spa("PAGE_RECLAIM/UNSMASH page (4 KiB)", arg.spa, 0x5000);
	if (arg.large)
		fail("PAGE_RECLAIM/UNSMASH: 4 KiB page taken for 2 MiB");

	put_le(b, CBIT | 0x7000, 8);
	want_spa("SNP_PLATFORM_STATUS page", snp_fw_decode_status_page(b),
		 0x7000);

	memset(b, 0, sizeof(b));
	put_le(&b[0], 3, 4);
	put_le(&b[8], CBIT | 0x9000, 8);
	snp_fw_decode_snp_init_ex(b, &snp);
	want_spa("SNP_INIT_EX range list", snp.list_paddr, 0x9000);
	if (snp.flags != 3)
		fail("SNP_INIT_EX flags 0x%x, want 0x3", snp.flags);

	memset(b, 0, sizeof(b));
	put_le(&b[0], 1, 4);
	put_le(&b[8], CBIT | 0x20000000, 8);
	put_le(&b[16], SZ_2M, 4);
	snp_fw_decode_init(b, false, &init);
	want_spa("INIT TMR", init.tmr, 0x20000000);
	if (init.flags != 1 || init.tmr_len != SZ_2M)
		fail("INIT flags 0x%x TMR length 0x%x", init.flags, init.tmr_len);

	memset(b, 0, sizeof(b));
	put_le(&b[0], 36, 4);
	put_le(&b[4], 1, 4);
	put_le(&b[8], CBIT | 0x20400000, 8);
	put_le(&b[16], SZ_2M, 4);
	put_le(&b[24], CBIT | 0x30000000, 8);
	put_le(&b[32], 0x8000, 4);
	snp_fw_decode_init(b, true, &init);
	want_spa("INIT_EX TMR", init.tmr, 0x20400000);
	want_spa("INIT_EX NV buffer", init.nv, 0x30000000);
	if (init.len != 36 || init.flags != 1 || init.tmr_len != SZ_2M ||
	    init.nv_len != 0x8000)
		fail("INIT_EX length %u flags 0x%x TMR length 0x%x NV length 0x%x",
		     init.len, init.flags, init.tmr_len, init.nv_len);
	report("fw-strips-cbit-from-platform-addresses");
}

/* One CPU of an SNP host as SNP_INIT wants it */
#define RULES_RMP_BASE	0x7f600000ULL
#define RULES_RMP_END	0x7fe03fffULL
#define GOOD_CPU { .vm_hsave_pa = 0, .syscfg = (1ULL << 23) | (1ULL << 24), \
		   .rmp_base = RULES_RMP_BASE, .rmp_end = RULES_RMP_END, \
		   .wbinvd = true }

/* A rule's outcome as a test wants it */
struct rule_want {
	bool ok;
	uint32_t status;
	unsigned int cpu, nr_bad;
	const char *what;
};

static void want_rule(const char *name, SnpFwRuleCheck got,
		      const struct rule_want *w)
{
	if (got.ok != w->ok)
		fail("%s: %s, want %s", name, got.ok ? "ok" : "broken",
		     w->ok ? "ok" : "broken");
	else if (!w->ok && (got.status != w->status || got.cpu != w->cpu ||
			    got.nr_bad != w->nr_bad ||
			    strcmp(got.what ? got.what : "",
				   w->what ? w->what : "")))
		fail("%s: status 0x%02x cpu %u bad %u (%s), want 0x%02x cpu %u bad %u (%s)",
		     name, got.status, got.cpu, got.nr_bad,
		     got.what ? got.what : "-", w->status, w->cpu, w->nr_bad,
		     w->what ? w->what : "-");
}

/*
 * Issue 17 item 7, rule 1: SNP_INIT(_EX) fails with INVALID_CONFIG unless
 * MSR_VM_HSAVE_PA is 0 on every CPU; the first CPU with it set is reported.
 */
static void fw_init_needs_hsave_clear_on_every_cpu(void)
{
	static const struct {
		const char *name;
		uint64_t hsave[4];
		unsigned int n;
		struct rule_want want;
	} t[] = {
		{ "clear on 4 CPUs", { 0, 0, 0, 0 }, 4, { .ok = true } },
		{ "set on the last CPU", { 0, 0, 0, 0x1000 }, 4,
		  { false, SNP_FW_RULE_INVALID_CONFIG, 3, 1, "vm_hsave_pa" } },
		{ "set on the boot CPU", { 0x2000, 0, 0, 0 }, 4,
		  { false, SNP_FW_RULE_INVALID_CONFIG, 0, 1, "vm_hsave_pa" } },
		{ "set on CPUs 1 and 2", { 0, 0x1000, 0x2000, 0 }, 4,
		  { false, SNP_FW_RULE_INVALID_CONFIG, 1, 2, "vm_hsave_pa" } },
		{ "one CPU, set", { 0x1000 }, 1,
		  { false, SNP_FW_RULE_INVALID_CONFIG, 0, 1, "vm_hsave_pa" } },
	};
	size_t i, c;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		SnpFwCpu cpus[4] = { GOOD_CPU, GOOD_CPU, GOOD_CPU, GOOD_CPU };

		for (c = 0; c < t[i].n; c++)
			cpus[c].vm_hsave_pa = t[i].hsave[c];
		want_rule(t[i].name, snp_fw_rule_hsave_clear(cpus, t[i].n),
			  &t[i].want);
	}
	report("fw-init-needs-hsave-clear-on-every-cpu");
}

/*
 * Issue 17 item 7, rule 1: SNP_INIT(_EX) fails with INVALID_CONFIG unless
 * SYSCFG.SNP_EN, RMP_BASE and RMP_END are the same on every CPU. Other
 * SYSCFG bits do not matter, and SNP_EN clear on every CPU agrees (the
 * firmware refuses that for another reason).
 */
static void fw_init_needs_same_snp_msrs_on_every_cpu(void)
{
	enum { SAME, SNP_EN_OFF, MFDM_OFF, BASE, END };
	static const struct {
		const char *name;
		int change[4];		/* what differs on each CPU */
		struct rule_want want;
	} t[] = {
		{ "all the same", { SAME, SAME, SAME, SAME }, { .ok = true } },
		{ "SNP_EN clear everywhere",
		  { SNP_EN_OFF, SNP_EN_OFF, SNP_EN_OFF, SNP_EN_OFF }, { .ok = true } },
		{ "another SYSCFG bit differs", { SAME, MFDM_OFF, SAME, SAME },
		  { .ok = true } },
		{ "SNP_EN clear on CPU 2", { SAME, SAME, SNP_EN_OFF, SAME },
		  { false, SNP_FW_RULE_INVALID_CONFIG, 2, 1, "syscfg.snp_en" } },
		{ "SNP_EN set on CPU 0 only",
		  { SAME, SNP_EN_OFF, SNP_EN_OFF, SNP_EN_OFF },
		  { false, SNP_FW_RULE_INVALID_CONFIG, 1, 3, "syscfg.snp_en" } },
		{ "RMP_BASE differs on CPU 1", { SAME, BASE, SAME, SAME },
		  { false, SNP_FW_RULE_INVALID_CONFIG, 1, 1, "rmp_base" } },
		{ "RMP_END differs on CPU 3", { SAME, SAME, SAME, END },
		  { false, SNP_FW_RULE_INVALID_CONFIG, 3, 1, "rmp_end" } },
	};
	size_t i, c;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		SnpFwCpu cpus[4] = { GOOD_CPU, GOOD_CPU, GOOD_CPU, GOOD_CPU };

		for (c = 0; c < 4; c++) {
			switch (t[i].change[c]) {
			case SNP_EN_OFF:
				cpus[c].syscfg &= ~SNP_FW_RULE_SYSCFG_SNP_EN;
				break;
			case MFDM_OFF:
				cpus[c].syscfg ^= 1ULL << 19;
				break;
			case BASE:
				cpus[c].rmp_base += SZ_2M;
				break;
			case END:
				cpus[c].rmp_end -= SZ_4K;
				break;
			}
		}
		want_rule(t[i].name, snp_fw_rule_msrs_agree(cpus, 4), &t[i].want);
	}
	report("fw-init-needs-same-snp-msrs-on-every-cpu");
}

/*
 * Issue 17 item 7, rule 2: DF_FLUSH, SNP_DF_FLUSH and SNP_SHUTDOWN_EX fail
 * with WBINVD_REQUIRED until every CPU executed WBINVD in this epoch.
 */
static void fw_flush_needs_wbinvd_on_every_cpu(void)
{
	static const struct {
		const char *name;
		bool done[4];
		unsigned int n;
		struct rule_want want;
	} t[] = {
		{ "every CPU", { true, true, true, true }, 4, { .ok = true } },
		{ "no CPU (a new epoch)", { false, false, false, false }, 4,
		  { false, SNP_FW_RULE_WBINVD_REQUIRED, 0, 4, NULL } },
		{ "all but CPU 3", { true, true, true, false }, 4,
		  { false, SNP_FW_RULE_WBINVD_REQUIRED, 3, 1, NULL } },
		{ "the boot CPU only", { true, false, false, false }, 4,
		  { false, SNP_FW_RULE_WBINVD_REQUIRED, 1, 3, NULL } },
		{ "one CPU, done", { true }, 1, { .ok = true } },
	};
	size_t i, c;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		SnpFwCpu cpus[4] = { GOOD_CPU, GOOD_CPU, GOOD_CPU, GOOD_CPU };

		for (c = 0; c < t[i].n; c++)
			cpus[c].wbinvd = t[i].done[c];
		want_rule(t[i].name, snp_fw_rule_wbinvd_done(cpus, t[i].n),
			  &t[i].want);
	}
	report("fw-flush-needs-wbinvd-on-every-cpu");
}

/*
 * Issue 17 item 7: the firmware log's line per check, which l3-model.sh
 * reads (model:rule:NAME).
 */
static void fw_rule_log_lines(void)
{
	static const struct {
		const char *name;
		const char *rule, *cmd;
		unsigned int n;
		SnpFwRuleCheck c;
		const char *want;
	} t[] = {
		{ "ok", SNP_FW_RULE_HSAVE_CLEAR, "snp-init-ex", 2, { .ok = true },
		  "rule hsave-clear snp-init-ex cpus=2 ok" },
		{ "MSR broken", SNP_FW_RULE_HSAVE_CLEAR, "snp-init", 2,
		  { false, SNP_FW_RULE_INVALID_CONFIG, 1, 1, "vm_hsave_pa" },
		  "rule hsave-clear snp-init cpus=2 fail status=0x03 cpu=1 vm_hsave_pa bad=1" },
		{ "WBINVD missing", SNP_FW_RULE_WBINVD_DF_FLUSH, "snp-df-flush", 2,
		  { false, SNP_FW_RULE_WBINVD_REQUIRED, 0, 2, NULL },
		  "rule wbinvd-before-df-flush snp-df-flush cpus=2 fail status=0x0e cpu=0 bad=2" },
	};
	char line[192];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snp_fw_rule_format(line, sizeof(line), t[i].rule, t[i].cmd,
				   t[i].n, &t[i].c);
		if (strcmp(line, t[i].want))
			fail("%s: \"%s\", want \"%s\"", t[i].name, line, t[i].want);
	}
	report("fw-rule-log-lines");
}

int main(void)
{
	printf("KTAP version 1\n1..7\n");
	rmp_table_reactivates_after_reset();
	host_write_1g_checks_its_2m_region();
	fw_strips_cbit_from_platform_addresses();
	fw_init_needs_hsave_clear_on_every_cpu();
	fw_init_needs_same_snp_msrs_on_every_cpu();
	fw_flush_needs_wbinvd_on_every_cpu();
	fw_rule_log_lines();
	return failed ? 1 : 0;
}
