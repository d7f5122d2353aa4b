/*
 * SNP platform model: addresses in the platform command buffers. See
 * snp-fw-buf.h.
 *
 * Part of the SEV-SNP for Linux 6.1 test platform, not of upstream QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "snp-fw-buf.h"
#include "snp-le.h"

uint64_t snp_fw_ld_spa(const uint8_t *field)
{
    return snp_fw_spa(ld_le(field, 8));
}

void snp_fw_decode_init(const uint8_t *b, bool ex, SnpFwInitBuf *out)
{
    if (ex) {
        /* u32 length, flags, u64 TMR, u32 TMR length, rsvd, u64 NV, u32 */
        out->len = ld_le(&b[0], 4);
        out->flags = ld_le(&b[4], 4);
        out->tmr = snp_fw_ld_spa(&b[8]);
        out->tmr_len = ld_le(&b[16], 4);
        out->nv = snp_fw_ld_spa(&b[24]);
        out->nv_len = ld_le(&b[32], 4);
    } else {
        /* u32 flags, rsvd, u64 TMR, u32 TMR length */
        out->len = 0;
        out->flags = ld_le(&b[0], 4);
        out->tmr = snp_fw_ld_spa(&b[8]);
        out->tmr_len = ld_le(&b[16], 4);
        out->nv = 0;
        out->nv_len = 0;
    }
}

void snp_fw_decode_snp_init_ex(const uint8_t b[64], SnpFwInitExBuf *out)
{
    out->flags = ld_le(&b[0], 4);
    out->rsvd = ld_le(&b[4], 4);
    out->list_paddr = snp_fw_ld_spa(&b[8]);
}

uint64_t snp_fw_decode_status_page(const uint8_t b[8])
{
    return snp_fw_ld_spa(b);
}

/* The size bit is not part of the address; the C-bit is not either. */
void snp_fw_decode_page_arg(const uint8_t b[8], SnpFwPageArg *out)
{
    uint64_t arg = ld_le(b, 8);

    out->large = arg & 1;
    out->spa = snp_fw_spa(arg) & ~1ULL;
}
