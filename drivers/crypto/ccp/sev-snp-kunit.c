// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the SEV-SNP firmware logic of the ccp driver, run against
 * a software firmware: it checks every command buffer the driver sends,
 * keeps a small RMP of its own for the pages it is handed, and answers
 * with statuses a test chooses.
 */

#include <kunit/test.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <asm/unaligned.h>
#include <asm/e820/types.h>
#include <uapi/linux/psp-sev.h>

#include "sev-snp.h"

enum fake_page_state { FAKE_HV, FAKE_FW, FAKE_RECLAIMED };

#define FAKE_MAX_PAGES	1024
#define FAKE_LOG_LEN	64

struct fake_psp {
	struct kunit *test;
	struct snp_fw fw;
	bool initialized;

	/* Injected failure: the next @fail_count times @fail_cmd runs */
	int fail_cmd;
	int fail_status;
	int fail_count;
	bool dfflush_required;
	u64 fail_to_fw_pfn;

	int log[FAKE_LOG_LEN];
	int nlog;
	int nr_flush;
	bool hsave_clear;
	bool flushed_since_hsave;

	struct { u64 pfn; enum fake_page_state state; } rmp[FAKE_MAX_PAGES];
	int nrmp;
	u64 leaked[8];
	int nleaked;

	/* The legacy command being run, see snp_legacy_* below */
	const struct snp_legacy_case *legacy;
	u64 legacy_pa[2];

	u32 nranges;
	struct sev_data_snp_range ranges[8];
	u8 vlek_first_byte;
};

struct snp_legacy_case {
	const char *name;
	int cmd;
	bool cmd_page_fw;
	int nbufs;
	bool guest;
	u8 addr_off[2];
	u8 len_off[2];
};

/* The ops have no context argument for the RMP: one fake at a time. */
static struct fake_psp *fake;

static enum fake_page_state *fake_rmp(u64 pfn)
{
	int i;

	for (i = 0; i < fake->nrmp; i++)
		if (fake->rmp[i].pfn == pfn)
			return &fake->rmp[i].state;
	if (fake->nrmp == FAKE_MAX_PAGES)
		return NULL;
	fake->rmp[fake->nrmp].pfn = pfn;
	fake->rmp[fake->nrmp].state = FAKE_HV;
	return &fake->rmp[fake->nrmp++].state;
}

static int fake_page_to_fw(u64 pfn)
{
	enum fake_page_state *st = fake_rmp(pfn);

	if (!st || pfn == fake->fail_to_fw_pfn || *st != FAKE_HV)
		return -EIO;
	*st = FAKE_FW;
	return 0;
}

static int fake_page_to_hv(u64 pfn)
{
	enum fake_page_state *st = fake_rmp(pfn);

	/* RMPUPDATE cannot take a firmware page back by itself. */
	if (!st || *st == FAKE_FW)
		return -EIO;
	*st = FAKE_HV;
	return 0;
}

static bool fake_page_assigned(u64 pfn)
{
	enum fake_page_state *st = fake_rmp(pfn);

	return st && *st != FAKE_HV;
}

static void fake_leak(u64 pfn)
{
	if (fake->nleaked < ARRAY_SIZE(fake->leaked))
		fake->leaked[fake->nleaked] = pfn;
	fake->nleaked++;
}

static void fake_flush_caches(void)
{
	fake->nr_flush++;
	if (fake->hsave_clear)
		fake->flushed_since_hsave = true;
}

static void fake_clear_hsave(void)
{
	fake->hsave_clear = true;
	fake->flushed_since_hsave = false;
}

static int fake_init_ex(struct fake_psp *f, struct sev_data_snp_init_ex *d)
{
	struct sev_data_snp_range_list *list;

	if (!d->init_rmp || !d->list_paddr_en || d->rsvd || d->rsvd1 ||
	    memchr_inv(d->rsvd2, 0, sizeof(d->rsvd2)))
		return SEV_RET_INVALID_PARAM;
	list = __va(d->list_paddr & ~sme_me_mask);
	f->nranges = list->num_elements;
	memcpy(f->ranges, list->ranges,
	       min_t(size_t, list->num_elements, ARRAY_SIZE(f->ranges)) *
	       sizeof(f->ranges[0]));
	return 0;
}

static int fake_status(struct fake_psp *f, struct sev_data_snp_paddr *d)
{
	struct sev_user_data_snp_status *st = __va(d->paddr & ~sme_me_mask);
	enum fake_page_state *rmp = fake_rmp(PHYS_PFN(d->paddr & ~sme_me_mask));

	/* The ABI: a firmware-owned page once SNP is up. */
	if (!rmp || *rmp != (f->initialized ? FAKE_FW : FAKE_HV))
		return SEV_RET_INVALID_PAGE_STATE;
	memset(st, 0, sizeof(*st));
	st->api_major = f->fw.api_major;
	st->api_minor = f->fw.api_minor;
	st->state = f->initialized;
	st->is_rmp_initialized = f->initialized;
	st->build_id = 4242;
	st->reported_tcb_version = 0x1122334455667788ULL;
	return 0;
}

static int fake_execute(struct fake_psp *f, int cmd, void *buf)
{
	struct sev_data_snp_paddr *addr = buf;
	enum fake_page_state *st;

	switch (cmd) {
	case SEV_CMD_SNP_INIT:
	case SEV_CMD_SNP_INIT_EX:
		if (f->initialized)
			return SEV_RET_INVALID_PLATFORM_STATE;
		/* The firmware checks both on every CPU. */
		if (!f->hsave_clear || !f->flushed_since_hsave)
			return SEV_RET_INVALID_CONFIG;
		if (cmd == SEV_CMD_SNP_INIT_EX) {
			int rc = fake_init_ex(f, buf);

			if (rc)
				return rc;
		}
		f->initialized = true;
		return 0;
	case SEV_CMD_SNP_DF_FLUSH:
		if (!f->initialized)
			return SEV_RET_INVALID_PLATFORM_STATE;
		f->dfflush_required = false;
		return 0;
	case SEV_CMD_SNP_SHUTDOWN_EX: {
		struct sev_data_snp_shutdown_ex *d = buf;

		if (d->len != sizeof(*d))
			return SEV_RET_INVALID_LEN;
		KUNIT_EXPECT_TRUE(f->test, d->iommu_snp_shutdown == 1);
		if (f->dfflush_required)
			return SEV_RET_DFFLUSH_REQUIRED;
		f->initialized = false;
		return 0;
	}
	case SEV_CMD_SNP_PAGE_RECLAIM:
		st = fake_rmp(PHYS_PFN(addr->paddr));
		if (!f->initialized || !st || *st != FAKE_FW)
			return SEV_RET_INVALID_PAGE_STATE;
		*st = FAKE_RECLAIMED;
		return 0;
	case SEV_CMD_SNP_PLATFORM_STATUS:
		return fake_status(f, buf);
	case SEV_CMD_SNP_COMMIT:
		return ((struct sev_data_snp_commit *)buf)->len == 4 ?
			0 : SEV_RET_INVALID_LEN;
	case SEV_CMD_SNP_CONFIG:
		return 0;
	case SEV_CMD_SNP_VLEK_LOAD: {
		struct sev_user_data_snp_vlek_load *d = buf;

		if (d->len != sizeof(*d))
			return SEV_RET_INVALID_LEN;
		f->vlek_first_byte = *(u8 *)__va(d->vlek_wrapped_address & ~sme_me_mask);
		return 0;
	}
	default:
		return SEV_RET_INVALID_COMMAND;
	}
}

static int fake_issue(void *ctx, int cmd, void *buf, int *fw_err)
{
	struct fake_psp *f = ctx;
	int status;

	/* A buffer exactly for the commands that take one. */
	KUNIT_EXPECT_EQ_MSG(f->test, !buf, !snp_cmd_buffer_len(cmd),
			    "command %#x", cmd);
	if (f->nlog < FAKE_LOG_LEN)
		f->log[f->nlog++] = cmd;

	if (cmd == f->fail_cmd && f->fail_count) {
		f->fail_count--;
		status = f->fail_status;
	} else {
		status = fake_execute(f, cmd, buf);
	}
	*fw_err = status;
	return status ? -EIO : 0;
}

/*
 * A legacy command while SNP is up: everything the firmware writes must be
 * firmware-owned, host buffers bounced, guest memory in place. The fake
 * then writes its output: 0x5a bytes and a shorter length.
 */
static int fake_issue_page(void *ctx, int cmd, void *page, int *fw_err)
{
	const struct snp_legacy_case *c = fake->legacy;
	struct fake_psp *f = ctx;
	int i;

	if (f->nlog < FAKE_LOG_LEN)
		f->log[f->nlog++] = cmd;
	KUNIT_ASSERT_NOT_NULL(f->test, c);
	KUNIT_EXPECT_EQ(f->test, cmd, c->cmd);
	KUNIT_EXPECT_EQ(f->test, fake_page_assigned(PHYS_PFN(__pa(page))),
			c->cmd_page_fw);

	for (i = 0; i < c->nbufs; i++) {
		u64 pa = get_unaligned((u64 *)(page + c->addr_off[i])) & ~sme_me_mask;
		u32 len = get_unaligned((u32 *)(page + c->len_off[i]));

		KUNIT_EXPECT_TRUE(f->test, fake_page_assigned(PHYS_PFN(pa)));
		if (c->guest)
			KUNIT_EXPECT_EQ(f->test, pa, f->legacy_pa[i]);
		else
			KUNIT_EXPECT_NE(f->test, pa, f->legacy_pa[i]);
		KUNIT_EXPECT_EQ(f->test, offset_in_page(pa),
				offset_in_page(f->legacy_pa[i]));
		KUNIT_EXPECT_EQ(f->test, len, 100);
		if (cmd == f->fail_cmd && f->fail_count)
			continue;
		memset(__va(pa), 0x5a, len);
		put_unaligned(50, (u32 *)(page + c->len_off[i]));
	}

	if (cmd == f->fail_cmd && f->fail_count) {
		f->fail_count--;
		*fw_err = f->fail_status;
		return -EIO;
	}
	*fw_err = 0;
	return 0;
}

static const struct snp_fw_ops fake_ops = {
	.issue		= fake_issue,
	.issue_page	= fake_issue_page,
	.page_to_fw	= fake_page_to_fw,
	.page_to_hv	= fake_page_to_hv,
	.page_assigned	= fake_page_assigned,
	.leak		= fake_leak,
	.flush_caches	= fake_flush_caches,
	.clear_hsave	= fake_clear_hsave,
};

static int snp_test_init(struct kunit *test)
{
	struct fake_psp *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->test = test;
	f->fw.ops = &fake_ops;
	f->fw.ctx = f;
	f->fw.api_major = 1;
	f->fw.api_minor = 55;
	f->fail_to_fw_pfn = -1ULL;
	test->priv = f;
	fake = f;
	return 0;
}

static void snp_test_exit(struct kunit *test)
{
	fake = NULL;
}

static struct e820_table *snp_test_e820(struct kunit *test)
{
	struct e820_table *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	return t;
}

static void e820_add(struct e820_table *t, u64 addr, u64 size, enum e820_type type)
{
	t->entries[t->nr_entries].addr = addr;
	t->entries[t->nr_entries].size = size;
	t->entries[t->nr_entries].type = type;
	t->nr_entries++;
}

/* A firmware that is up, the way snp_fw_init() leaves it. */
static void snp_test_bring_up(struct kunit *test, struct fake_psp *f)
{
	int fw_err;

	KUNIT_ASSERT_EQ(test, snp_fw_init(&f->fw, snp_test_e820(test), &fw_err), 0);
	KUNIT_ASSERT_TRUE(test, f->fw.ready);
	f->nlog = 0;
}

struct snp_len_case {
	int cmd;
	int len;
};

static const struct snp_len_case snp_len_cases[] = {
	{ SEV_CMD_SNP_INIT, 0 },
	{ SEV_CMD_SNP_DF_FLUSH, 0 },
	{ SEV_CMD_SNP_INIT_EX, 64 },
	{ SEV_CMD_SNP_SHUTDOWN_EX, 8 },
	{ SEV_CMD_SNP_PLATFORM_STATUS, 8 },
	{ SEV_CMD_SNP_DECOMMISSION, 8 },
	{ SEV_CMD_SNP_ACTIVATE, 12 },
	{ SEV_CMD_SNP_GUEST_STATUS, 16 },
	{ SEV_CMD_SNP_GCTX_CREATE, 8 },
	{ SEV_CMD_SNP_GUEST_REQUEST, 24 },
	{ SEV_CMD_SNP_LAUNCH_START, 48 },
	{ SEV_CMD_SNP_LAUNCH_UPDATE, 32 },
	{ SEV_CMD_SNP_LAUNCH_FINISH, 64 },
	{ SEV_CMD_SNP_DBG_DECRYPT, 24 },
	{ SEV_CMD_SNP_PAGE_RECLAIM, 8 },
	{ SEV_CMD_SNP_PAGE_UNSMASH, 8 },
	{ SEV_CMD_SNP_CONFIG, 64 },
	{ SEV_CMD_SNP_COMMIT, 4 },
	{ SEV_CMD_SNP_VLEK_LOAD, 16 },
	{ SEV_CMD_PLATFORM_STATUS, 0 },	/* legacy: not ours */
};

static void snp_len_desc(const struct snp_len_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "cmd %#x", c->cmd);
}

KUNIT_ARRAY_PARAM(snp_len, snp_len_cases, snp_len_desc);

static void snp_cmd_buffer_len_matches_abi(struct kunit *test)
{
	const struct snp_len_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, snp_cmd_buffer_len(c->cmd), c->len);
}

static void snp_status_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, sev_fw_status_name(0), "SUCCESS");
	KUNIT_EXPECT_STREQ(test, sev_fw_status_name(0x0f), "DFFLUSH_REQUIRED");
	KUNIT_EXPECT_STREQ(test, sev_fw_status_name(0x1a), "INVALID_PAGE_STATE");
	KUNIT_EXPECT_STREQ(test, sev_fw_status_name(0x27), "INVALID_KEY");
	KUNIT_EXPECT_STREQ(test, sev_fw_status_name(0x1e), "UNKNOWN");
	KUNIT_EXPECT_STREQ(test, sev_fw_status_name(0x28), "UNKNOWN");
	KUNIT_EXPECT_STREQ(test, sev_fw_status_name(-1), "NO_FW_CALL");
}

static void snp_range_list_takes_reserved_acpi_pmem(struct kunit *test)
{
	struct sev_data_snp_range_list *list;
	struct e820_table *t = snp_test_e820(test);

	list = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, list);
	e820_add(t, 0, 0x9fc00, E820_TYPE_RAM);
	e820_add(t, 0x9fc00, 0x400, E820_TYPE_RESERVED);	/* not page aligned */
	e820_add(t, 0x100000, 0x7ff00000, E820_TYPE_RAM);
	e820_add(t, 0x80000000, 0x20000, E820_TYPE_ACPI);
	e820_add(t, 0x80020000, 0x10000, E820_TYPE_NVS);
	e820_add(t, 0x90000000, 0x1000000, E820_TYPE_UNUSABLE);
	e820_add(t, 0x100000000ULL, 0x40000000, E820_TYPE_PMEM);
	e820_add(t, 0xfee00000, 0x1001, E820_TYPE_RESERVED);	/* spills a byte */

	KUNIT_ASSERT_EQ(test, snp_build_range_list(t, list), 0);
	KUNIT_ASSERT_EQ(test, list->num_elements, 4);
	KUNIT_EXPECT_EQ(test, list->ranges[0].base, 0x9f000);
	KUNIT_EXPECT_EQ(test, list->ranges[0].page_count, 1);
	KUNIT_EXPECT_EQ(test, list->ranges[1].base, 0x80000000);
	KUNIT_EXPECT_EQ(test, list->ranges[1].page_count, 0x20);
	KUNIT_EXPECT_EQ(test, list->ranges[2].base, 0x100000000ULL);
	KUNIT_EXPECT_EQ(test, list->ranges[2].page_count, 0x40000);
	KUNIT_EXPECT_EQ(test, list->ranges[3].base, 0xfee00000);
	KUNIT_EXPECT_EQ(test, list->ranges[3].page_count, 2);
}

static void snp_range_list_refuses_overflow(struct kunit *test)
{
	struct sev_data_snp_range_list *list;
	struct e820_table *t;
	int i;

	if (E820_MAX_ENTRIES <= SNP_RANGE_LIST_MAX)
		kunit_skip(test, "an e820 table of %d entries always fits the %zu of a range list",
			   (int)E820_MAX_ENTRIES, SNP_RANGE_LIST_MAX);

	t = snp_test_e820(test);
	list = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, list);
	for (i = 0; i <= SNP_RANGE_LIST_MAX; i++)
		e820_add(t, (u64)i << 21, PAGE_SIZE, E820_TYPE_RESERVED);
	KUNIT_EXPECT_EQ(test, snp_build_range_list(t, list), -E2BIG);
}

static void snp_init_uses_init_ex_with_range_list(struct kunit *test)
{
	struct fake_psp *f = test->priv;
	struct e820_table *t = snp_test_e820(test);
	int fw_err;

	e820_add(t, 0, 0x9f000, E820_TYPE_RAM);
	e820_add(t, 0x9f000, 0x1000, E820_TYPE_RESERVED);
	e820_add(t, 0x7f000000, 0x3000, E820_TYPE_ACPI);

	KUNIT_ASSERT_EQ(test, snp_fw_init(&f->fw, t, &fw_err), 0);
	KUNIT_EXPECT_TRUE(test, f->fw.ready);
	KUNIT_ASSERT_EQ(test, f->nlog, 2);
	KUNIT_EXPECT_EQ(test, f->log[0], SEV_CMD_SNP_INIT_EX);
	KUNIT_EXPECT_EQ(test, f->log[1], SEV_CMD_SNP_DF_FLUSH);
	/* Write-back before INIT and again before DF_FLUSH */
	KUNIT_EXPECT_EQ(test, f->nr_flush, 2);
	KUNIT_ASSERT_EQ(test, f->nranges, 2);
	KUNIT_EXPECT_EQ(test, f->ranges[0].base, 0x9f000);
	KUNIT_EXPECT_EQ(test, f->ranges[1].base, 0x7f000000);
	KUNIT_EXPECT_EQ(test, f->ranges[1].page_count, 3);

	/* Initialising twice is a no-op. */
	KUNIT_EXPECT_EQ(test, snp_fw_init(&f->fw, t, &fw_err), 0);
	KUNIT_EXPECT_EQ(test, f->nlog, 2);
}

static void snp_init_falls_back_to_snp_init(struct kunit *test)
{
	struct fake_psp *f = test->priv;
	int fw_err;

	f->fw.api_minor = 51;
	KUNIT_ASSERT_EQ(test, snp_fw_init(&f->fw, snp_test_e820(test), &fw_err), 0);
	KUNIT_EXPECT_TRUE(test, f->fw.ready);
	KUNIT_ASSERT_EQ(test, f->nlog, 2);
	KUNIT_EXPECT_EQ(test, f->log[0], SEV_CMD_SNP_INIT);
	KUNIT_EXPECT_EQ(test, f->log[1], SEV_CMD_SNP_DF_FLUSH);
}

static void snp_init_refuses_old_firmware(struct kunit *test)
{
	struct fake_psp *f = test->priv;
	int fw_err;

	f->fw.api_minor = 49;
	KUNIT_EXPECT_EQ(test, snp_fw_init(&f->fw, snp_test_e820(test), &fw_err),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, fw_err, SEV_RET_NO_FW_CALL);
	KUNIT_EXPECT_FALSE(test, f->fw.ready);
	KUNIT_EXPECT_EQ(test, f->nlog, 0);
	KUNIT_EXPECT_FALSE(test, f->hsave_clear);
}

static void snp_init_failure_leaves_snp_off(struct kunit *test)
{
	struct fake_psp *f = test->priv;
	int fw_err;

	f->fail_cmd = SEV_CMD_SNP_INIT_EX;
	f->fail_status = SEV_RET_RMP_INITIALIZATION_FAILED;
	f->fail_count = 1;
	KUNIT_EXPECT_EQ(test, snp_fw_init(&f->fw, snp_test_e820(test), &fw_err), -EIO);
	KUNIT_EXPECT_EQ(test, fw_err, SEV_RET_RMP_INITIALIZATION_FAILED);
	KUNIT_EXPECT_FALSE(test, f->fw.ready);
	KUNIT_EXPECT_EQ(test, f->nlog, 1);
}

static void snp_init_df_flush_failure_shuts_down(struct kunit *test)
{
	struct fake_psp *f = test->priv;
	int fw_err;

	f->fail_cmd = SEV_CMD_SNP_DF_FLUSH;
	f->fail_status = SEV_RET_HWSEV_RET_PLATFORM;
	f->fail_count = 1;
	KUNIT_EXPECT_EQ(test, snp_fw_init(&f->fw, snp_test_e820(test), &fw_err), -EIO);
	KUNIT_EXPECT_EQ(test, fw_err, SEV_RET_HWSEV_RET_PLATFORM);
	KUNIT_EXPECT_FALSE(test, f->fw.ready);
	KUNIT_EXPECT_FALSE(test, f->initialized);
	KUNIT_ASSERT_EQ(test, f->nlog, 3);
	KUNIT_EXPECT_EQ(test, f->log[2], SEV_CMD_SNP_SHUTDOWN_EX);
}

static void snp_shutdown_retries_after_df_flush(struct kunit *test)
{
	struct fake_psp *f = test->priv;
	int fw_err;

	snp_test_bring_up(test, f);
	f->dfflush_required = true;
	KUNIT_EXPECT_EQ(test, snp_fw_shutdown(&f->fw, &fw_err), 0);
	KUNIT_EXPECT_FALSE(test, f->fw.ready);
	KUNIT_EXPECT_FALSE(test, f->initialized);
	KUNIT_ASSERT_EQ(test, f->nlog, 3);
	KUNIT_EXPECT_EQ(test, f->log[0], SEV_CMD_SNP_SHUTDOWN_EX);
	KUNIT_EXPECT_EQ(test, f->log[1], SEV_CMD_SNP_DF_FLUSH);
	KUNIT_EXPECT_EQ(test, f->log[2], SEV_CMD_SNP_SHUTDOWN_EX);

	/* Nothing left to shut down */
	KUNIT_EXPECT_EQ(test, snp_fw_shutdown(&f->fw, &fw_err), 0);
	KUNIT_EXPECT_EQ(test, f->nlog, 3);
}

static void snp_shutdown_failure_keeps_firmware_up(struct kunit *test)
{
	struct fake_psp *f = test->priv;
	int fw_err;

	snp_test_bring_up(test, f);
	f->fail_cmd = SEV_CMD_SNP_SHUTDOWN_EX;
	f->fail_status = SEV_RET_ACTIVE;
	f->fail_count = 1;
	KUNIT_EXPECT_EQ(test, snp_fw_shutdown(&f->fw, &fw_err), -EIO);
	KUNIT_EXPECT_EQ(test, fw_err, SEV_RET_ACTIVE);
	KUNIT_EXPECT_TRUE(test, f->fw.ready);
}

static void snp_fw_pages_are_firmware_owned_until_freed(struct kunit *test)
{
	struct fake_psp *f = test->priv;
	struct page *page;
	void *addr;

	snp_test_bring_up(test, f);
	addr = snp_fw_alloc_pages(&f->fw, GFP_KERNEL, 1);
	KUNIT_ASSERT_NOT_NULL(test, addr);
	page = virt_to_page(addr);
	KUNIT_EXPECT_EQ(test, *fake_rmp(page_to_pfn(page)), FAKE_FW);
	KUNIT_EXPECT_EQ(test, *fake_rmp(page_to_pfn(page) + 1), FAKE_FW);

	snp_fw_free_pages(&f->fw, addr, 1);
	KUNIT_EXPECT_EQ(test, *fake_rmp(page_to_pfn(page)), FAKE_HV);
	KUNIT_EXPECT_EQ(test, *fake_rmp(page_to_pfn(page) + 1), FAKE_HV);
	KUNIT_EXPECT_EQ(test, f->nlog, 2);
	KUNIT_EXPECT_EQ(test, f->log[0], SEV_CMD_SNP_PAGE_RECLAIM);
	KUNIT_EXPECT_EQ(test, f->nleaked, 0);
}

static void snp_fw_pages_are_plain_while_snp_is_off(struct kunit *test)
{
	struct fake_psp *f = test->priv;
	void *addr;

	addr = snp_fw_alloc_pages(&f->fw, GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, addr);
	KUNIT_EXPECT_FALSE(test, fake_page_assigned(PHYS_PFN(__pa(addr))));
	snp_fw_free_pages(&f->fw, addr, 0);
	KUNIT_EXPECT_EQ(test, f->nlog, 0);
}

static void snp_reclaim_failure_leaks_page(struct kunit *test)
{
	struct fake_psp *f = test->priv;
	struct page *page;
	void *addr;

	snp_test_bring_up(test, f);
	addr = snp_fw_alloc_pages(&f->fw, GFP_KERNEL, 1);
	KUNIT_ASSERT_NOT_NULL(test, addr);
	page = virt_to_page(addr);

	f->fail_cmd = SEV_CMD_SNP_PAGE_RECLAIM;
	f->fail_status = SEV_RET_INVALID_PAGE_STATE;
	f->fail_count = 1;
	snp_fw_free_pages(&f->fw, addr, 1);

	/* The first page is leaked and still referenced, the second freed. */
	KUNIT_EXPECT_EQ(test, f->nleaked, 1);
	KUNIT_EXPECT_EQ(test, f->leaked[0], page_to_pfn(page));
	KUNIT_EXPECT_EQ(test, f->fw.nr_leaked, 1);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), 1);
	KUNIT_EXPECT_EQ(test, *fake_rmp(page_to_pfn(page) + 1), FAKE_HV);

	/* The leak is the fake's: give the page back to the allocator. */
	__free_page(page);
}

static void snp_assign_failure_unwinds(struct kunit *test)
{
	struct fake_psp *f = test->priv;
	struct page *page;
	void *addr;

	snp_test_bring_up(test, f);
	/* Find where the next order-2 block lands, then fail its third page. */
	page = alloc_pages(GFP_KERNEL, 2);
	KUNIT_ASSERT_NOT_NULL(test, page);
	f->fail_to_fw_pfn = page_to_pfn(page) + 2;
	__free_pages(page, 2);

	addr = snp_fw_alloc_pages(&f->fw, GFP_KERNEL, 2);
	if (addr) {
		snp_fw_free_pages(&f->fw, addr, 2);
		kunit_skip(test, "the allocator returned a different block");
	}
	/* The two pages assigned before the failure were reclaimed. */
	KUNIT_EXPECT_EQ(test, f->nlog, 2);
	KUNIT_EXPECT_EQ(test, f->nleaked, 0);
	KUNIT_EXPECT_EQ(test, *fake_rmp(page_to_pfn(page)), FAKE_HV);
	KUNIT_EXPECT_EQ(test, *fake_rmp(page_to_pfn(page) + 1), FAKE_HV);
}

/* A user page for the ioctl tests: the test thread has no mm of its own. */
static unsigned long snp_test_user_page(struct kunit *test)
{
	struct mm_struct *mm;
	unsigned long addr;

	mm = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, mm);
	arch_pick_mmap_layout(mm, &current->signal->rlim[RLIMIT_STACK]);
	kthread_use_mm(mm);
	addr = vm_mmap(NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	return addr;
}

static void snp_test_user_done(void)
{
	struct mm_struct *mm = current->mm;

	if (mm) {
		kthread_unuse_mm(mm);
		mmput(mm);
	}
}

struct snp_ioctl_case {
	const char *name;
	u32 cmd;
	bool ready;
	bool writable;
	bool no_data;
	bool bad_ptr;
	int prep;	/* which field of the user buffer to spoil */
	int rc;
	int fw_cmd;	/* the firmware command expected, 0 for none */
};

enum { PREP_NONE, PREP_CONFIG_RSVD, PREP_CONFIG_RSVD1, PREP_VLEK_LEN,
	PREP_VLEK_VERSION, PREP_VLEK_RSVD };

static const struct snp_ioctl_case snp_ioctl_cases[] = {
	{ "status", SNP_PLATFORM_STATUS, true, false, false, false, 0, 0,
	  SEV_CMD_SNP_PLATFORM_STATUS },
	{ "status_snp_off", SNP_PLATFORM_STATUS, false, false, false, false, 0, 0,
	  SEV_CMD_SNP_PLATFORM_STATUS },
	{ "status_no_data", SNP_PLATFORM_STATUS, true, true, true, false, 0, -EINVAL, 0 },
	{ "status_bad_ptr", SNP_PLATFORM_STATUS, true, true, false, true, 0, -EFAULT,
	  SEV_CMD_SNP_PLATFORM_STATUS },
	{ "commit", SNP_COMMIT, true, false, true, false, 0, 0, SEV_CMD_SNP_COMMIT },
	{ "commit_snp_off", SNP_COMMIT, false, true, true, false, 0, -EINVAL, 0 },
	{ "config", SNP_SET_CONFIG, true, true, false, false, 0, 0, SEV_CMD_SNP_CONFIG },
	{ "config_read_only", SNP_SET_CONFIG, true, false, false, false, 0, -EPERM, 0 },
	{ "config_snp_off", SNP_SET_CONFIG, false, true, false, false, 0, -EINVAL, 0 },
	{ "config_no_data", SNP_SET_CONFIG, true, true, true, false, 0, -EINVAL, 0 },
	{ "config_bad_ptr", SNP_SET_CONFIG, true, true, false, true, 0, -EFAULT, 0 },
	{ "config_rsvd", SNP_SET_CONFIG, true, true, false, false, PREP_CONFIG_RSVD,
	  -EINVAL, 0 },
	{ "config_rsvd1", SNP_SET_CONFIG, true, true, false, false, PREP_CONFIG_RSVD1,
	  -EINVAL, 0 },
	{ "vlek", SNP_VLEK_LOAD, true, true, false, false, 0, 0, SEV_CMD_SNP_VLEK_LOAD },
	{ "vlek_read_only", SNP_VLEK_LOAD, true, false, false, false, 0, -EPERM, 0 },
	{ "vlek_snp_off", SNP_VLEK_LOAD, false, true, false, false, 0, -EINVAL, 0 },
	{ "vlek_len", SNP_VLEK_LOAD, true, true, false, false, PREP_VLEK_LEN, -EINVAL, 0 },
	{ "vlek_version", SNP_VLEK_LOAD, true, true, false, false, PREP_VLEK_VERSION,
	  -EINVAL, 0 },
	{ "vlek_rsvd", SNP_VLEK_LOAD, true, true, false, false, PREP_VLEK_RSVD,
	  -EINVAL, 0 },
	{ "unknown", SEV_MAX, true, true, false, false, 0, -EINVAL, 0 },
};

static void snp_ioctl_desc(const struct snp_ioctl_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(snp_ioctl, snp_ioctl_cases, snp_ioctl_desc);

/* Lay out the user page: the request at 0, a hashstick at 2048. */
static void snp_ioctl_prepare(struct kunit *test, const struct snp_ioctl_case *c,
			      unsigned long user)
{
	struct sev_user_data_snp_config config = {};
	struct sev_user_data_snp_vlek_load vlek = {
		.len = sizeof(vlek),
		.vlek_wrapped_address = user + 2048,
	};
	u8 blob_first = 0x5a;

	switch (c->prep) {
	case PREP_CONFIG_RSVD:
		config.rsvd = 1;
		break;
	case PREP_CONFIG_RSVD1:
		config.rsvd1[51] = 1;
		break;
	case PREP_VLEK_LEN:
		vlek.len = 24;
		break;
	case PREP_VLEK_VERSION:
		vlek.vlek_wrapped_version = 1;
		break;
	case PREP_VLEK_RSVD:
		vlek.rsvd[2] = 1;
		break;
	}
	config.reported_tcb = 0x0102030405060708ULL;
	if (c->cmd == SNP_SET_CONFIG)
		KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)user, &config,
						   sizeof(config)), 0);
	if (c->cmd == SNP_VLEK_LOAD) {
		KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)user, &vlek,
						   sizeof(vlek)), 0);
		KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)user + 2048,
						   &blob_first, 1), 0);
	}
}

static void snp_ioctl_checks_arguments(struct kunit *test)
{
	const struct snp_ioctl_case *c = test->param_value;
	struct fake_psp *f = test->priv;
	struct sev_issue_cmd argp = { .cmd = c->cmd, .error = 0xdeadbeef };
	unsigned long user;
	int rc;

	if (c->ready)
		snp_test_bring_up(test, f);

	user = snp_test_user_page(test);
	snp_ioctl_prepare(test, c, user);
	if (c->bad_ptr)
		argp.data = TASK_SIZE_MAX + PAGE_SIZE;	/* not a user address */
	else if (!c->no_data)
		argp.data = user;

	rc = snp_ioctl(&f->fw, &argp, c->writable);
	KUNIT_EXPECT_EQ(test, rc, c->rc);

	if (c->fw_cmd) {
		KUNIT_ASSERT_GE(test, f->nlog, 1);
		KUNIT_EXPECT_EQ(test, f->log[0], c->fw_cmd);
		KUNIT_EXPECT_EQ(test, argp.error, 0);
	} else {
		/* Nothing reached the firmware, and the status says so. */
		KUNIT_EXPECT_EQ(test, f->nlog, 0);
		KUNIT_EXPECT_EQ(test, argp.error, (u32)SEV_RET_NO_FW_CALL);
	}

	if (c->cmd == SNP_PLATFORM_STATUS && !c->rc) {
		struct sev_user_data_snp_status st;

		KUNIT_ASSERT_EQ(test, copy_from_user(&st, (void __user *)user,
						     sizeof(st)), 0);
		KUNIT_EXPECT_EQ(test, st.api_minor, 55);
		KUNIT_EXPECT_EQ(test, st.state, c->ready);
		KUNIT_EXPECT_EQ(test, st.build_id, 4242);
		KUNIT_EXPECT_EQ(test, st.reported_tcb_version, 0x1122334455667788ULL);
	}
	if (c->cmd == SNP_VLEK_LOAD && !c->rc)
		KUNIT_EXPECT_EQ(test, f->vlek_first_byte, 0x5a);

	/* The status page went back to the host. */
	KUNIT_EXPECT_EQ(test, f->nleaked, 0);
	snp_test_user_done();
}

/* Where the test puts each buffer: stated here apart from the driver's table. */
#define LEGACY_ONE(name, type, cmd, writes_cmd_buf, guest, a, l) \
	{ name, cmd, writes_cmd_buf, 1, guest, { offsetof(struct type, a) }, \
	  { offsetof(struct type, l) } }
#define LEGACY_HOST(name, type, cmd, a, l) \
	LEGACY_ONE(name, type, cmd, true, false, a, l)
#define LEGACY_GUEST(name, type, cmd, a, l) \
	LEGACY_ONE(name, type, cmd, false, true, a, l)
#define LEGACY_HOST2(name, type, cmd, a1, l1, a2, l2) \
	{ name, cmd, true, 2, false, \
	  { offsetof(struct type, a1), offsetof(struct type, a2) }, \
	  { offsetof(struct type, l1), offsetof(struct type, l2) } }

static const struct snp_legacy_case snp_legacy_cases[] = {
	{ "platform_status", SEV_CMD_PLATFORM_STATUS, true },
	{ "guest_status", SEV_CMD_GUEST_STATUS, true },
	{ "launch_start", SEV_CMD_LAUNCH_START, true },
	{ "receive_start", SEV_CMD_RECEIVE_START, true },
	LEGACY_HOST("pek_csr", sev_data_pek_csr, SEV_CMD_PEK_CSR, address, len),
	LEGACY_HOST2("pdh_cert_export", sev_data_pdh_cert_export,
		     SEV_CMD_PDH_CERT_EXPORT, pdh_cert_address, pdh_cert_len,
		     cert_chain_address, cert_chain_len),
	LEGACY_HOST("get_id", sev_data_get_id, SEV_CMD_GET_ID, address, len),
	LEGACY_HOST("launch_measure", sev_data_launch_measure,
		    SEV_CMD_LAUNCH_MEASURE, address, len),
	LEGACY_HOST("attestation_report", sev_data_attestation_report,
		    SEV_CMD_ATTESTATION_REPORT, address, len),
	LEGACY_HOST("send_start", sev_data_send_start, SEV_CMD_SEND_START,
		    session_address, session_len),
	LEGACY_HOST2("send_update_data", sev_data_send_update_data,
		     SEV_CMD_SEND_UPDATE_DATA, hdr_address, hdr_len,
		     trans_address, trans_len),
	LEGACY_HOST2("send_update_vmsa", sev_data_send_update_vmsa,
		     SEV_CMD_SEND_UPDATE_VMSA, hdr_address, hdr_len,
		     trans_address, trans_len),
	LEGACY_GUEST("launch_update_data", sev_data_launch_update_data,
		     SEV_CMD_LAUNCH_UPDATE_DATA, address, len),
	LEGACY_GUEST("launch_update_vmsa", sev_data_launch_update_vmsa,
		     SEV_CMD_LAUNCH_UPDATE_VMSA, address, len),
	LEGACY_GUEST("launch_secret", sev_data_launch_secret,
		     SEV_CMD_LAUNCH_UPDATE_SECRET, guest_address, guest_len),
	LEGACY_GUEST("receive_update_data", sev_data_receive_update_data,
		     SEV_CMD_RECEIVE_UPDATE_DATA, guest_address, guest_len),
	LEGACY_GUEST("receive_update_vmsa", sev_data_receive_update_vmsa,
		     SEV_CMD_RECEIVE_UPDATE_VMSA, guest_address, guest_len),
	LEGACY_ONE("dbg_decrypt", sev_data_dbg, SEV_CMD_DBG_DECRYPT, false, false,
		   dst_addr, len),
	LEGACY_GUEST("dbg_encrypt", sev_data_dbg, SEV_CMD_DBG_ENCRYPT,
		     dst_addr, len),
};

static void snp_legacy_desc(const struct snp_legacy_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(snp_legacy, snp_legacy_cases, snp_legacy_desc);

/*
 * Build the command buffer of @c with each buffer 100 bytes at offset 16
 * of its own page, filled with 0x11.
 */
static void snp_legacy_setup(struct kunit *test, const struct snp_legacy_case *c,
			     u8 *data, struct page **pages)
{
	struct fake_psp *f = test->priv;
	int i;

	snp_test_bring_up(test, f);
	f->legacy = c;
	for (i = 0; i < c->nbufs; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		memset(page_address(pages[i]), 0x11, PAGE_SIZE);
		f->legacy_pa[i] = PFN_PHYS(page_to_pfn(pages[i])) + 16;
		put_unaligned(__sme_set(f->legacy_pa[i]), (u64 *)(data + c->addr_off[i]));
		put_unaligned(100, (u32 *)(data + c->len_off[i]));
	}
}

static void snp_legacy_cmd_uses_firmware_pages(struct kunit *test)
{
	const struct snp_legacy_case *c = test->param_value;
	struct fake_psp *f = test->priv;
	struct page *pages[2] = {};
	u8 data[SNP_LEGACY_MAX_CMD_LEN] = {};
	int i, fw_err, len = sizeof(data);

	KUNIT_EXPECT_FALSE(test, snp_legacy_cmd_needs_fw_pages(&f->fw, c->cmd));
	snp_legacy_setup(test, c, data, pages);
	KUNIT_EXPECT_TRUE(test, snp_legacy_cmd_needs_fw_pages(&f->fw, c->cmd));

	KUNIT_EXPECT_EQ(test, snp_legacy_cmd_run(&f->fw, c->cmd, data, len, &fw_err), 0);
	KUNIT_EXPECT_EQ(test, fw_err, 0);
	KUNIT_EXPECT_EQ(test, f->nleaked, 0);
	KUNIT_EXPECT_FALSE(test, fake_page_assigned(PHYS_PFN(__pa(f->fw.legacy_page))));

	for (i = 0; i < c->nbufs; i++) {
		u8 *buf = page_address(pages[i]);

		/* The caller's address is back, with the firmware's length. */
		KUNIT_EXPECT_EQ(test, get_unaligned((u64 *)(data + c->addr_off[i])),
				__sme_set(f->legacy_pa[i]));
		KUNIT_EXPECT_EQ(test, get_unaligned((u32 *)(data + c->len_off[i])), 50);
		KUNIT_EXPECT_FALSE(test, fake_page_assigned(page_to_pfn(pages[i])));
		/* Output reached the buffer: in place for guest memory (100 bytes) */
		KUNIT_EXPECT_EQ(test, buf[16], 0x5a);
		KUNIT_EXPECT_EQ(test, buf[16 + 49], 0x5a);
		KUNIT_EXPECT_EQ(test, buf[16 + 50], c->guest ? 0x5a : 0x11);
		KUNIT_EXPECT_EQ(test, buf[15], 0x11);
		__free_page(pages[i]);
	}
	free_page((unsigned long)f->fw.legacy_page);
}

static void snp_legacy_firmware_error_copies_nothing(struct kunit *test)
{
	const struct snp_legacy_case *c = &snp_legacy_cases[5];	/* PDH_CERT_EXPORT */
	struct fake_psp *f = test->priv;
	struct page *pages[2] = {};
	u8 data[SNP_LEGACY_MAX_CMD_LEN] = {};
	int i, fw_err;

	snp_legacy_setup(test, c, data, pages);
	f->fail_cmd = c->cmd;
	f->fail_status = SEV_RET_INVALID_LEN;
	f->fail_count = 1;
	KUNIT_EXPECT_EQ(test, snp_legacy_cmd_run(&f->fw, c->cmd, data,
						 sizeof(struct sev_data_pdh_cert_export),
						 &fw_err), -EIO);
	KUNIT_EXPECT_EQ(test, fw_err, SEV_RET_INVALID_LEN);
	KUNIT_EXPECT_EQ(test, f->nleaked, 0);
	for (i = 0; i < c->nbufs; i++) {
		KUNIT_EXPECT_EQ(test, ((u8 *)page_address(pages[i]))[16], 0x11);
		KUNIT_EXPECT_EQ(test, get_unaligned((u64 *)(data + c->addr_off[i])),
				__sme_set(f->legacy_pa[i]));
		__free_page(pages[i]);
	}
	free_page((unsigned long)f->fw.legacy_page);
}

static void snp_legacy_reclaim_failure_leaks(struct kunit *test)
{
	const struct snp_legacy_case *c = &snp_legacy_cases[4];	/* PEK_CSR */
	struct fake_psp *f = test->priv;
	struct page *pages[2] = {};
	u8 data[SNP_LEGACY_MAX_CMD_LEN] = {};
	void *cmd_page;
	int fw_err;

	snp_legacy_setup(test, c, data, pages);
	/* The command page is reclaimed first: make that fail. */
	f->fail_cmd = SEV_CMD_SNP_PAGE_RECLAIM;
	f->fail_status = SEV_RET_INVALID_PAGE_STATE;
	f->fail_count = 1;
	f->fw.legacy_page = (void *)get_zeroed_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->fw.legacy_page);
	cmd_page = f->fw.legacy_page;

	KUNIT_EXPECT_EQ(test, snp_legacy_cmd_run(&f->fw, c->cmd, data,
						 sizeof(struct sev_data_pek_csr),
						 &fw_err), -EIO);
	KUNIT_ASSERT_EQ(test, f->nleaked, 1);
	KUNIT_EXPECT_EQ(test, f->leaked[0], PHYS_PFN(__pa(cmd_page)));
	/* Never used again, never freed, and no output copied. */
	KUNIT_EXPECT_NULL(test, f->fw.legacy_page);
	KUNIT_EXPECT_EQ(test, page_ref_count(virt_to_page(cmd_page)), 1);
	KUNIT_EXPECT_EQ(test, ((u8 *)page_address(pages[0]))[16], 0x11);
	KUNIT_EXPECT_FALSE(test, fake_page_assigned(page_to_pfn(pages[0])));

	free_page((unsigned long)cmd_page);	/* the fake's leak holds nothing */
	__free_page(pages[0]);
}

static void snp_legacy_guest_page_reclaim_failure_leaks(struct kunit *test)
{
	const struct snp_legacy_case *c = &snp_legacy_cases[12];	/* LAUNCH_UPDATE_DATA */
	struct fake_psp *f = test->priv;
	struct page *pages[2] = {};
	u8 data[SNP_LEGACY_MAX_CMD_LEN] = {};
	int fw_err;

	snp_legacy_setup(test, c, data, pages);
	f->fail_cmd = SEV_CMD_SNP_PAGE_RECLAIM;
	f->fail_status = SEV_RET_INVALID_PAGE_STATE;
	f->fail_count = 1;
	KUNIT_EXPECT_EQ(test, snp_legacy_cmd_run(&f->fw, c->cmd, data,
						 sizeof(struct sev_data_launch_update_data),
						 &fw_err), -EIO);
	KUNIT_ASSERT_EQ(test, f->nleaked, 1);
	KUNIT_EXPECT_EQ(test, f->leaked[0], page_to_pfn(pages[0]));
	KUNIT_EXPECT_TRUE(test, fake_page_assigned(page_to_pfn(pages[0])));
	__free_page(pages[0]);
	free_page((unsigned long)f->fw.legacy_page);
}

static struct kunit_case sev_snp_fw_cases[] = {
	KUNIT_CASE_PARAM(snp_cmd_buffer_len_matches_abi, snp_len_gen_params),
	KUNIT_CASE(snp_status_names),
	KUNIT_CASE(snp_range_list_takes_reserved_acpi_pmem),
	KUNIT_CASE(snp_range_list_refuses_overflow),
	KUNIT_CASE(snp_init_uses_init_ex_with_range_list),
	KUNIT_CASE(snp_init_falls_back_to_snp_init),
	KUNIT_CASE(snp_init_refuses_old_firmware),
	KUNIT_CASE(snp_init_failure_leaves_snp_off),
	KUNIT_CASE(snp_init_df_flush_failure_shuts_down),
	KUNIT_CASE(snp_shutdown_retries_after_df_flush),
	KUNIT_CASE(snp_shutdown_failure_keeps_firmware_up),
	KUNIT_CASE(snp_fw_pages_are_firmware_owned_until_freed),
	KUNIT_CASE(snp_fw_pages_are_plain_while_snp_is_off),
	KUNIT_CASE(snp_reclaim_failure_leaks_page),
	KUNIT_CASE(snp_assign_failure_unwinds),
	KUNIT_CASE_PARAM(snp_ioctl_checks_arguments, snp_ioctl_gen_params),
	KUNIT_CASE_PARAM(snp_legacy_cmd_uses_firmware_pages, snp_legacy_gen_params),
	KUNIT_CASE(snp_legacy_firmware_error_copies_nothing),
	KUNIT_CASE(snp_legacy_reclaim_failure_leaks),
	KUNIT_CASE(snp_legacy_guest_page_reclaim_failure_leaks),
	{}
};

static struct kunit_suite sev_snp_fw_suite = {
	.name = "sev-snp-fw",
	.init = snp_test_init,
	.exit = snp_test_exit,
	.test_cases = sev_snp_fw_cases,
};

kunit_test_suite(sev_snp_fw_suite);
