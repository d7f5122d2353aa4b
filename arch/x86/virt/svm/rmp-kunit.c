// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the SEV-SNP host RMP code.
 *
 * snp_host_check and rmp_layout test pure functions. rmp_ops runs the
 * table operations against a software RMP: RMPUPDATE and PSMASH are
 * redirected, through their static calls, to a small model of what the
 * instructions do to the table, so that the encoding, decoding, argument
 * checks and retry logic run exactly as on hardware.
 */

#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/pfn.h>
#include <linux/static_call.h>

#include "rmp.h"

#define GIB(x)	((u64)(x) << 30)

/* ---- snp_host_check ---------------------------------------------------- */

/* What a case changes in a capable host's facts. */
#define NO_AMD		BIT(0)
#define NO_SVM		BIT(1)
#define NO_SNP		BIT(2)
#define GUEST		BIT(3)
#define NO_SME		BIT(4)
#define NO_SMM_LOCK	BIT(5)

struct snp_host_case {
	const char *name;
	unsigned int flags;
	unsigned int family;	/* 0: 0x19 */
	bool set_rmp;		/* use rmp_base/rmp_end below */
	u64 rmp_base, rmp_end;
	u64 ram_end;		/* 0: 16 GiB */
	enum snp_host_reason want;
};

/*
 * A Milan-like host with 16 GiB of RAM and its table at 32 GiB, outside
 * RAM, so the table has to describe 32 GiB plus its own pages: 33 GiB
 * worth of entries after the 16 KiB bookkeeping area.
 */
#define GOOD_RMP_BASE	GIB(32)
#define GOOD_RMP_END	(GIB(32) + SZ_16K + (GIB(33) >> PAGE_SHIFT) * RMP_ENTRY_SIZE - 1)

static void snp_host_case_facts(const struct snp_host_case *c,
				struct snp_host_facts *f)
{
	f->amd = !(c->flags & NO_AMD);
	f->svm = !(c->flags & NO_SVM);
	f->snp = !(c->flags & NO_SNP);
	f->hypervisor = c->flags & GUEST;
	f->mem_encrypt = !(c->flags & NO_SME);
	f->smm_lock = !(c->flags & NO_SMM_LOCK);
	f->family = c->family ?: 0x19;
	f->rmp_base = c->set_rmp ? c->rmp_base : GOOD_RMP_BASE;
	f->rmp_end = c->set_rmp ? c->rmp_end : GOOD_RMP_END;
	f->ram_end_pfn = PHYS_PFN(c->ram_end ?: GIB(16));
}

static const struct snp_host_case snp_host_cases[] = {
	{ .name = "capable host", .want = SNP_HOST_OK },
	{ .name = "Genoa family", .family = 0x1a, .want = SNP_HOST_OK },
	{ .name = "Intel CPU", .flags = NO_AMD, .want = SNP_HOST_NOT_AMD },
	{ .name = "no SVM", .flags = NO_SVM, .want = SNP_HOST_NO_SVM },
	{ .name = "no SVM reported before no SNP", .flags = NO_SVM | NO_SNP,
	  .want = SNP_HOST_NO_SVM },
	{ .name = "no SNP in CPUID", .flags = NO_SNP, .want = SNP_HOST_NO_SNP },
	{ .name = "Rome (family 17h)", .family = 0x17,
	  .want = SNP_HOST_OLD_FAMILY },
	{ .name = "guest", .flags = GUEST, .want = SNP_HOST_GUEST },
	{ .name = "guest on a CPU without SNP", .flags = GUEST | NO_SNP,
	  .want = SNP_HOST_NO_SNP },
	{ .name = "SMEE off", .flags = NO_SME, .want = SNP_HOST_MEM_ENCRYPT_OFF },
	{ .name = "SMM not locked", .flags = NO_SMM_LOCK,
	  .want = SNP_HOST_SMM_UNLOCKED },
	{ .name = "RMP not programmed", .set_rmp = true,
	  .want = SNP_HOST_RMP_NOT_SET },
	{ .name = "RMP base not 8 KiB aligned", .set_rmp = true,
	  .rmp_base = GOOD_RMP_BASE + SZ_4K, .rmp_end = GOOD_RMP_END,
	  .want = SNP_HOST_RMP_MALFORMED },
	{ .name = "RMP end below base", .set_rmp = true,
	  .rmp_base = GOOD_RMP_BASE, .rmp_end = GOOD_RMP_BASE - 1,
	  .want = SNP_HOST_RMP_MALFORMED },
	{ .name = "RMP only bookkeeping", .set_rmp = true,
	  .rmp_base = GOOD_RMP_BASE, .rmp_end = GOOD_RMP_BASE + SZ_16K - 1,
	  .want = SNP_HOST_RMP_MALFORMED },
	{ .name = "RMP end without base", .set_rmp = true,
	  .rmp_end = GOOD_RMP_END, .want = SNP_HOST_RMP_MALFORMED },
	{ .name = "RMP too small for RAM", .ram_end = GIB(40),
	  .want = SNP_HOST_RMP_TOO_SMALL },
	{ .name = "RMP does not cover itself", .set_rmp = true,
	  .rmp_base = GOOD_RMP_BASE,
	  .rmp_end = GOOD_RMP_BASE + SZ_16K + (GIB(32) >> PAGE_SHIFT) * RMP_ENTRY_SIZE - 1,
	  .want = SNP_HOST_RMP_TOO_SMALL },
};

static void snp_host_case_desc(const struct snp_host_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(snp_host, snp_host_cases, snp_host_case_desc);

static void snp_host_check_reports_first_failed_condition(struct kunit *test)
{
	const struct snp_host_case *c = test->param_value;
	struct snp_host_facts f;

	snp_host_case_facts(c, &f);
	KUNIT_EXPECT_EQ(test, snp_host_check(&f), c->want);
}

static void snp_host_iommu_errors_map_to_reasons(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, snp_host_iommu_reason(0), SNP_HOST_OK);
	KUNIT_EXPECT_EQ(test, snp_host_iommu_reason(-ENODEV), SNP_HOST_NO_IOMMU);
	KUNIT_EXPECT_EQ(test, snp_host_iommu_reason(-EINVAL),
			SNP_HOST_IOMMU_PASSTHROUGH);
	KUNIT_EXPECT_EQ(test, snp_host_iommu_reason(-EOPNOTSUPP),
			SNP_HOST_IOMMU_NO_SNP);
	KUNIT_EXPECT_EQ(test, snp_host_iommu_reason(-EBUSY),
			SNP_HOST_IOMMU_TOO_LATE);
	KUNIT_EXPECT_EQ(test, snp_host_iommu_reason(-ENOMEM),
			SNP_HOST_IOMMU_FAILED);
}

static void snp_host_every_reason_has_text(struct kunit *test)
{
	enum snp_host_reason r;

	for (r = SNP_HOST_OK; r < SNP_HOST_NR_REASONS; r++)
		KUNIT_EXPECT_NOT_NULL_MSG(test, snp_host_reason_text(r),
					  "reason %d", r);
	KUNIT_EXPECT_STREQ(test, snp_host_reason_text(SNP_HOST_NR_REASONS),
			   "unknown reason");
}

static struct kunit_case snp_host_check_cases[] = {
	KUNIT_CASE_PARAM(snp_host_check_reports_first_failed_condition,
			 snp_host_gen_params),
	KUNIT_CASE(snp_host_iommu_errors_map_to_reasons),
	KUNIT_CASE(snp_host_every_reason_has_text),
	{}
};

static struct kunit_suite snp_host_check_suite = {
	.name = "snp_host_check",
	.test_cases = snp_host_check_cases,
};

/* ---- rmp_layout -------------------------------------------------------- */

static void rmp_nr_pfns_excludes_bookkeeping(struct kunit *test)
{
	u64 base = GIB(1);

	KUNIT_EXPECT_EQ(test, rmp_table_nr_pfns(base, base + SZ_16K + 16 * 100 - 1),
			100ULL);
	/* A partial entry at the end does not count. */
	KUNIT_EXPECT_EQ(test, rmp_table_nr_pfns(base, base + SZ_16K + 16 * 100 + 7),
			100ULL);
	KUNIT_EXPECT_EQ(test, rmp_table_nr_pfns(base, base + SZ_16K - 1), 0ULL);
	KUNIT_EXPECT_EQ(test, rmp_table_nr_pfns(base, base - 1), 0ULL);
}

static void rmp_nr_pfns_is_ram_over_256(struct kunit *test)
{
	/* 1 TiB of RAM needs a 4 GiB table (plus 16 KiB). */
	u64 base = GIB(2048);

	KUNIT_EXPECT_EQ(test, rmp_table_nr_pfns(base, base + SZ_16K + GIB(4) - 1),
			GIB(1024) >> PAGE_SHIFT);
}

struct rmp_reserve_case {
	const char *name;
	u64 base, end;
	u64 start, size;
};

static const struct rmp_reserve_case rmp_reserve_cases[] = {
	{ "both ends aligned", GIB(4), GIB(4) + SZ_64M - 1, GIB(4), SZ_64M },
	{ "start unaligned", GIB(4) + SZ_1M, GIB(4) + SZ_64M - 1,
	  GIB(4), SZ_64M },
	{ "end unaligned", GIB(4), GIB(4) + SZ_64M + SZ_16K - 1,
	  GIB(4), SZ_64M + SZ_2M },
	{ "both unaligned", GIB(4) + SZ_8K, GIB(4) + SZ_64M + SZ_1M - 1,
	  GIB(4), SZ_64M + SZ_2M },
	{ "inside one 2 MiB region", GIB(4) + SZ_8K, GIB(4) + SZ_1M - 1,
	  GIB(4), SZ_2M },
};

static void rmp_reserve_case_desc(const struct rmp_reserve_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(rmp_reserve, rmp_reserve_cases, rmp_reserve_case_desc);

static void rmp_reserve_widens_to_2m_regions(struct kunit *test)
{
	const struct rmp_reserve_case *c = test->param_value;
	struct rmp_phys_range r;

	rmp_reserve_range(c->base, c->end, &r);
	KUNIT_EXPECT_EQ(test, r.start, c->start);
	KUNIT_EXPECT_EQ(test, r.size, c->size);
	KUNIT_EXPECT_LE(test, r.start, c->base);
	KUNIT_EXPECT_GE(test, r.start + r.size, c->end + 1);
}

static void rmp_decode_4k_entry(struct kunit *test)
{
	struct rmp_raw_entry e = {
		.lo = RMPE_ASSIGNED | RMPE_VALIDATED | 0x12345000ULL |
		      FIELD_PREP(RMPE_ASID, 7),
	};
	struct rmp_raw_entry head = {};
	struct snp_rmp_info info;

	rmp_entry_decode(&e, &head, 0x1005, &info);
	KUNIT_EXPECT_TRUE(test, info.assigned);
	KUNIT_EXPECT_TRUE(test, info.validated);
	KUNIT_EXPECT_FALSE(test, info.immutable);
	KUNIT_EXPECT_FALSE(test, info.vmsa);
	KUNIT_EXPECT_EQ(test, info.asid, 7U);
	KUNIT_EXPECT_EQ(test, info.gpa, 0x12345000ULL);
	KUNIT_EXPECT_EQ(test, info.level, PG_LEVEL_4K);
}

static void rmp_decode_2m_entry_uses_head(struct kunit *test)
{
	struct rmp_raw_entry head = {
		.lo = RMPE_ASSIGNED | RMPE_PAGE_2M | 0x40000000ULL |
		      FIELD_PREP(RMPE_ASID, 1023),
	};
	struct rmp_raw_entry e = {};
	struct snp_rmp_info info;

	rmp_entry_decode(&e, &head, 0x200 + 3, &info);
	KUNIT_EXPECT_TRUE(test, info.assigned);
	KUNIT_EXPECT_EQ(test, info.level, PG_LEVEL_2M);
	KUNIT_EXPECT_EQ(test, info.asid, 1023U);
	KUNIT_EXPECT_EQ(test, info.gpa, 0x40000000ULL + 3 * SZ_4K);
}

static void rmp_decode_vmsa_and_immutable(struct kunit *test)
{
	struct rmp_raw_entry e = {
		.lo = RMPE_ASSIGNED | RMPE_IMMUTABLE | RMPE_VMSA,
	};
	struct rmp_raw_entry head = {};
	struct snp_rmp_info info;

	rmp_entry_decode(&e, &head, 0, &info);
	KUNIT_EXPECT_TRUE(test, info.immutable);
	KUNIT_EXPECT_TRUE(test, info.vmsa);
	KUNIT_EXPECT_EQ(test, info.asid, 0U);
}

static void rmp_encode_assigns_page(struct kunit *test)
{
	struct rmp_state st;

	KUNIT_ASSERT_EQ(test, rmp_state_encode(&st, SZ_2M, PG_LEVEL_2M, 5, false), 0);
	KUNIT_EXPECT_EQ(test, st.gpa, (u64)SZ_2M);
	KUNIT_EXPECT_EQ(test, st.assigned, 1);
	KUNIT_EXPECT_EQ(test, st.pagesize, RMP_STATE_PAGE_2M);
	KUNIT_EXPECT_EQ(test, st.immutable, 0);
	KUNIT_EXPECT_EQ(test, st.asid, 5U);

	/* A firmware page: ASID 0, immutable. */
	KUNIT_ASSERT_EQ(test, rmp_state_encode(&st, 0, PG_LEVEL_4K, 0, true), 0);
	KUNIT_EXPECT_EQ(test, st.pagesize, RMP_STATE_PAGE_4K);
	KUNIT_EXPECT_EQ(test, st.immutable, 1);
}

static void rmp_encode_rejects_bad_arguments(struct kunit *test)
{
	struct rmp_state st;

	KUNIT_EXPECT_EQ(test, rmp_state_encode(&st, 0, PG_LEVEL_1G, 1, false),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, rmp_state_encode(&st, SZ_4K, PG_LEVEL_2M, 1, false),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, rmp_state_encode(&st, 0x800, PG_LEVEL_4K, 1, false),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, rmp_state_encode(&st, BIT_ULL(51), PG_LEVEL_4K, 1,
					       false), -EINVAL);
	KUNIT_EXPECT_EQ(test, rmp_state_encode(&st, 0, PG_LEVEL_4K, 1024, false),
			-EINVAL);
	/* Only firmware pages may have ASID 0, and they are immutable. */
	KUNIT_EXPECT_EQ(test, rmp_state_encode(&st, 0, PG_LEVEL_4K, 0, false),
			-EINVAL);
}

static void rmp_check_pfn_bounds(struct kunit *test)
{
	struct rmp_table t = { .nr_pfns = 4 * RMP_PFNS_PER_2M };

	KUNIT_EXPECT_EQ(test, rmp_check_pfn(&t, 0, PG_LEVEL_4K), 0);
	KUNIT_EXPECT_EQ(test, rmp_check_pfn(&t, t.nr_pfns - 1, PG_LEVEL_4K), 0);
	KUNIT_EXPECT_EQ(test, rmp_check_pfn(&t, t.nr_pfns, PG_LEVEL_4K), -ERANGE);
	KUNIT_EXPECT_EQ(test, rmp_check_pfn(&t, -1ULL, PG_LEVEL_4K), -ERANGE);
	KUNIT_EXPECT_EQ(test, rmp_check_pfn(&t, 3 * RMP_PFNS_PER_2M, PG_LEVEL_2M), 0);
	KUNIT_EXPECT_EQ(test, rmp_check_pfn(&t, 4 * RMP_PFNS_PER_2M, PG_LEVEL_2M),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, rmp_check_pfn(&t, 1, PG_LEVEL_2M), -EINVAL);
	KUNIT_EXPECT_EQ(test, rmp_check_pfn(&t, 0, PG_LEVEL_1G), -EINVAL);
	KUNIT_EXPECT_EQ(test, rmp_check_pfn(&t, 0, PG_LEVEL_NONE), -EINVAL);
}

static void rmp_check_pfn_2m_must_fit(struct kunit *test)
{
	/* The table ends in the middle of the last 2 MiB region. */
	struct rmp_table t = { .nr_pfns = RMP_PFNS_PER_2M + 100 };

	KUNIT_EXPECT_EQ(test, rmp_check_pfn(&t, RMP_PFNS_PER_2M, PG_LEVEL_2M),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, rmp_check_pfn(&t, RMP_PFNS_PER_2M + 99, PG_LEVEL_4K), 0);
}

static struct kunit_case rmp_layout_cases[] = {
	KUNIT_CASE(rmp_nr_pfns_excludes_bookkeeping),
	KUNIT_CASE(rmp_nr_pfns_is_ram_over_256),
	KUNIT_CASE_PARAM(rmp_reserve_widens_to_2m_regions, rmp_reserve_gen_params),
	KUNIT_CASE(rmp_decode_4k_entry),
	KUNIT_CASE(rmp_decode_2m_entry_uses_head),
	KUNIT_CASE(rmp_decode_vmsa_and_immutable),
	KUNIT_CASE(rmp_encode_assigns_page),
	KUNIT_CASE(rmp_encode_rejects_bad_arguments),
	KUNIT_CASE(rmp_check_pfn_bounds),
	KUNIT_CASE(rmp_check_pfn_2m_must_fit),
	{}
};

static struct kunit_suite rmp_layout_suite = {
	.name = "rmp_layout",
	.test_cases = rmp_layout_cases,
};

/* ---- rmp_ops: the operations on a software RMP ------------------------- */

#define SW_RMP_PFNS	(4 * RMP_PFNS_PER_2M)

/* The software RMP the redirected instructions work on. */
static struct {
	struct rmp_table table;
	int busy;		/* report FAIL_INUSE this many more times */
	int calls;
} sw_rmp;

static int sw_rmp_update(u64 spa, const struct rmp_state *st)
{
	u64 pfn = PHYS_PFN(spa);
	struct rmp_raw_entry *e;
	bool large = st->pagesize == RMP_STATE_PAGE_2M;

	sw_rmp.calls++;
	if (spa & ~PAGE_MASK || pfn >= sw_rmp.table.nr_pfns)
		return RMP_INSN_FAIL_INPUT;
	if (large && !IS_ALIGNED(pfn, RMP_PFNS_PER_2M))
		return RMP_INSN_FAIL_INPUT;
	if (sw_rmp.busy) {
		sw_rmp.busy--;
		return RMP_INSN_FAIL_INUSE;
	}
	e = &sw_rmp.table.entries[pfn];
	if (e->lo & RMPE_IMMUTABLE)
		return RMP_INSN_FAIL_PERM;

	e->lo = 0;
	if (st->assigned)
		e->lo = RMPE_ASSIGNED | (st->gpa & RMPE_GPA) |
			FIELD_PREP(RMPE_ASID, st->asid) |
			(st->immutable ? RMPE_IMMUTABLE : 0);
	if (large)
		e->lo |= RMPE_PAGE_2M;
	return RMP_INSN_OK;
}

static int sw_rmp_psmash(u64 spa)
{
	u64 pfn = PHYS_PFN(spa), head, i;

	sw_rmp.calls++;
	if (!IS_ALIGNED(pfn, RMP_PFNS_PER_2M) || pfn >= sw_rmp.table.nr_pfns)
		return RMP_INSN_FAIL_INPUT;
	if (sw_rmp.busy) {
		sw_rmp.busy--;
		return RMP_INSN_FAIL_INUSE;
	}
	head = sw_rmp.table.entries[pfn].lo;
	if (!(head & RMPE_PAGE_2M))
		return RMP_INSN_FAIL_INPUT;

	/* Every 4 KiB page keeps the owner and state of the 2 MiB page. */
	for (i = 0; i < RMP_PFNS_PER_2M; i++)
		sw_rmp.table.entries[pfn + i].lo =
			(head & ~RMPE_PAGE_2M) + PFN_PHYS(i);
	return RMP_INSN_OK;
}

static rmp_update_insn_t *saved_update;
static rmp_psmash_insn_t *saved_psmash;

static int rmp_ops_init(struct kunit *test)
{
	if (snp_host_active())
		kunit_skip(test, "SNP is active: not replacing RMPUPDATE on a live host");

	memset(&sw_rmp, 0, sizeof(sw_rmp));
	sw_rmp.table.nr_pfns = SW_RMP_PFNS;
	sw_rmp.table.entries = kunit_kcalloc(test, SW_RMP_PFNS,
					     sizeof(struct rmp_raw_entry),
					     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sw_rmp.table.entries);

	saved_update = static_call_query(rmp_update_insn);
	saved_psmash = static_call_query(rmp_psmash_insn);
	static_call_update(rmp_update_insn, sw_rmp_update);
	static_call_update(rmp_psmash_insn, sw_rmp_psmash);
	return 0;
}

static void rmp_ops_exit(struct kunit *test)
{
	if (!saved_update)
		return;
	static_call_update(rmp_update_insn, saved_update);
	static_call_update(rmp_psmash_insn, saved_psmash);
	saved_update = NULL;
	saved_psmash = NULL;
}

static void assign(struct kunit *test, u64 pfn, u64 gpa, enum pg_level level,
		   u32 asid)
{
	struct rmp_state st;

	KUNIT_ASSERT_EQ(test, rmp_state_encode(&st, gpa, level, asid, false), 0);
	KUNIT_ASSERT_EQ(test, rmp_check_pfn(&sw_rmp.table, pfn, level), 0);
	KUNIT_ASSERT_EQ(test, rmp_table_update(&sw_rmp.table, pfn, level, &st), 0);
}

static void rmp_update_assigns_4k_page(struct kunit *test)
{
	struct snp_rmp_info info;

	assign(test, 5, 0x7000, PG_LEVEL_4K, 9);

	KUNIT_ASSERT_EQ(test, rmp_table_lookup(&sw_rmp.table, 5, &info), 0);
	KUNIT_EXPECT_TRUE(test, info.assigned);
	KUNIT_EXPECT_EQ(test, info.asid, 9U);
	KUNIT_EXPECT_EQ(test, info.gpa, 0x7000ULL);
	KUNIT_EXPECT_EQ(test, info.level, PG_LEVEL_4K);

	KUNIT_ASSERT_EQ(test, rmp_table_lookup(&sw_rmp.table, 6, &info), 0);
	KUNIT_EXPECT_FALSE(test, info.assigned);
}

static void rmp_lookup_reports_2m_level(struct kunit *test)
{
	struct snp_rmp_info info;

	assign(test, RMP_PFNS_PER_2M, SZ_1G, PG_LEVEL_2M, 3);

	KUNIT_ASSERT_EQ(test, rmp_table_lookup(&sw_rmp.table,
					       RMP_PFNS_PER_2M + 7, &info), 0);
	KUNIT_EXPECT_TRUE(test, info.assigned);
	KUNIT_EXPECT_EQ(test, info.level, PG_LEVEL_2M);
	KUNIT_EXPECT_EQ(test, info.asid, 3U);
	KUNIT_EXPECT_EQ(test, info.gpa, (u64)SZ_1G + 7 * SZ_4K);

	/* The next 2 MiB region is untouched. */
	KUNIT_ASSERT_EQ(test, rmp_table_lookup(&sw_rmp.table,
					       2 * RMP_PFNS_PER_2M, &info), 0);
	KUNIT_EXPECT_FALSE(test, info.assigned);
	KUNIT_EXPECT_EQ(test, info.level, PG_LEVEL_4K);
}

static void rmp_lookup_rejects_pfn_beyond_table(struct kunit *test)
{
	struct snp_rmp_info info;

	KUNIT_EXPECT_EQ(test, rmp_table_lookup(&sw_rmp.table, SW_RMP_PFNS, &info),
			-ERANGE);
}

static void psmash_splits_2m_entry_keeping_owner(struct kunit *test)
{
	u64 pfn = 2 * RMP_PFNS_PER_2M;
	struct snp_rmp_info info;

	assign(test, pfn, GIB(2), PG_LEVEL_2M, 4);
	KUNIT_ASSERT_EQ(test, rmp_table_psmash(&sw_rmp.table, pfn), 0);

	KUNIT_ASSERT_EQ(test, rmp_table_lookup(&sw_rmp.table, pfn + 511, &info), 0);
	KUNIT_EXPECT_EQ(test, info.level, PG_LEVEL_4K);
	KUNIT_EXPECT_TRUE(test, info.assigned);
	KUNIT_EXPECT_EQ(test, info.asid, 4U);
	KUNIT_EXPECT_EQ(test, info.gpa, GIB(2) + 511 * SZ_4K);
}

static void psmash_rejects_bad_pfn(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, rmp_table_psmash(&sw_rmp.table, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, rmp_table_psmash(&sw_rmp.table, SW_RMP_PFNS), -ERANGE);
	/* Nothing reached the instruction. */
	KUNIT_EXPECT_EQ(test, sw_rmp.calls, 0);
}

static void psmash_of_4k_entry_is_io_error(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, rmp_table_psmash(&sw_rmp.table, 0), -EIO);
}

static void rmp_update_retries_while_in_use(struct kunit *test)
{
	struct snp_rmp_info info;

	sw_rmp.busy = 3;
	assign(test, 8, 0x8000, PG_LEVEL_4K, 1);
	KUNIT_EXPECT_EQ(test, sw_rmp.calls, 4);
	KUNIT_ASSERT_EQ(test, rmp_table_lookup(&sw_rmp.table, 8, &info), 0);
	KUNIT_EXPECT_TRUE(test, info.assigned);
}

static void rmp_update_gives_up_when_always_in_use(struct kunit *test)
{
	struct rmp_state st;

	sw_rmp.busy = INT_MAX;
	KUNIT_ASSERT_EQ(test, rmp_state_encode(&st, 0, PG_LEVEL_4K, 1, false), 0);
	KUNIT_EXPECT_EQ(test, rmp_table_update(&sw_rmp.table, 0, PG_LEVEL_4K, &st),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, sw_rmp.calls, RMP_INSN_RETRIES);
}

static void rmp_update_of_immutable_page_is_io_error(struct kunit *test)
{
	struct rmp_state fw, shared = {};
	struct snp_rmp_info info;

	KUNIT_ASSERT_EQ(test, rmp_state_encode(&fw, 0, PG_LEVEL_4K, 0, true), 0);
	KUNIT_ASSERT_EQ(test, rmp_table_update(&sw_rmp.table, 10, PG_LEVEL_4K, &fw), 0);
	KUNIT_EXPECT_EQ(test, rmp_table_update(&sw_rmp.table, 10, PG_LEVEL_4K, &shared),
			-EIO);
	KUNIT_ASSERT_EQ(test, rmp_table_lookup(&sw_rmp.table, 10, &info), 0);
	KUNIT_EXPECT_TRUE(test, info.assigned);
	KUNIT_EXPECT_TRUE(test, info.immutable);
}

static void rmp_update_to_shared_returns_page(struct kunit *test)
{
	struct rmp_state shared = {};
	struct snp_rmp_info info;

	assign(test, 11, 0xb000, PG_LEVEL_4K, 2);
	KUNIT_ASSERT_EQ(test, rmp_table_update(&sw_rmp.table, 11, PG_LEVEL_4K,
					       &shared), 0);
	KUNIT_ASSERT_EQ(test, rmp_table_lookup(&sw_rmp.table, 11, &info), 0);
	KUNIT_EXPECT_FALSE(test, info.assigned);
	KUNIT_EXPECT_EQ(test, info.asid, 0U);
}

static void public_ops_fail_without_snp(struct kunit *test)
{
	struct snp_rmp_info info;

	/* rmp_ops_init() skipped the suite if SNP were active. */
	KUNIT_EXPECT_EQ(test, snp_rmp_lookup(0, &info), -ENODEV);
	KUNIT_EXPECT_EQ(test, snp_rmp_make_private(0, 0, PG_LEVEL_4K, 1, false),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, snp_rmp_make_shared(0, PG_LEVEL_4K), -ENODEV);
	KUNIT_EXPECT_EQ(test, snp_psmash(0), -ENODEV);
	KUNIT_EXPECT_EQ(test, sw_rmp.calls, 0);
}

static struct kunit_case rmp_ops_cases[] = {
	KUNIT_CASE(rmp_update_assigns_4k_page),
	KUNIT_CASE(rmp_lookup_reports_2m_level),
	KUNIT_CASE(rmp_lookup_rejects_pfn_beyond_table),
	KUNIT_CASE(psmash_splits_2m_entry_keeping_owner),
	KUNIT_CASE(psmash_rejects_bad_pfn),
	KUNIT_CASE(psmash_of_4k_entry_is_io_error),
	KUNIT_CASE(rmp_update_retries_while_in_use),
	KUNIT_CASE(rmp_update_gives_up_when_always_in_use),
	KUNIT_CASE(rmp_update_of_immutable_page_is_io_error),
	KUNIT_CASE(rmp_update_to_shared_returns_page),
	KUNIT_CASE(public_ops_fail_without_snp),
	{}
};

static struct kunit_suite rmp_ops_suite = {
	.name = "rmp_ops",
	.init = rmp_ops_init,
	.exit = rmp_ops_exit,
	.test_cases = rmp_ops_cases,
};

kunit_test_suites(&snp_host_check_suite, &rmp_layout_suite, &rmp_ops_suite);

MODULE_LICENSE("GPL");
