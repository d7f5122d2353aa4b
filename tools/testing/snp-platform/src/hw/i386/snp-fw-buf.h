/*
 * SNP platform model: the system physical addresses in the firmware's
 * platform command buffers. Plain C with no QEMU dependency, so that the
 * model's unit tests (harness/bin/l3-model-unit.sh) can build it on its
 * own; snp-fw.c checks the values and does the commands.
 *
 * The host may give the firmware any address with its C-bit set (the ccp
 * driver does on SME hosts, KVM does for LAUNCH_UPDATE pages: facts sheet
 * 4.1, 4.3). The C-bit is the address bit at the position CPUID
 * 0x8000001F EBX[5:0] reports; the firmware takes it off every address
 * before it uses it, and so does the model, with snp_fw_spa() alone.
 *
 * Part of the SEV-SNP for Linux 6.1 test platform, not of upstream QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_I386_SNP_FW_BUF_H
#define HW_I386_SNP_FW_BUF_H

#include <stdbool.h>
#include <stdint.h>

/* The model's C-bit position (SNP_HOST_CBIT_POS, checked in snp-fw.c) */
#define SNP_FW_CBIT_POS         51

/* @addr without the C-bit */
static inline uint64_t snp_fw_spa(uint64_t addr)
{
    return addr & ~(1ULL << SNP_FW_CBIT_POS);
}

/* The little-endian u64 address field at @field, without the C-bit */
uint64_t snp_fw_ld_spa(const uint8_t *field);

/* Legacy INIT (20 bytes) and INIT_EX (36 bytes) */
typedef struct SnpFwInitBuf {
    uint32_t len;               /* INIT_EX only */
    uint32_t flags;
    uint64_t tmr;
    uint32_t tmr_len;
    uint64_t nv;                /* INIT_EX only */
    uint32_t nv_len;            /* INIT_EX only */
} SnpFwInitBuf;

void snp_fw_decode_init(const uint8_t *b, bool ex, SnpFwInitBuf *out);

/* SNP_INIT_EX (64 bytes, of which the first 16 are decoded here) */
typedef struct SnpFwInitExBuf {
    uint32_t flags;
    uint32_t rsvd;
    uint64_t list_paddr;        /* the range list, with LIST_PADDR_EN */
} SnpFwInitExBuf;

void snp_fw_decode_snp_init_ex(const uint8_t b[64], SnpFwInitExBuf *out);

/* SNP_PLATFORM_STATUS (8 bytes): the page the status goes to */
uint64_t snp_fw_decode_status_page(const uint8_t b[8]);

/* SNP_PAGE_RECLAIM and SNP_PAGE_UNSMASH: one u64, address | size bit */
typedef struct SnpFwPageArg {
    uint64_t spa;               /* bits 11:1 kept: they must be zero */
    bool large;                 /* bit 0: 2 MiB */
} SnpFwPageArg;

void snp_fw_decode_page_arg(const uint8_t b[8], SnpFwPageArg *out);

#endif
