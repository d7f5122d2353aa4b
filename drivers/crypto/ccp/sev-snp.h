/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SEV-SNP firmware support in the ccp driver: bringing the SNP firmware up
 * and down, pages owned by the firmware, and the /dev/sev SNP commands.
 *
 * The logic talks to the firmware and to the RMP only through struct
 * snp_fw_ops, so KUnit can run it against a software firmware
 * (sev-snp-kunit.c); sev-snp-platform.c binds it to the PSP mailbox and to
 * the x86 SNP host code.
 */
#ifndef __SEV_SNP_H
#define __SEV_SNP_H

#include <linux/mm_types.h>
#include <linux/sizes.h>
#include <linux/psp-sev-snp.h>
#include <linux/types.h>

struct e820_table;
struct sev_issue_cmd;

/**
 * struct snp_fw_ops - what the SNP logic needs from the platform
 * @issue: issue firmware command @cmd with command buffer @buf (NULL for
 *	commands without one; the buffer is copied back after the command).
 *	Stores the firmware status in @fw_err and returns 0, -EIO when the
 *	firmware failed the command, or another error when it was not run
 *	(then @fw_err is SEV_RET_NO_FW_CALL).
 * @page_to_fw: make a 4 KiB page firmware-owned in the RMP
 * @page_to_hv: make a 4 KiB page the firmware gave back hypervisor-owned
 * @page_assigned: whether the RMP assigns a 4 KiB page to a guest or to
 *	the firmware
 * @leak: a page that cannot be given back to the host: never reuse it
 * @flush_caches: write back and invalidate the caches of every CPU
 * @clear_hsave: zero MSR_VM_HSAVE_PA on every CPU, as SNP_INIT requires
 */
struct snp_fw_ops {
	int (*issue)(void *ctx, int cmd, void *buf, int *fw_err);
	int (*page_to_fw)(u64 pfn);
	int (*page_to_hv)(u64 pfn);
	bool (*page_assigned)(u64 pfn);
	void (*leak)(u64 pfn);
	void (*flush_caches)(void);
	void (*clear_hsave)(void);
};

/**
 * struct snp_fw - the SNP firmware as the driver sees it
 * @ops: platform operations
 * @ctx: argument of @ops->issue
 * @api_major: firmware API version, from PLATFORM_STATUS
 * @api_minor: firmware API version, from PLATFORM_STATUS
 * @ready: SNP_INIT(_EX) succeeded and no SNP_SHUTDOWN_EX since
 * @nr_leaked: pages this driver could not reclaim from the firmware
 *
 * Every function taking a struct snp_fw expects the caller to serialise
 * firmware commands (the driver's sev_cmd_mutex).
 */
struct snp_fw {
	const struct snp_fw_ops *ops;
	void *ctx;
	u8 api_major;
	u8 api_minor;
	bool ready;
	unsigned long nr_leaked;
};

/* sev-snp-cmd.c: command buffers and status names */
int snp_cmd_buffer_len(int cmd);
const char *sev_fw_status_name(int status);

/* sev-snp.c: firmware bring-up, shutdown and firmware-owned pages */
int snp_build_range_list(const struct e820_table *t,
			 struct sev_data_snp_range_list *list);
int snp_fw_init(struct snp_fw *fw, const struct e820_table *t, int *fw_err);
int snp_fw_shutdown(struct snp_fw *fw, int *fw_err);
int snp_fw_pages_assign(struct snp_fw *fw, u64 pfn, unsigned int npages);
int snp_fw_pages_reclaim(struct snp_fw *fw, u64 pfn, unsigned int npages);
void *snp_fw_alloc_pages(struct snp_fw *fw, gfp_t gfp, unsigned int order);
void snp_fw_free_pages(struct snp_fw *fw, void *addr, unsigned int order);

/* sev-snp-platform.c: the platform's SNP firmware, used by sev-dev.c */
struct sev_device;
extern struct snp_fw sev_snp_fw;

/* Size of the SEV-ES TMR while SNP is on; aligned to its size. */
#define SNP_TMR_SIZE	SZ_2M

void sev_snp_platform_init(struct sev_device *sev);
void sev_snp_platform_shutdown(struct sev_device *sev);
int sev_snp_nv_to_fw(void *buf, size_t len);
int sev_snp_nv_to_hv(void *buf, size_t len);

/* sev-snp-ioctl.c: the /dev/sev SNP commands */
int snp_ioctl(struct snp_fw *fw, struct sev_issue_cmd *argp, bool writable);

#endif /* __SEV_SNP_H */
