/*
 * SNP platform model: the SEV/SEV-SNP firmware that runs on the PSP.
 *
 * The mailbox (snp-psp.c) hands each command to snp_fw_execute() with the
 * physical address of its buffer; the firmware reads and writes system
 * memory directly, as the PSP does, checks the RMP state of every page it
 * touches and answers with the SEV firmware ABI's status codes. Command
 * IDs, buffer layouts and status codes: ../shared/facts/snp-abi-facts.md
 * sections 4.1-4.5.
 *
 * Part of the SEV-SNP for Linux 6.1 test platform, not of upstream QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_I386_SNP_FW_H
#define HW_I386_SNP_FW_H

#include "exec/hwaddr.h"
#include "qemu/bitmap.h"
#include "target/i386/snp-host.h"
#include "snp-launch-digest.h"
#include "snp-fw-attest.h"
#include "snp-fw-buf.h"
#include "snp-fw-rules.h"

/* What the model's firmware reports about itself (test values) */
#define SNP_FW_API_MAJOR        1
#define SNP_FW_API_MINOR        55
#define SNP_FW_BUILD            21
/* TCB: boot loader, TEE, 4 reserved, SNP, microcode (one byte each) */
#define SNP_FW_TCB              0xd308000000000004ULL

/* Command IDs */
enum {
    SEV_CMD_INIT = 0x001,
    SEV_CMD_SHUTDOWN = 0x002,
    SEV_CMD_FACTORY_RESET = 0x003,
    SEV_CMD_PLATFORM_STATUS = 0x004,
    SEV_CMD_DF_FLUSH = 0x00a,
    SEV_CMD_INIT_EX = 0x00d,
    SEV_CMD_LAST_LEGACY = 0x061,
    SNP_CMD_INIT = 0x081,
    SNP_CMD_SHUTDOWN = 0x082,
    SNP_CMD_PLATFORM_STATUS = 0x083,
    SNP_CMD_DF_FLUSH = 0x084,
    SNP_CMD_INIT_EX = 0x085,
    SNP_CMD_SHUTDOWN_EX = 0x086,
    SNP_CMD_DECOMMISSION = 0x090,
    SNP_CMD_ACTIVATE = 0x091,
    SNP_CMD_GUEST_STATUS = 0x092,
    SNP_CMD_GCTX_CREATE = 0x093,
    SNP_CMD_GUEST_REQUEST = 0x094,
    SNP_CMD_LAUNCH_START = 0x0a0,
    SNP_CMD_LAUNCH_UPDATE = 0x0a1,
    SNP_CMD_LAUNCH_FINISH = 0x0a2,
    SNP_CMD_PAGE_RECLAIM = 0x0c7,
    SNP_CMD_PAGE_UNSMASH = 0x0c8,
    SNP_CMD_CONFIG = 0x0c9,
    SNP_CMD_COMMIT = 0x0cb,
};

/* Status codes */
enum {
    SEV_RET_SUCCESS = 0x00,
    SEV_RET_INVALID_PLATFORM_STATE = 0x01,
    SEV_RET_INVALID_GUEST_STATE = 0x02,
    SEV_RET_INVALID_CONFIG = 0x03,
    SEV_RET_INVALID_LEN = 0x04,
    SEV_RET_POLICY_FAILURE = 0x07,
    SEV_RET_INACTIVE = 0x08,
    SEV_RET_INVALID_ADDRESS = 0x09,
    SEV_RET_BAD_SIGNATURE = 0x0a,
    SEV_RET_BAD_MEASUREMENT = 0x0b,
    SEV_RET_ASID_OWNED = 0x0c,
    SEV_RET_INVALID_ASID = 0x0d,
    SEV_RET_WBINVD_REQUIRED = 0x0e,
    SEV_RET_DFFLUSH_REQUIRED = 0x0f,
    SEV_RET_INVALID_GUEST = 0x10,
    SEV_RET_INVALID_COMMAND = 0x11,
    SEV_RET_UNSUPPORTED = 0x15,
    SEV_RET_INVALID_PARAM = 0x16,
    SEV_RET_INVALID_PAGE_SIZE = 0x19,
    SEV_RET_INVALID_PAGE_STATE = 0x1a,
    SEV_RET_RESOURCE_LIMIT = 0x17,
    SEV_RET_RMP_INIT_REQUIRED = 0x20,
    SEV_RET_BAD_VERSION = 0x22,
    SEV_RET_RMP_INITIALIZATION_FAILED = 0x26,
};

/* Legacy platform states */
enum {
    SEV_STATE_UNINIT = 0,
    SEV_STATE_INIT = 1,
    SEV_STATE_WORKING = 2,
};

/* SNP guest states, as GUEST_STATUS reports them */
enum {
    SNP_GSTATE_INIT = 0,        /* GCTX_CREATE done */
    SNP_GSTATE_LAUNCH,          /* LAUNCH_START done */
    SNP_GSTATE_RUNNING,         /* LAUNCH_FINISH done */
};

#define SNP_FW_MAX_GUESTS       64
#define SNP_FW_NR_ASIDS         (SNP_HOST_MIN_SEV_ASID) /* SNP: 1..99 */

/* What the firmware keeps for one guest, found by its GCTX page */
typedef struct SnpGuest {
    hwaddr gctx;                /* 0: free slot */
    uint8_t state;
    uint32_t asid;              /* 0 until ACTIVATE */
    uint8_t gosvw[16];
    bool id_block_en;
    /* the launch digest, keys and identity: what reports tell */
    SnpAttestGuest a;
} SnpGuest;

typedef struct SnpFw {
    /* the legacy SEV platform */
    uint8_t sev_state;
    bool sev_es;
    /* the SNP platform */
    bool snp_init;
    bool rmp_initialized;
    uint64_t reported_tcb;
    uint32_t config_mask;       /* SNP_CONFIG: MASK_CHIP_ID, MASK_CHIP_KEY */
    /* test keys from the PSP's "keys" property (make-test-keys.sh) */
    bool have_vcek;
    uint8_t vcek[48];
    uint8_t chip_id[64];
    uint8_t key_secret[32];     /* root of the guests' derived keys */

    SnpGuest guests[SNP_FW_MAX_GUESTS];
    /* The IOMMU log pages SNP_INIT made firmware-owned */
    GArray *iommu_pfns;
    /* ASIDs a guest used since the last DF_FLUSH: not yet reusable */
    DECLARE_BITMAP(asid_dirty, SNP_FW_NR_ASIDS);

    /* The debug interface: launch events appended to this file */
    char *digest_log_path;
    FILE *digest_log;

    /*
     * Fault injection: after @fail_skip commands @fail_cmd (0 means any
     * command) went through, the next @fail_count of them complete with
     * @fail_status and no effect.
     */
    uint32_t fail_cmd;
    uint32_t fail_status;
    uint32_t fail_count;
    uint32_t fail_skip;
} SnpFw;

void snp_fw_reset(SnpFw *fw);
void G_GNUC_PRINTF(2, 3) snp_fw_log(SnpFw *fw, const char *fmt, ...);

/* Memory as the firmware sees it (snp-fw.c) */
uint32_t snp_fw_read(hwaddr pa, void *buf, hwaddr len);
uint32_t snp_fw_write(SnpFw *fw, hwaddr pa, const void *buf, hwaddr len);
bool snp_fw_is_ram(hwaddr pa, hwaddr len);
uint32_t snp_fw_check_output(SnpFw *fw, hwaddr pa, hwaddr len);

/*
 * Start a new WBINVD epoch after command @why (snp-fw.c): DF_FLUSH,
 * SNP_DF_FLUSH and SNP_SHUTDOWN(_EX) need a WBINVD on every CPU after it.
 */
void snp_fw_caches_dirty(SnpFw *fw, const char *why);

/* Guest commands (snp-fw-guest.c) */
SnpGuest *snp_fw_find_guest(SnpFw *fw, hwaddr gctx);
bool snp_fw_has_guests(SnpFw *fw);
uint32_t snp_fw_nr_guests(SnpFw *fw);
uint32_t snp_fw_gctx_create(SnpFw *fw, hwaddr buf);
uint32_t snp_fw_launch_start(SnpFw *fw, hwaddr buf);
uint32_t snp_fw_activate(SnpFw *fw, hwaddr buf);
uint32_t snp_fw_launch_update(SnpFw *fw, hwaddr buf);
uint32_t snp_fw_launch_finish(SnpFw *fw, hwaddr buf);
uint32_t snp_fw_decommission(SnpFw *fw, hwaddr buf);
uint32_t snp_fw_guest_status(SnpFw *fw, hwaddr buf);
uint32_t snp_fw_guest_request(SnpFw *fw, hwaddr buf);
/* Run one command; returns the status the mailbox reports. */
uint32_t snp_fw_execute(SnpFw *fw, uint32_t cmd, hwaddr buf);

#endif
