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
    SNP_CMD_PAGE_RECLAIM = 0x0c7,
    SNP_CMD_PAGE_UNSMASH = 0x0c8,
    SNP_CMD_CONFIG = 0x0c9,
    SNP_CMD_COMMIT = 0x0cb,
};

/* Status codes */
enum {
    SEV_RET_SUCCESS = 0x00,
    SEV_RET_INVALID_PLATFORM_STATE = 0x01,
    SEV_RET_INVALID_LEN = 0x04,
    SEV_RET_INVALID_ADDRESS = 0x09,
    SEV_RET_INVALID_COMMAND = 0x11,
    SEV_RET_UNSUPPORTED = 0x15,
    SEV_RET_INVALID_PARAM = 0x16,
    SEV_RET_INVALID_PAGE_SIZE = 0x19,
    SEV_RET_INVALID_PAGE_STATE = 0x1a,
    SEV_RET_RMP_INIT_REQUIRED = 0x20,
    SEV_RET_RMP_INITIALIZATION_FAILED = 0x26,
};

/* Legacy platform states */
enum {
    SEV_STATE_UNINIT = 0,
    SEV_STATE_INIT = 1,
    SEV_STATE_WORKING = 2,
};

typedef struct SnpFw {
    /* the legacy SEV platform */
    uint8_t sev_state;
    bool sev_es;
    /* the SNP platform */
    bool snp_init;
    bool rmp_initialized;
    uint64_t reported_tcb;
    uint32_t config_mask;       /* SNP_CONFIG: MASK_CHIP_ID, MASK_CHIP_KEY */

    /*
     * Fault injection: the next @fail_count commands @fail_cmd (0 means
     * all of them while the count lasts) complete with @fail_status and
     * no effect.
     */
    uint32_t fail_cmd;
    uint32_t fail_status;
    uint32_t fail_count;
} SnpFw;

void snp_fw_reset(SnpFw *fw);
/* Run one command; returns the status the mailbox reports. */
uint32_t snp_fw_execute(SnpFw *fw, uint32_t cmd, hwaddr buf);

#endif
