// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of RMPUPDATE and PSMASH on a live SEV-SNP host.
 *
 * Where rmp-kunit.c replaces the instructions with a software model, this
 * suite executes them, on pages it allocates, and checks what the RMP and
 * the host's own accesses do afterwards: the status codes of the illegal
 * transitions, the entries RMPUPDATE and PSMASH leave behind, and the #PF
 * the host takes when it writes to a page it gave away. It needs an SNP
 * host (on hardware, or the SNP platform model in QEMU) and skips
 * everywhere else.
 *
 * Every page goes back to the host at the end of a case. One that cannot
 * (the immutable page, which only the firmware could reclaim) is leaked,
 * as the host code does with such pages.
 */

#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/pfn.h>
#include <linux/static_call.h>
#include <linux/uaccess.h>

#include "rmp.h"

#define LIVE_ASID	1

struct rmp_live {
	struct page *page;
	unsigned int order;
};

static int rmp_live_init(struct kunit *test)
{
	struct rmp_live *live;

	if (!snp_host_active())
		kunit_skip(test, "needs an SEV-SNP host (hardware or the SNP platform model)");

	live = kunit_kzalloc(test, sizeof(*live), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, live);
	test->priv = live;
	return 0;
}

/* Give every page back to the host, or leak the ones the RMP keeps. */
static void rmp_live_exit(struct kunit *test)
{
	struct rmp_live *live = test->priv;
	unsigned long i, n;
	u64 pfn;

	if (!live || !live->page)
		return;

	pfn = page_to_pfn(live->page);
	n = 1UL << live->order;
	if (n == RMP_PFNS_PER_2M && snp_rmp_make_shared(pfn, PG_LEVEL_2M))
		snp_psmash(pfn);
	for (i = 0; i < n; i++) {
		struct snp_rmp_info info;

		if (snp_rmp_lookup(pfn + i, &info) || !info.assigned)
			continue;
		if (snp_rmp_make_shared(pfn + i, PG_LEVEL_4K)) {
			/* The references stay with the leaked pages. */
			snp_leak_pages(pfn, n);
			return;
		}
	}
	__free_pages(live->page, live->order);
}

static u64 live_alloc(struct kunit *test, unsigned int order)
{
	struct rmp_live *live = test->priv;

	live->page = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN, order);
	KUNIT_ASSERT_NOT_NULL(test, live->page);
	live->order = order;
	return page_to_pfn(live->page);
}

static int raw_rmpupdate(u64 pfn, u64 gpa, u8 pagesize, bool assigned,
			 u32 asid)
{
	struct rmp_state st = {
		.gpa = gpa,
		.assigned = assigned,
		.pagesize = pagesize,
		.asid = asid,
	};

	return static_call(rmp_update_insn)(PFN_PHYS(pfn), &st);
}

static bool host_can_write(u64 pfn)
{
	u64 v = 0x5a5a5a5a5a5a5a5aULL;

	return !copy_to_kernel_nofault(pfn_to_kaddr(pfn), &v, sizeof(v));
}

static bool host_can_read(u64 pfn)
{
	u64 v;

	return !copy_from_kernel_nofault(&v, pfn_to_kaddr(pfn), sizeof(v));
}

static void expect_entry(struct kunit *test, u64 pfn, bool assigned, u32 asid,
			 u64 gpa, enum pg_level level)
{
	struct snp_rmp_info info;

	KUNIT_ASSERT_EQ(test, snp_rmp_lookup(pfn, &info), 0);
	KUNIT_EXPECT_EQ(test, info.assigned, assigned);
	KUNIT_EXPECT_EQ(test, info.level, level);
	if (!assigned)
		return;
	KUNIT_EXPECT_EQ(test, info.asid, asid);
	KUNIT_EXPECT_EQ(test, info.gpa, gpa);
	KUNIT_EXPECT_FALSE(test, info.validated);
}

static void private_4k_page_refuses_host_writes(struct kunit *test)
{
	/* Two pages: the second one stays the host's. */
	u64 pfn = live_alloc(test, 1);

	KUNIT_ASSERT_TRUE(test, host_can_write(pfn));
	KUNIT_ASSERT_EQ(test, snp_rmp_make_private(pfn, SZ_64K, PG_LEVEL_4K,
						   LIVE_ASID, false), 0);
	expect_entry(test, pfn, true, LIVE_ASID, SZ_64K, PG_LEVEL_4K);

	/* The host may still read (ciphertext on hardware), not write. */
	KUNIT_EXPECT_TRUE(test, host_can_read(pfn));
	KUNIT_EXPECT_FALSE(test, host_can_write(pfn));
	/* Its neighbour in the same 2 MiB region is not affected. */
	KUNIT_EXPECT_TRUE(test, host_can_write(pfn + 1));

	KUNIT_ASSERT_EQ(test, snp_rmp_make_shared(pfn, PG_LEVEL_4K), 0);
	expect_entry(test, pfn, false, 0, 0, PG_LEVEL_4K);
	KUNIT_EXPECT_TRUE(test, host_can_write(pfn));
}

static void private_2m_page_splits_with_psmash(struct kunit *test)
{
	u64 pfn = live_alloc(test, get_order(SZ_2M));

	KUNIT_ASSERT_TRUE(test, IS_ALIGNED(pfn, RMP_PFNS_PER_2M));
	KUNIT_ASSERT_EQ(test, snp_rmp_make_private(pfn, SZ_2M, PG_LEVEL_2M,
						   LIVE_ASID, false), 0);
	expect_entry(test, pfn + 5, true, LIVE_ASID, SZ_2M + 5 * SZ_4K,
		     PG_LEVEL_2M);
	KUNIT_EXPECT_FALSE(test, host_can_write(pfn + 5));

	/* A 4 KiB page of an assigned 2 MiB page needs a PSMASH first. */
	KUNIT_EXPECT_EQ(test, raw_rmpupdate(pfn + 5, 0, RMP_STATE_PAGE_4K,
					    false, 0), RMP_INSN_FAIL_OVERLAP);

	KUNIT_ASSERT_EQ(test, snp_psmash(pfn), 0);
	expect_entry(test, pfn, true, LIVE_ASID, SZ_2M, PG_LEVEL_4K);
	expect_entry(test, pfn + 511, true, LIVE_ASID, SZ_2M + 511 * SZ_4K,
		     PG_LEVEL_4K);

	/* Now 4 KiB assigned pages overlap a 2 MiB update. */
	KUNIT_EXPECT_EQ(test, raw_rmpupdate(pfn, 0, RMP_STATE_PAGE_2M, false, 0),
			RMP_INSN_FAIL_OVERLAP);
	KUNIT_ASSERT_EQ(test, snp_rmp_make_shared(pfn + 5, PG_LEVEL_4K), 0);
	KUNIT_EXPECT_TRUE(test, host_can_write(pfn + 5));
	KUNIT_EXPECT_FALSE(test, host_can_write(pfn + 6));
}

static void bad_operands_fail_input(struct kunit *test)
{
	u64 pfn = live_alloc(test, get_order(SZ_2M));
	u64 end = snp_rmp_table()->nr_pfns;

	/* 2 MiB state on a page that is not 2 MiB aligned */
	KUNIT_EXPECT_EQ(test, raw_rmpupdate(pfn + 1, 0, RMP_STATE_PAGE_2M, true,
					    LIVE_ASID), RMP_INSN_FAIL_INPUT);
	/* a page size that does not exist */
	KUNIT_EXPECT_EQ(test, raw_rmpupdate(pfn, 0, 2, true, LIVE_ASID),
			RMP_INSN_FAIL_INPUT);
	/* a page the RMP does not describe */
	KUNIT_EXPECT_EQ(test, raw_rmpupdate(ALIGN(end, RMP_PFNS_PER_2M), 0,
					    RMP_STATE_PAGE_4K, true, LIVE_ASID),
			RMP_INSN_FAIL_INPUT);
	/* PSMASH of an unaligned address and of a region without a 2 MiB entry */
	KUNIT_EXPECT_EQ(test, static_call(rmp_psmash_insn)(PFN_PHYS(pfn + 1)),
			RMP_INSN_FAIL_INPUT);
	KUNIT_EXPECT_EQ(test, static_call(rmp_psmash_insn)(PFN_PHYS(pfn)),
			RMP_INSN_FAIL_INPUT);
	/* Nothing changed. */
	expect_entry(test, pfn, false, 0, 0, PG_LEVEL_4K);
	expect_entry(test, pfn + 1, false, 0, 0, PG_LEVEL_4K);
}

static void immutable_page_refuses_rmpupdate(struct kunit *test)
{
	u64 pfn = live_alloc(test, 0);
	struct snp_rmp_info info;

	/* A firmware page: only the firmware's PAGE_RECLAIM could free it. */
	KUNIT_ASSERT_EQ(test, snp_rmp_make_private(pfn, 0, PG_LEVEL_4K, 0, true), 0);
	KUNIT_EXPECT_EQ(test, raw_rmpupdate(pfn, 0, RMP_STATE_PAGE_4K, false, 0),
			RMP_INSN_FAIL_PERM);
	KUNIT_EXPECT_EQ(test, snp_rmp_make_shared(pfn, PG_LEVEL_4K), -EIO);
	KUNIT_ASSERT_EQ(test, snp_rmp_lookup(pfn, &info), 0);
	KUNIT_EXPECT_TRUE(test, info.assigned);
	KUNIT_EXPECT_TRUE(test, info.immutable);
	KUNIT_EXPECT_FALSE(test, host_can_write(pfn));
}

static struct kunit_case rmp_live_cases[] = {
	KUNIT_CASE(private_4k_page_refuses_host_writes),
	KUNIT_CASE(private_2m_page_splits_with_psmash),
	KUNIT_CASE(bad_operands_fail_input),
	KUNIT_CASE(immutable_page_refuses_rmpupdate),
	{}
};

static struct kunit_suite rmp_live_suite = {
	.name = "rmp_live",
	.init = rmp_live_init,
	.exit = rmp_live_exit,
	.test_cases = rmp_live_cases,
};

kunit_test_suite(rmp_live_suite);
