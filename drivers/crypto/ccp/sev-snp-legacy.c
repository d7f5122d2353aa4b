// SPDX-License-Identifier: GPL-2.0-only
/*
 * Legacy SEV commands on an SNP-initialised platform.
 *
 * Once SNP is up, the firmware writes only to pages that are
 * firmware-owned in the RMP. A legacy SEV command writes to up to three
 * places: its own command buffer (lengths, handles, status fields), output
 * buffers of the host (certificates, measurements, reports, the outgoing
 * migration stream), and guest memory it encrypts in place (launch,
 * incoming migration, debug writes). For each command that does, this file
 * knows which fields of the command buffer hold such an address and its
 * length. Before the command, host output buffers are replaced by
 * firmware-owned bounce pages and guest pages are handed to the firmware
 * where they are; afterwards everything is reclaimed, bounce contents are
 * copied to the real buffers and the command buffer gets its original
 * addresses back. A page that cannot be reclaimed is leaked and the
 * command fails with -EIO: its output is lost, but no firmware page ever
 * reaches the host or the page allocator.
 */

#define pr_fmt(fmt)	"SEV-SNP: " fmt

#include <linux/mem_encrypt.h>
#include <linux/mm.h>
#include <linux/pfn.h>
#include <linux/printk.h>
#include <linux/psp-sev.h>
#include <linux/string.h>
#include <asm/unaligned.h>

#include "sev-snp.h"

/* Where a command buffer holds the address and length of one buffer */
struct snp_legacy_buf {
	u8 addr_off;
	u8 len_off;
	bool guest_owned;	/* in-place guest memory, not bounced */
};

struct snp_legacy_cmd {
	int cmd;
	bool writes_cmd_buf;
	u8 nbufs;
	struct snp_legacy_buf bufs[SNP_LEGACY_MAX_BUFS];
};

#define HOST_BUF(type, addr, len) \
	{ offsetof(struct type, addr), offsetof(struct type, len), false }
#define GUEST_BUF(type, addr, len) \
	{ offsetof(struct type, addr), offsetof(struct type, len), true }

static const struct snp_legacy_cmd snp_legacy_cmds[] = {
	{ SEV_CMD_PLATFORM_STATUS, true },
	{ SEV_CMD_GUEST_STATUS, true },
	{ SEV_CMD_LAUNCH_START, true },
	{ SEV_CMD_RECEIVE_START, true },
	{ SEV_CMD_PEK_CSR, true, 1,
	  { HOST_BUF(sev_data_pek_csr, address, len) } },
	{ SEV_CMD_PDH_CERT_EXPORT, true, 2,
	  { HOST_BUF(sev_data_pdh_cert_export, pdh_cert_address, pdh_cert_len),
	    HOST_BUF(sev_data_pdh_cert_export, cert_chain_address, cert_chain_len) } },
	{ SEV_CMD_GET_ID, true, 1,
	  { HOST_BUF(sev_data_get_id, address, len) } },
	{ SEV_CMD_LAUNCH_MEASURE, true, 1,
	  { HOST_BUF(sev_data_launch_measure, address, len) } },
	{ SEV_CMD_ATTESTATION_REPORT, true, 1,
	  { HOST_BUF(sev_data_attestation_report, address, len) } },
	{ SEV_CMD_SEND_START, true, 1,
	  { HOST_BUF(sev_data_send_start, session_address, session_len) } },
	{ SEV_CMD_SEND_UPDATE_DATA, true, 2,
	  { HOST_BUF(sev_data_send_update_data, hdr_address, hdr_len),
	    HOST_BUF(sev_data_send_update_data, trans_address, trans_len) } },
	{ SEV_CMD_SEND_UPDATE_VMSA, true, 2,
	  { HOST_BUF(sev_data_send_update_vmsa, hdr_address, hdr_len),
	    HOST_BUF(sev_data_send_update_vmsa, trans_address, trans_len) } },
	{ SEV_CMD_LAUNCH_UPDATE_DATA, false, 1,
	  { GUEST_BUF(sev_data_launch_update_data, address, len) } },
	{ SEV_CMD_LAUNCH_UPDATE_VMSA, false, 1,
	  { GUEST_BUF(sev_data_launch_update_vmsa, address, len) } },
	{ SEV_CMD_LAUNCH_UPDATE_SECRET, false, 1,
	  { GUEST_BUF(sev_data_launch_secret, guest_address, guest_len) } },
	{ SEV_CMD_RECEIVE_UPDATE_DATA, false, 1,
	  { GUEST_BUF(sev_data_receive_update_data, guest_address, guest_len) } },
	{ SEV_CMD_RECEIVE_UPDATE_VMSA, false, 1,
	  { GUEST_BUF(sev_data_receive_update_vmsa, guest_address, guest_len) } },
	{ SEV_CMD_DBG_DECRYPT, false, 1,
	  { HOST_BUF(sev_data_dbg, dst_addr, len) } },
	{ SEV_CMD_DBG_ENCRYPT, false, 1,
	  { GUEST_BUF(sev_data_dbg, dst_addr, len) } },
};

static_assert(sizeof(struct sev_data_send_start) <= SNP_LEGACY_MAX_CMD_LEN);
static_assert(sizeof(struct sev_data_launch_secret) <= SNP_LEGACY_MAX_CMD_LEN);
static_assert(sizeof(struct sev_data_receive_start) <= SNP_LEGACY_MAX_CMD_LEN);

static const struct snp_legacy_cmd *snp_legacy_find(int cmd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(snp_legacy_cmds); i++)
		if (snp_legacy_cmds[i].cmd == cmd)
			return &snp_legacy_cmds[i];
	return NULL;
}

/**
 * snp_legacy_cmd_needs_fw_pages() - whether a legacy command must go
 *	through snp_legacy_cmd_run()
 * @fw: the firmware
 * @cmd: legacy SEV command ID
 *
 * Return: true while SNP is initialised and @cmd lets the firmware write
 * to its command buffer, to host buffers or to guest memory.
 */
bool snp_legacy_cmd_needs_fw_pages(const struct snp_fw *fw, int cmd)
{
	return fw->ready && snp_legacy_find(cmd);
}

/* One buffer of a command while the firmware has it */
struct snp_legacy_map {
	u64 addr;		/* as the caller gave it, C-bit included */
	u32 len;		/* as the caller gave it */
	u64 pfn;		/* first page of the caller's buffer */
	unsigned int npages;
	unsigned int order;	/* of the bounce block */
	void *bounce;		/* NULL for guest memory */
};

static u64 snp_legacy_get_addr(const u8 *cmd_buf, const struct snp_legacy_buf *b)
{
	return get_unaligned((const u64 *)(cmd_buf + b->addr_off));
}

static u32 snp_legacy_get_len(const u8 *cmd_buf, const struct snp_legacy_buf *b)
{
	return get_unaligned((const u32 *)(cmd_buf + b->len_off));
}

static void snp_legacy_set_addr(u8 *cmd_buf, const struct snp_legacy_buf *b, u64 addr)
{
	put_unaligned(addr, (u64 *)(cmd_buf + b->addr_off));
}

static int snp_legacy_map_buf(struct snp_fw *fw, u8 *cmd_buf,
			      const struct snp_legacy_buf *b,
			      struct snp_legacy_map *m)
{
	u64 pa, len = snp_legacy_get_len(cmd_buf, b);
	void *bounce;

	m->addr = snp_legacy_get_addr(cmd_buf, b);
	m->len = len;
	if (!m->addr || !len)
		return 0;

	pa = m->addr & ~sme_me_mask;
	m->pfn = PHYS_PFN(pa);
	m->npages = PFN_UP(pa + len) - m->pfn;

	if (b->guest_owned)
		return snp_fw_pages_assign(fw, m->pfn, m->npages);

	/* Bounce host buffers: they may share pages with anything. */
	m->order = get_order((size_t)m->npages << PAGE_SHIFT);
	if (m->order > MAX_ORDER - 1)
		return -E2BIG;
	bounce = snp_fw_alloc_pages(fw, GFP_KERNEL | __GFP_ZERO, m->order);
	if (!bounce)
		return -ENOMEM;
	m->bounce = bounce;
	snp_legacy_set_addr(cmd_buf, b, __psp_pa(bounce) + offset_in_page(pa));
	return 0;
}

/* Returns -EIO when a page had to be leaked. */
static int snp_legacy_unmap_buf(struct snp_fw *fw, u8 *cmd_buf,
				const struct snp_legacy_buf *b,
				struct snp_legacy_map *m, bool copy_out)
{
	u64 pa = m->addr & ~sme_me_mask;
	u32 len;

	if (!m->npages)
		return 0;

	if (b->guest_owned)
		return snp_fw_pages_reclaim(fw, m->pfn, m->npages);

	snp_legacy_set_addr(cmd_buf, b, m->addr);
	if (snp_fw_pages_reclaim(fw, PHYS_PFN(__pa(m->bounce)), m->npages)) {
		/*
		 * The pages that failed are leaked; keep the whole block
		 * rather than free around them.
		 */
		return -EIO;
	}
	if (copy_out) {
		/* The firmware may report a length larger than the buffer. */
		len = min(m->len, snp_legacy_get_len(cmd_buf, b));
		memcpy(__va(pa), m->bounce + offset_in_page(pa), len);
	}
	snp_fw_free_pages(fw, m->bounce, m->order);
	return 0;
}

/**
 * snp_legacy_cmd_run() - issue a legacy SEV command under SNP
 * @fw: the firmware
 * @cmd: a command for which snp_legacy_cmd_needs_fw_pages() is true
 * @data: its command buffer, updated from the firmware's copy
 * @len: size of @data
 * @fw_err: the firmware status
 *
 * Return: the command's result; -EIO also when a page the firmware had
 * could not be reclaimed (the output of the command is then lost).
 */
int snp_legacy_cmd_run(struct snp_fw *fw, int cmd, void *data, int len,
		       int *fw_err)
{
	const struct snp_legacy_cmd *c = snp_legacy_find(cmd);
	struct snp_legacy_map maps[SNP_LEGACY_MAX_BUFS] = {};
	u8 cmd_buf[SNP_LEGACY_MAX_CMD_LEN];
	unsigned int i, mapped;
	void *page;
	int rc, err;

	*fw_err = SEV_RET_NO_FW_CALL;
	if (WARN_ON_ONCE(!c || len > sizeof(cmd_buf)))
		return -EINVAL;

	/* A page of its own: the firmware may have to own it. */
	if (!fw->legacy_page) {
		fw->legacy_page = (void *)get_zeroed_page(GFP_KERNEL);
		if (!fw->legacy_page)
			return -ENOMEM;
	}
	page = fw->legacy_page;

	memcpy(cmd_buf, data, len);
	for (mapped = 0; mapped < c->nbufs; mapped++) {
		rc = snp_legacy_map_buf(fw, cmd_buf, &c->bufs[mapped],
					&maps[mapped]);
		if (rc)
			goto unmap;
	}

	memcpy(page, cmd_buf, len);
	if (c->writes_cmd_buf) {
		rc = snp_fw_pages_assign(fw, PHYS_PFN(__pa(page)), 1);
		if (rc)
			goto unmap;
	}

	rc = fw->ops->issue_page(fw->ctx, cmd, page, fw_err);

	if (c->writes_cmd_buf &&
	    snp_fw_pages_reclaim(fw, PHYS_PFN(__pa(page)), 1)) {
		/* Leaked with the command's output in it. */
		fw->legacy_page = NULL;
		rc = -EIO;
	} else {
		memcpy(cmd_buf, page, len);
	}

unmap:
	for (i = 0; i < mapped; i++) {
		err = snp_legacy_unmap_buf(fw, cmd_buf, &c->bufs[i], &maps[i],
					   !rc);
		if (err && !rc)
			rc = err;
	}
	memcpy(data, cmd_buf, len);
	return rc;
}
