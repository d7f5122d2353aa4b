/*
 * SNP platform model: the launch digest (measurement) of an SNP guest.
 *
 * Every page that SNP_LAUNCH_UPDATE adds extends the digest: it becomes
 * the SHA-384 of a 0x70-byte PAGE_INFO that holds the digest so far, the
 * page's contents hash (its SHA-384 for NORMAL and VMSA pages, zeros for
 * the others), its type and its GPA (facts sheet section 5.1). Plain C on
 * nettle, so that the model's unit test can build it on its own.
 *
 * Part of the SEV-SNP for Linux 6.1 test platform, not of upstream QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_I386_SNP_LAUNCH_DIGEST_H
#define HW_I386_SNP_LAUNCH_DIGEST_H

#include <stdint.h>

#define SNP_LD_SIZE             48
#define SNP_PAGE_INFO_SIZE      0x70

/* SNP_LAUNCH_UPDATE page types */
enum {
    SNP_PAGE_TYPE_NORMAL = 1,
    SNP_PAGE_TYPE_VMSA = 2,
    SNP_PAGE_TYPE_ZERO = 3,
    SNP_PAGE_TYPE_UNMEASURED = 4,
    SNP_PAGE_TYPE_SECRETS = 5,
    SNP_PAGE_TYPE_CPUID = 6,
};

/*
 * Extend @ld by one 4 KiB page of @type at @gpa whose plaintext is @page
 * (read only for NORMAL and VMSA pages). @vmpl_perms are SNP_LAUNCH_UPDATE's
 * VMPL1..3 permission bytes, [0] for VMPL1. Writes the page's contents hash
 * to @contents when it is not NULL.
 */
void snp_ld_extend(uint8_t ld[SNP_LD_SIZE], uint8_t type, uint64_t gpa,
                   const uint8_t *page, const uint8_t vmpl_perms[3],
                   uint8_t contents[SNP_LD_SIZE]);

#endif
