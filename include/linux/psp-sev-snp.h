/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AMD SEV-SNP firmware commands: the command buffers the PSP reads for the
 * SNP commands of <linux/psp-sev.h>, and the small API the ccp driver
 * offers KVM for issuing them. Layouts follow the SEV-SNP firmware ABI;
 * drivers/crypto/ccp/sev-snp-cmd.c checks their sizes at build time.
 */
#ifndef __PSP_SEV_SNP_H__
#define __PSP_SEV_SNP_H__

#include <linux/gfp.h>
#include <linux/psp-sev.h>
#include <linux/types.h>

/* The oldest SNP firmware API the host supports, and the first with INIT_EX. */
#define SNP_MIN_API_MAJOR	1
#define SNP_MIN_API_MINOR	51
#define SNP_INIT_EX_API_MINOR	52

/**
 * struct sev_data_snp_paddr - buffer of the commands that take one address
 * @paddr: system physical address; for PAGE_RECLAIM and PAGE_UNSMASH bit 0
 *	gives the page size (0 4 KiB, 1 2 MiB)
 *
 * Used by SNP_PLATFORM_STATUS (status page), SNP_GCTX_CREATE and
 * SNP_DECOMMISSION (guest context page), SNP_PAGE_RECLAIM and
 * SNP_PAGE_UNSMASH.
 */
struct sev_data_snp_paddr {
	u64 paddr;				/* In */
} __packed;

#define SNP_PADDR_SIZE_2M	BIT_ULL(0)

/**
 * struct sev_data_snp_range - one entry of the SNP_INIT_EX range list
 * @base: system physical address of the first page
 * @page_count: number of 4 KiB pages
 * @rsvd: reserved, zero
 */
struct sev_data_snp_range {
	u64 base;
	u32 page_count;
	u32 rsvd;
} __packed;

/**
 * struct sev_data_snp_range_list - the SNP_INIT_EX range list (one page)
 * @num_elements: number of entries in @ranges
 * @rsvd: reserved, zero
 * @ranges: memory the firmware makes HV-fixed
 */
struct sev_data_snp_range_list {
	u32 num_elements;
	u32 rsvd;
	struct sev_data_snp_range ranges[];
} __packed;

#define SNP_RANGE_LIST_MAX \
	((PAGE_SIZE - sizeof(struct sev_data_snp_range_list)) / \
	 sizeof(struct sev_data_snp_range))

/**
 * struct sev_data_snp_init_ex - SNP_INIT_EX command buffer
 * @init_rmp: the firmware initialises the RMP
 * @list_paddr_en: @list_paddr points to a range list
 * @rsvd: reserved, zero
 * @rsvd1: reserved, zero
 * @list_paddr: system physical address of a struct sev_data_snp_range_list
 * @rsvd2: reserved, zero
 */
struct sev_data_snp_init_ex {
	u32 init_rmp:1;
	u32 list_paddr_en:1;
	u32 rsvd:30;
	u32 rsvd1;
	u64 list_paddr;
	u8 rsvd2[48];
} __packed;

/**
 * struct sev_data_snp_shutdown_ex - SNP_SHUTDOWN_EX command buffer
 * @len: size of this structure, 8
 * @iommu_snp_shutdown: take the IOMMU out of SNP mode too
 * @rsvd: reserved, zero
 */
struct sev_data_snp_shutdown_ex {
	u32 len;
	u32 iommu_snp_shutdown:1;
	u32 rsvd:31;
} __packed;

/**
 * struct sev_data_snp_activate - SNP_ACTIVATE command buffer
 * @gctx_paddr: guest context page
 * @asid: ASID the guest runs with
 */
struct sev_data_snp_activate {
	u64 gctx_paddr;				/* In */
	u32 asid;				/* In */
} __packed;

/**
 * struct sev_data_snp_guest_status - SNP_GUEST_STATUS command buffer
 * @gctx_paddr: guest context page
 * @status_paddr: firmware-owned page the status is written to
 */
struct sev_data_snp_guest_status {
	u64 gctx_paddr;				/* In */
	u64 status_paddr;			/* In */
} __packed;

/**
 * struct sev_data_snp_guest_request - SNP_GUEST_REQUEST command buffer
 * @gctx_paddr: guest context page
 * @req_paddr: page holding the guest's request message
 * @resp_paddr: firmware-owned page the response is written to
 */
struct sev_data_snp_guest_request {
	u64 gctx_paddr;				/* In */
	u64 req_paddr;				/* In */
	u64 resp_paddr;				/* In */
} __packed;

/**
 * struct sev_data_snp_launch_start - SNP_LAUNCH_START command buffer
 * @gctx_paddr: guest context page
 * @policy: guest policy
 * @ma_gctx_paddr: guest context of the migration agent
 * @ma_en: the guest has a migration agent
 * @imi_en: the launch is an incoming migration
 * @rsvd: reserved, zero
 * @desired_tsc_khz: guest TSC frequency, 0 for the host's
 * @gosvw: guest OS visible workarounds
 */
struct sev_data_snp_launch_start {
	u64 gctx_paddr;				/* In */
	u64 policy;				/* In */
	u64 ma_gctx_paddr;			/* In */
	u32 ma_en:1;				/* In */
	u32 imi_en:1;				/* In */
	u32 rsvd:30;
	u32 desired_tsc_khz;			/* In */
	u8 gosvw[16];				/* In */
} __packed;

/* Page types of SNP_LAUNCH_UPDATE */
enum snp_launch_page_type {
	SNP_PAGE_TYPE_NORMAL		= 1,
	SNP_PAGE_TYPE_VMSA		= 2,
	SNP_PAGE_TYPE_ZERO		= 3,
	SNP_PAGE_TYPE_UNMEASURED	= 4,
	SNP_PAGE_TYPE_SECRETS		= 5,
	SNP_PAGE_TYPE_CPUID		= 6,
};

/**
 * struct sev_data_snp_launch_update - SNP_LAUNCH_UPDATE command buffer
 * @gctx_paddr: guest context page
 * @page_size: 0 for a 4 KiB page, 1 for 2 MiB
 * @page_type: enum snp_launch_page_type
 * @imi_page: the page is part of the migration image
 * @rsvd: reserved, zero
 * @rsvd1: reserved, zero
 * @paddr: system physical address of the page
 * @rsvd2: reserved, zero
 * @vmpl1_perms: VMPL1 permission mask
 * @vmpl2_perms: VMPL2 permission mask
 * @vmpl3_perms: VMPL3 permission mask
 * @rsvd3: reserved, zero
 */
struct sev_data_snp_launch_update {
	u64 gctx_paddr;				/* In */
	u32 page_size:1;			/* In */
	u32 page_type:3;			/* In */
	u32 imi_page:1;				/* In */
	u32 rsvd:27;
	u32 rsvd1;
	u64 paddr;				/* In */
	u8 rsvd2;
	u8 vmpl1_perms;				/* In */
	u8 vmpl2_perms;				/* In */
	u8 vmpl3_perms;				/* In */
	u32 rsvd3;
} __packed;

/**
 * struct sev_data_snp_launch_finish - SNP_LAUNCH_FINISH command buffer
 * @gctx_paddr: guest context page
 * @id_block_paddr: 96-byte ID block
 * @id_auth_paddr: 4 KiB ID authentication information
 * @id_block_en: check the ID block
 * @auth_key_en: check the author key in the ID authentication information
 * @vcek_disabled: the guest may not use the VCEK
 * @rsvd: reserved, zero
 * @host_data: data the host puts in every attestation report
 */
struct sev_data_snp_launch_finish {
	u64 gctx_paddr;				/* In */
	u64 id_block_paddr;			/* In */
	u64 id_auth_paddr;			/* In */
	u64 id_block_en:1;			/* In */
	u64 auth_key_en:1;			/* In */
	u64 vcek_disabled:1;			/* In */
	u64 rsvd:61;
	u8 host_data[32];			/* In */
} __packed;

/**
 * struct sev_data_snp_dbg - SNP_DBG_DECRYPT/ENCRYPT command buffer
 * @gctx_paddr: guest context page
 * @src_paddr: source page
 * @dst_paddr: destination page
 */
struct sev_data_snp_dbg {
	u64 gctx_paddr;				/* In */
	u64 src_paddr;				/* In */
	u64 dst_paddr;				/* In */
} __packed;

/**
 * struct sev_data_snp_commit - SNP_COMMIT command buffer
 * @len: size of this structure, 4
 */
struct sev_data_snp_commit {
	u32 len;
} __packed;

#ifdef CONFIG_CRYPTO_DEV_SP_PSP

int sev_do_cmd(int cmd, void *data, int *psp_ret);
bool sev_snp_ready(void);
void *sev_snp_fw_page_alloc(gfp_t gfp);
void sev_snp_fw_page_free(void *addr);
int sev_snp_reclaim_pages(u64 pfn, unsigned int npages);

#else	/* !CONFIG_CRYPTO_DEV_SP_PSP */

static inline int sev_do_cmd(int cmd, void *data, int *psp_ret)
{
	return -ENODEV;
}

static inline bool sev_snp_ready(void) { return false; }

static inline void *sev_snp_fw_page_alloc(gfp_t gfp) { return NULL; }

static inline void sev_snp_fw_page_free(void *addr) { }

static inline int sev_snp_reclaim_pages(u64 pfn, unsigned int npages)
{
	return -ENODEV;
}

#endif	/* CONFIG_CRYPTO_DEV_SP_PSP */

#endif	/* __PSP_SEV_SNP_H__ */
