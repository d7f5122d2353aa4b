// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV-SNP firmware on the real platform: binds the logic of sev-snp.c to
 * the PSP mailbox and to the x86 SNP host code, brings SNP up when the
 * PSP is probed, takes it down on unload, reboot, kexec and panic, and
 * offers KVM the firmware commands and firmware-owned pages.
 */

#define pr_fmt(fmt)	"SEV-SNP: " fmt

#include <linux/amd-iommu.h>
#include <linux/crash_dump.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/panic_notifier.h>
#include <linux/psp-sev-snp.h>
#include <linux/smp.h>
#include <asm/msr.h>
#include <asm/sev-host.h>

#include "psp-dev.h"
#include "sev-dev.h"
#include "sev-snp.h"

/*
 * Off by default for now: legacy SEV commands whose buffers the firmware
 * writes do not yet go through firmware-owned pages, so they fail once
 * SNP is initialised, and SEV and SEV-ES guests with them.
 */
static bool psp_snp_init;
module_param(psp_snp_init, bool, 0444);
MODULE_PARM_DESC(psp_snp_init, " if true, initialise the SEV-SNP firmware at probe on an SNP host; legacy SEV guests cannot be launched then");

static int snp_hw_issue(void *ctx, int cmd, void *buf, int *fw_err)
{
	return __sev_do_cmd_locked(cmd, buf, fw_err);
}

static int snp_hw_page_to_fw(u64 pfn)
{
	return snp_rmp_make_private(pfn, 0, PG_LEVEL_4K, 0, true);
}

static int snp_hw_page_to_hv(u64 pfn)
{
	return snp_rmp_make_shared(pfn, PG_LEVEL_4K);
}

static bool snp_hw_page_assigned(u64 pfn)
{
	struct snp_rmp_info info;

	return !snp_rmp_lookup(pfn, &info) && info.assigned;
}

static void snp_hw_leak(u64 pfn)
{
	snp_leak_pages(pfn, 1);
}

static void snp_hw_flush_caches(void)
{
	wbinvd_on_all_cpus();
}

static void snp_clear_hsave_this_cpu(void *unused)
{
	wrmsrl(MSR_VM_HSAVE_PA, 0);
}

static void snp_hw_clear_hsave(void)
{
	on_each_cpu(snp_clear_hsave_this_cpu, NULL, 1);
}

static const struct snp_fw_ops snp_hw_ops = {
	.issue		= snp_hw_issue,
	.page_to_fw	= snp_hw_page_to_fw,
	.page_to_hv	= snp_hw_page_to_hv,
	.page_assigned	= snp_hw_page_assigned,
	.leak		= snp_hw_leak,
	.flush_caches	= snp_hw_flush_caches,
	.clear_hsave	= snp_hw_clear_hsave,
};

struct snp_fw sev_snp_fw = { .ops = &snp_hw_ops };

/* Command buffer of the panic path: sev->cmd_buf may be in use. */
static void *snp_panic_buf;
static struct sev_device *snp_panic_sev;

/*
 * Issue a command by polling: the panic path runs with interrupts off and
 * must not sleep. Waits for a command still in flight first; a mailbox
 * that stays busy is left alone.
 */
static int snp_panic_issue(void *ctx, int cmd, void *buf, int *fw_err)
{
	struct sev_device *sev = ctx;
	void __iomem *cmdresp = sev->io_regs + sev->vdata->cmdresp_reg;
	u64 pa = buf ? __psp_pa(snp_panic_buf) : 0;
	int i, len = snp_cmd_buffer_len(cmd);

	*fw_err = SEV_RET_NO_FW_CALL;
	for (i = 0; !(ioread32(cmdresp) & PSP_CMDRESP_RESP); i++) {
		if (i == 100000)
			return -EBUSY;
		udelay(10);
	}

	if (buf)
		memcpy(snp_panic_buf, buf, len);
	iowrite32(lower_32_bits(pa), sev->io_regs + sev->vdata->cmdbuff_addr_lo_reg);
	iowrite32(upper_32_bits(pa), sev->io_regs + sev->vdata->cmdbuff_addr_hi_reg);
	iowrite32(cmd << SEV_CMDRESP_CMD_SHIFT, cmdresp);

	for (i = 0; !(ioread32(cmdresp) & PSP_CMDRESP_RESP); i++) {
		if (i == 1000000)
			return -ETIMEDOUT;
		udelay(10);
	}
	*fw_err = ioread32(cmdresp) & PSP_CMDRESP_ERR_MASK;
	if (buf)
		memcpy(buf, snp_panic_buf, len);
	return *fw_err ? -EIO : 0;
}

/* snp_fw_shutdown() issues commands and needs nothing else. */
static const struct snp_fw_ops snp_panic_ops = {
	.issue		= snp_panic_issue,
};

/*
 * Take SNP down so that a kdump kernel finds the IOMMU out of SNP mode.
 * Firmware-owned pages are not reclaimed: this kernel is done.
 */
static int snp_panic_notify(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	struct sev_device *sev = snp_panic_sev;
	struct snp_fw fw = { .ops = &snp_panic_ops, .ctx = sev, .ready = true };
	int fw_err;

	if (!sev || !sev_snp_fw.ready)
		return NOTIFY_DONE;

	/* SNP_SHUTDOWN_EX needs legacy SEV shut down first. */
	if (sev->state != SEV_STATE_UNINIT)
		snp_panic_issue(sev, SEV_CMD_SHUTDOWN, NULL, &fw_err);

	wbinvd();
	if (!snp_fw_shutdown(&fw, &fw_err))
		sev_snp_fw.ready = false;

	return NOTIFY_DONE;
}

static struct notifier_block snp_panic_nb = {
	.notifier_call = snp_panic_notify,
};

/**
 * sev_snp_platform_init() - bring the SNP firmware up at probe time
 * @sev: the SEV device, its API version already read
 *
 * Runs before legacy SEV is initialised and before KVM can run a guest,
 * so clearing MSR_VM_HSAVE_PA on every CPU disturbs nobody.
 *
 * Context: the caller holds the driver's command mutex.
 */
void sev_snp_platform_init(struct sev_device *sev)
{
	int rc, fw_err;

	if (!snp_host_active())
		return;

	if (!psp_snp_init) {
		dev_info(sev->dev, "SEV-SNP: firmware not initialised (ccp.psp_snp_init=0)\n");
		return;
	}

	if (is_kdump_kernel()) {
		dev_info(sev->dev, "SEV-SNP: not initialised in a kdump kernel\n");
		return;
	}

	snp_panic_buf = (void *)get_zeroed_page(GFP_KERNEL);
	if (!snp_panic_buf) {
		dev_err(sev->dev, "SEV-SNP: out of memory, SNP stays off\n");
		return;
	}

	sev_snp_fw.api_major = sev->api_major;
	sev_snp_fw.api_minor = sev->api_minor;
	rc = snp_fw_init(&sev_snp_fw, snp_host_e820_table(), &fw_err);
	if (rc) {
		dev_err(sev->dev, "SEV-SNP: firmware not initialised (%d, status %#x %s); SEV and SEV-ES stay available\n",
			rc, fw_err, sev_fw_status_name(fw_err));
		free_page((unsigned long)snp_panic_buf);
		snp_panic_buf = NULL;
		return;
	}

	snp_panic_sev = sev;
	atomic_notifier_chain_register(&panic_notifier_list, &snp_panic_nb);
	dev_info(sev->dev, "SEV-SNP API:%u.%u build:%u\n", sev->api_major,
		 sev->api_minor, sev->build);
}

/**
 * sev_snp_platform_shutdown() - shut the SNP firmware down
 * @sev: the SEV device
 *
 * Legacy SEV must be shut down and every firmware-owned page reclaimed.
 *
 * Context: the caller holds the driver's command mutex.
 */
void sev_snp_platform_shutdown(struct sev_device *sev)
{
	int fw_err;

	if (!sev_snp_fw.ready)
		return;

	if (snp_fw_shutdown(&sev_snp_fw, &fw_err))
		return;

	if (amd_iommu_snp_release_pages())
		dev_err(sev->dev, "SEV-SNP: IOMMU logs still firmware-owned after shutdown\n");

	atomic_notifier_chain_unregister(&panic_notifier_list, &snp_panic_nb);
	snp_panic_sev = NULL;
	free_page((unsigned long)snp_panic_buf);
	snp_panic_buf = NULL;
	dev_info(sev->dev, "SEV-SNP: firmware shut down\n");
}

/**
 * sev_snp_ready() - whether the SNP firmware is initialised
 *
 * Return: true when SNP guests can be launched.
 */
bool sev_snp_ready(void)
{
	return sev_snp_fw.ready;
}
EXPORT_SYMBOL_GPL(sev_snp_ready);

/**
 * sev_snp_fw_page_alloc() - allocate a page the firmware may write
 * @gfp: allocation flags
 *
 * The page is firmware-owned while SNP is initialised, for example a
 * guest context page or the response page of a guest request.
 *
 * Return: the kernel address of the page, or NULL.
 */
void *sev_snp_fw_page_alloc(gfp_t gfp)
{
	void *page;

	mutex_lock(&sev_cmd_mutex);
	page = snp_fw_alloc_pages(&sev_snp_fw, gfp, 0);
	mutex_unlock(&sev_cmd_mutex);
	return page;
}
EXPORT_SYMBOL_GPL(sev_snp_fw_page_alloc);

/**
 * sev_snp_fw_page_free() - free a page from sev_snp_fw_page_alloc()
 * @addr: the page, or NULL
 *
 * The page is reclaimed from the firmware first; when that fails it is
 * leaked, never freed.
 */
void sev_snp_fw_page_free(void *addr)
{
	mutex_lock(&sev_cmd_mutex);
	snp_fw_free_pages(&sev_snp_fw, addr, 0);
	mutex_unlock(&sev_cmd_mutex);
}
EXPORT_SYMBOL_GPL(sev_snp_fw_page_free);

/**
 * sev_snp_reclaim_pages() - take pages back from the firmware
 * @pfn: first page
 * @npages: number of 4 KiB pages
 *
 * For pages a firmware command assigned, for example guest pages after a
 * failed SNP_LAUNCH_UPDATE. Pages the RMP does not assign are skipped.
 *
 * Return: 0 when all pages are the host's; -EIO when some were leaked and
 * must not be freed.
 */
int sev_snp_reclaim_pages(u64 pfn, unsigned int npages)
{
	int rc;

	mutex_lock(&sev_cmd_mutex);
	rc = snp_fw_pages_reclaim(&sev_snp_fw, pfn, npages);
	mutex_unlock(&sev_cmd_mutex);
	return rc;
}
EXPORT_SYMBOL_GPL(sev_snp_reclaim_pages);

/**
 * sev_snp_nv_to_fw() - hand the INIT_EX non-volatile buffer to the firmware
 * @buf: the buffer, page aligned
 * @len: its size, a multiple of the page size
 *
 * The firmware writes the buffer during legacy INIT_EX and later commands;
 * under SNP it must own it. Nothing to do while SNP is off.
 *
 * Context: the caller holds the driver's command mutex.
 * Return: 0, or the error of the RMP update.
 */
int sev_snp_nv_to_fw(void *buf, size_t len)
{
	if (!sev_snp_fw.ready)
		return 0;
	return snp_fw_pages_assign(&sev_snp_fw, PHYS_PFN(__pa(buf)),
				   len >> PAGE_SHIFT);
}

/**
 * sev_snp_nv_to_hv() - take the INIT_EX buffer back after legacy SHUTDOWN
 * @buf: the buffer
 * @len: its size
 *
 * Pages the RMP does not assign are skipped, so this may be called when
 * the buffer was never handed over.
 *
 * Context: the caller holds the driver's command mutex.
 * Return: 0, or -EIO when pages were leaked: the buffer must not be used
 * or freed again.
 */
int sev_snp_nv_to_hv(void *buf, size_t len)
{
	return snp_fw_pages_reclaim(&sev_snp_fw, PHYS_PFN(__pa(buf)),
				    len >> PAGE_SHIFT);
}
