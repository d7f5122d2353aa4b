// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV-SNP firmware: bring-up, shutdown and the pages the firmware owns.
 *
 * Bring-up follows the order the firmware ABI asks for: every CPU's
 * MSR_VM_HSAVE_PA cleared and the caches written back before SNP_INIT
 * (the firmware checks both), then, before the first guest may be
 * launched, another write-back and SNP_DF_FLUSH. Firmware of API 1.52 and
 * later gets SNP_INIT_EX with the list of reserved memory it must never
 * hand to a guest; 1.51 only knows SNP_INIT; anything older cannot run an
 * SNP host.
 *
 * A page the firmware writes must be firmware-owned in the RMP while it
 * does. Getting it back takes SNP_PAGE_RECLAIM and then an RMP update to
 * hypervisor-owned; a page for which either step fails can still belong
 * to the firmware, so it is leaked (reported and kept out of the page
 * allocator for good) instead of freed.
 */

#define pr_fmt(fmt)	"SEV-SNP: " fmt

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <asm/e820/types.h>
#include <asm/page.h>

#include "sev-snp.h"

static bool snp_fw_api_at_least(const struct snp_fw *fw, u8 major, u8 minor)
{
	return fw->api_major > major ||
	       (fw->api_major == major && fw->api_minor >= minor);
}

/* Memory the firmware has to treat as HV-fixed: never a guest's page. */
static bool snp_e820_type_is_fixed(enum e820_type type)
{
	switch (type) {
	case E820_TYPE_RESERVED:
	case E820_TYPE_ACPI:
	case E820_TYPE_PMEM:
		return true;
	default:
		return false;
	}
}

/**
 * snp_build_range_list() - fill the SNP_INIT_EX range list from e820
 * @t: the memory map
 * @list: a zeroed page
 *
 * Lists every reserved, ACPI and persistent-memory region of @t, widened
 * to whole pages.
 *
 * Return: 0, or -E2BIG when the regions do not fit in one page.
 */
int snp_build_range_list(const struct e820_table *t,
			 struct sev_data_snp_range_list *list)
{
	u32 i, n = 0;

	for (i = 0; i < t->nr_entries; i++) {
		const struct e820_entry *e = &t->entries[i];
		u64 start = PAGE_ALIGN_DOWN(e->addr);
		u64 end = PAGE_ALIGN(e->addr + e->size);

		if (!snp_e820_type_is_fixed(e->type) || end <= start)
			continue;
		if (n == SNP_RANGE_LIST_MAX)
			return -E2BIG;
		list->ranges[n].base = start;
		list->ranges[n].page_count = (end - start) >> PAGE_SHIFT;
		n++;
	}
	list->num_elements = n;
	return 0;
}

static int snp_fw_issue(struct snp_fw *fw, int cmd, void *buf, int *fw_err)
{
	*fw_err = SEV_RET_NO_FW_CALL;
	return fw->ops->issue(fw->ctx, cmd, buf, fw_err);
}

static void snp_fw_log_failure(const char *what, int rc, int fw_err)
{
	pr_err("%s failed: %d, firmware status %#x (%s)\n", what, rc, fw_err,
	       sev_fw_status_name(fw_err));
}

static int snp_fw_init_ex(struct snp_fw *fw, const struct e820_table *t,
			  int *fw_err)
{
	struct sev_data_snp_range_list *list;
	struct sev_data_snp_init_ex data = {};
	int rc;

	list = (void *)get_zeroed_page(GFP_KERNEL);
	if (!list)
		return -ENOMEM;

	rc = snp_build_range_list(t, list);
	if (rc) {
		pr_err("more reserved memory ranges than SNP_INIT_EX takes (%zu)\n",
		       SNP_RANGE_LIST_MAX);
		goto out;
	}

	data.init_rmp = 1;
	data.list_paddr_en = 1;
	data.list_paddr = __psp_pa(list);
	rc = snp_fw_issue(fw, SEV_CMD_SNP_INIT_EX, &data, fw_err);
out:
	free_page((unsigned long)list);
	return rc;
}

/**
 * snp_fw_init() - initialise the SNP firmware
 * @fw: the firmware
 * @t: memory map the SNP_INIT_EX range list is built from
 * @fw_err: the firmware status of the command that failed
 *
 * Return: 0 when the firmware is ready for SNP guests (also when it
 * already was); -EOPNOTSUPP when its API is too old for an SNP host;
 * otherwise the error of the step that failed, and SNP stays off.
 */
int snp_fw_init(struct snp_fw *fw, const struct e820_table *t, int *fw_err)
{
	int rc, err;

	*fw_err = SEV_RET_NO_FW_CALL;
	if (fw->ready)
		return 0;

	if (!snp_fw_api_at_least(fw, SNP_MIN_API_MAJOR, SNP_MIN_API_MINOR)) {
		pr_err("firmware API %u.%u is older than the %u.%u an SNP host needs\n",
		       fw->api_major, fw->api_minor, SNP_MIN_API_MAJOR,
		       SNP_MIN_API_MINOR);
		return -EOPNOTSUPP;
	}

	fw->ops->clear_hsave();
	fw->ops->flush_caches();

	if (snp_fw_api_at_least(fw, SNP_MIN_API_MAJOR, SNP_INIT_EX_API_MINOR)) {
		rc = snp_fw_init_ex(fw, t, fw_err);
		if (rc) {
			snp_fw_log_failure("SNP_INIT_EX", rc, *fw_err);
			return rc;
		}
	} else {
		rc = snp_fw_issue(fw, SEV_CMD_SNP_INIT, NULL, fw_err);
		if (rc) {
			snp_fw_log_failure("SNP_INIT", rc, *fw_err);
			return rc;
		}
	}
	fw->ready = true;

	/* Caches may hold lines of memory the firmware now owns. */
	fw->ops->flush_caches();
	rc = snp_fw_issue(fw, SEV_CMD_SNP_DF_FLUSH, NULL, fw_err);
	if (rc) {
		snp_fw_log_failure("SNP_DF_FLUSH", rc, *fw_err);
		/* No guest can be launched safely: take SNP down again. */
		snp_fw_shutdown(fw, &err);
		return rc;
	}
	return 0;
}

/**
 * snp_fw_shutdown() - shut the SNP firmware down
 * @fw: the firmware
 * @fw_err: the firmware status of the command that failed
 *
 * Also takes the IOMMU out of SNP mode. Every firmware-owned page must
 * have been reclaimed before: afterwards the firmware reclaims nothing.
 *
 * Return: 0 when SNP is off (also when it was); otherwise the error of
 * SNP_SHUTDOWN_EX, and the firmware stays initialised.
 */
int snp_fw_shutdown(struct snp_fw *fw, int *fw_err)
{
	struct sev_data_snp_shutdown_ex data = {
		.len = sizeof(data),
		.iommu_snp_shutdown = 1,
	};
	int rc;

	*fw_err = SEV_RET_NO_FW_CALL;
	if (!fw->ready)
		return 0;

	rc = snp_fw_issue(fw, SEV_CMD_SNP_SHUTDOWN_EX, &data, fw_err);
	if (rc && *fw_err == SEV_RET_DFFLUSH_REQUIRED) {
		/* ASIDs of past guests are still dirty: flush them, retry. */
		rc = snp_fw_issue(fw, SEV_CMD_SNP_DF_FLUSH, NULL, fw_err);
		if (!rc) {
			data.len = sizeof(data);
			data.iommu_snp_shutdown = 1;
			rc = snp_fw_issue(fw, SEV_CMD_SNP_SHUTDOWN_EX, &data,
					  fw_err);
		}
	}
	if (rc) {
		snp_fw_log_failure("SNP_SHUTDOWN_EX", rc, *fw_err);
		pr_err("the SNP firmware stays initialised\n");
		return rc;
	}
	fw->ready = false;
	return 0;
}

/*
 * Get one page back from the firmware. A page the RMP gives to nobody is
 * the host's already (never handed over, or handed back before).
 */
static int snp_fw_page_reclaim(struct snp_fw *fw, u64 pfn)
{
	struct sev_data_snp_paddr data = { .paddr = pfn << PAGE_SHIFT };
	int rc, fw_err;

	if (!fw->ops->page_assigned(pfn))
		return 0;

	rc = snp_fw_issue(fw, SEV_CMD_SNP_PAGE_RECLAIM, &data, &fw_err);
	if (rc) {
		pr_err("SNP_PAGE_RECLAIM of pfn %#llx failed: %d, firmware status %#x (%s)\n",
		       pfn, rc, fw_err, sev_fw_status_name(fw_err));
		goto leak;
	}
	rc = fw->ops->page_to_hv(pfn);
	if (rc) {
		pr_err("cannot make reclaimed pfn %#llx shared: %d\n", pfn, rc);
		goto leak;
	}
	return 0;

leak:
	fw->ops->leak(pfn);
	fw->nr_leaked++;
	return -EIO;
}

/**
 * snp_fw_pages_reclaim() - take pages back from the firmware
 * @fw: the firmware
 * @pfn: first page
 * @npages: number of 4 KiB pages
 *
 * Pages that cannot be reclaimed are leaked; the others are the
 * hypervisor's again.
 *
 * Return: 0, or -EIO when at least one page was leaked.
 */
int snp_fw_pages_reclaim(struct snp_fw *fw, u64 pfn, unsigned int npages)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < npages; i++) {
		if (snp_fw_page_reclaim(fw, pfn + i))
			ret = -EIO;
	}
	return ret;
}

/**
 * snp_fw_pages_assign() - make pages firmware-owned
 * @fw: the firmware
 * @pfn: first page
 * @npages: number of 4 KiB pages
 *
 * Return: 0 when every page is firmware-owned; otherwise the error of the
 * RMP update, and the pages assigned before it are reclaimed (or leaked
 * when they cannot be).
 */
int snp_fw_pages_assign(struct snp_fw *fw, u64 pfn, unsigned int npages)
{
	unsigned int i;
	int rc;

	for (i = 0; i < npages; i++) {
		rc = fw->ops->page_to_fw(pfn + i);
		if (rc) {
			pr_err("cannot make pfn %#llx firmware-owned: %d\n",
			       pfn + i, rc);
			snp_fw_pages_reclaim(fw, pfn, i);
			return rc;
		}
	}
	return 0;
}

/**
 * snp_fw_alloc_pages() - allocate memory the firmware may write
 * @fw: the firmware
 * @gfp: allocation flags
 * @order: log2 of the number of pages; the block is aligned to its size
 *
 * While SNP is initialised the pages are firmware-owned; otherwise they
 * are ordinary pages. Free with snp_fw_free_pages().
 *
 * Return: the kernel address, or NULL.
 */
void *snp_fw_alloc_pages(struct snp_fw *fw, gfp_t gfp, unsigned int order)
{
	struct page *page;
	unsigned int i;

	page = alloc_pages(gfp & ~__GFP_COMP, order);
	if (!page)
		return NULL;
	/* Each page is freed on its own: a leaked one must not take the rest. */
	split_page(page, order);

	if (fw->ready && snp_fw_pages_assign(fw, page_to_pfn(page), 1 << order)) {
		for (i = 0; i < (1 << order); i++) {
			if (!fw->ops->page_assigned(page_to_pfn(page + i)))
				__free_page(page + i);
		}
		return NULL;
	}
	return page_address(page);
}

/**
 * snp_fw_free_pages() - free memory from snp_fw_alloc_pages()
 * @fw: the firmware
 * @addr: what snp_fw_alloc_pages() returned, or NULL
 * @order: the order it was allocated with
 *
 * Firmware-owned pages are reclaimed first; those that cannot be are
 * leaked, the others freed.
 */
void snp_fw_free_pages(struct snp_fw *fw, void *addr, unsigned int order)
{
	struct page *page;
	unsigned int i;

	if (!addr)
		return;

	page = virt_to_page(addr);
	for (i = 0; i < (1 << order); i++) {
		if (!snp_fw_page_reclaim(fw, page_to_pfn(page + i)))
			__free_page(page + i);
	}
}
