// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV-SNP commands of /dev/sev (SEV_ISSUE_CMD): SNP_PLATFORM_STATUS,
 * SNP_COMMIT, SNP_SET_CONFIG and SNP_VLEK_LOAD, with the numbers, the
 * structures and the permission rules of the upstream uAPI.
 *
 * Userspace buffers are copied in once and checked before anything reaches
 * the firmware; nothing goes back to userspace but the firmware's output,
 * and the firmware status field always holds either the status of a
 * command that ran or SEV_RET_NO_FW_CALL.
 */

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <uapi/linux/psp-sev.h>

#include "sev-snp.h"

/* Issue a command and report its firmware status in the ioctl's field. */
static int snp_ioctl_issue(struct snp_fw *fw, int cmd, void *buf,
			   struct sev_issue_cmd *argp)
{
	int rc, fw_err = SEV_RET_NO_FW_CALL;

	rc = fw->ops->issue(fw->ctx, cmd, buf, &fw_err);
	argp->error = fw_err;
	return rc;
}

static int snp_ioctl_platform_status(struct snp_fw *fw,
				     struct sev_issue_cmd *argp)
{
	struct sev_data_snp_paddr data;
	struct sev_user_data_snp_status status;
	void *page;
	int rc;

	if (!argp->data)
		return -EINVAL;

	/* Once SNP is up the firmware only writes to pages it owns. */
	page = snp_fw_alloc_pages(fw, GFP_KERNEL_ACCOUNT | __GFP_ZERO, 0);
	if (!page)
		return -ENOMEM;

	data.paddr = __psp_pa(page);
	rc = snp_ioctl_issue(fw, SEV_CMD_SNP_PLATFORM_STATUS, &data, argp);

	/* Reclaim before reading: the host may not touch a firmware page. */
	if (fw->ready &&
	    snp_fw_pages_reclaim(fw, page_to_pfn(virt_to_page(page)), 1)) {
		/* Leaked, and its contents may not be readable. */
		return -EIO;
	}
	if (!rc) {
		memcpy(&status, page, sizeof(status));
		if (copy_to_user(u64_to_user_ptr(argp->data), &status,
				 sizeof(status)))
			rc = -EFAULT;
	}
	free_page((unsigned long)page);
	return rc;
}

static int snp_ioctl_commit(struct snp_fw *fw, struct sev_issue_cmd *argp)
{
	struct sev_data_snp_commit data = { .len = sizeof(data) };

	if (!fw->ready)
		return -EINVAL;

	return snp_ioctl_issue(fw, SEV_CMD_SNP_COMMIT, &data, argp);
}

static int snp_ioctl_set_config(struct snp_fw *fw, struct sev_issue_cmd *argp,
				bool writable)
{
	struct sev_user_data_snp_config config;

	if (!fw->ready || !argp->data)
		return -EINVAL;
	if (!writable)
		return -EPERM;

	if (copy_from_user(&config, u64_to_user_ptr(argp->data), sizeof(config)))
		return -EFAULT;
	if (config.rsvd || memchr_inv(config.rsvd1, 0, sizeof(config.rsvd1)))
		return -EINVAL;

	return snp_ioctl_issue(fw, SEV_CMD_SNP_CONFIG, &config, argp);
}

static int snp_ioctl_vlek_load(struct snp_fw *fw, struct sev_issue_cmd *argp,
			       bool writable)
{
	struct sev_user_data_snp_wrapped_vlek_hashstick *blob;
	struct sev_user_data_snp_vlek_load req;
	int rc;

	if (!fw->ready || !argp->data)
		return -EINVAL;
	if (!writable)
		return -EPERM;

	if (copy_from_user(&req, u64_to_user_ptr(argp->data), sizeof(req)))
		return -EFAULT;
	if (req.len != sizeof(req) || req.vlek_wrapped_version ||
	    memchr_inv(req.rsvd, 0, sizeof(req.rsvd)))
		return -EINVAL;

	blob = psp_copy_user_blob(req.vlek_wrapped_address, sizeof(*blob));
	if (IS_ERR(blob))
		return PTR_ERR(blob);

	/* The firmware reads the hashstick from the kernel's copy. */
	req.vlek_wrapped_address = __psp_pa(blob);
	rc = snp_ioctl_issue(fw, SEV_CMD_SNP_VLEK_LOAD, &req, argp);

	kfree(blob);
	return rc;
}

/**
 * snp_ioctl() - run an SNP command of SEV_ISSUE_CMD
 * @fw: the firmware
 * @argp: the command, copied from userspace; @argp->error is set
 * @writable: /dev/sev was opened for writing
 *
 * Context: the caller holds the driver's command mutex.
 * Return: 0, -EINVAL for malformed requests or when SNP is not
 * initialised, -EPERM when the command needs a writable open, -EFAULT,
 * -ENOMEM, or the error of the firmware command.
 */
int snp_ioctl(struct snp_fw *fw, struct sev_issue_cmd *argp, bool writable)
{
	argp->error = SEV_RET_NO_FW_CALL;

	switch (argp->cmd) {
	case SNP_PLATFORM_STATUS:
		return snp_ioctl_platform_status(fw, argp);
	case SNP_COMMIT:
		return snp_ioctl_commit(fw, argp);
	case SNP_SET_CONFIG:
		return snp_ioctl_set_config(fw, argp, writable);
	case SNP_VLEK_LOAD:
		return snp_ioctl_vlek_load(fw, argp, writable);
	default:
		return -EINVAL;
	}
}
