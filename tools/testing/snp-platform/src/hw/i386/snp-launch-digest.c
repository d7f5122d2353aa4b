/*
 * SNP platform model: the launch digest. See snp-launch-digest.h.
 *
 * Part of the SEV-SNP for Linux 6.1 test platform, not of upstream QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "snp-fw-crypto.h"
#include "snp-launch-digest.h"

#define SNP_PAGE_SIZE   4096

void snp_ld_extend(uint8_t ld[SNP_LD_SIZE], uint8_t type, uint64_t gpa,
                   const uint8_t *page, const uint8_t vmpl_perms[3],
                   uint8_t contents[SNP_LD_SIZE])
{
    uint8_t info[SNP_PAGE_INFO_SIZE] = { 0 };
    int i;

    memcpy(info, ld, SNP_LD_SIZE);
    /* Only the pages whose data the guest starts with are hashed. */
    if (type == SNP_PAGE_TYPE_NORMAL || type == SNP_PAGE_TYPE_VMSA) {
        snp_sha384(page, SNP_PAGE_SIZE, &info[0x30]);
    }
    info[0x60] = SNP_PAGE_INFO_SIZE;            /* u16 length */
    info[0x62] = type;
    info[0x63] = 0;                             /* IMI_PAGE */
    info[0x64] = vmpl_perms[2];                 /* VMPL3 */
    info[0x65] = vmpl_perms[1];                 /* VMPL2 */
    info[0x66] = vmpl_perms[0];                 /* VMPL1 */
    for (i = 0; i < 8; i++) {
        info[0x68 + i] = gpa >> (8 * i);
    }
    if (contents) {
        memcpy(contents, &info[0x30], SNP_LD_SIZE);
    }
    snp_sha384(info, sizeof(info), ld);
}
