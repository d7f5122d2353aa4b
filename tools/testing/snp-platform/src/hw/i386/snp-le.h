/*
 * SNP platform model: little-endian fields of firmware buffers, for the
 * model's files that build without QEMU (QEMU's own code uses ldq_le_p()
 * and friends).
 *
 * Part of the SEV-SNP for Linux 6.1 test platform, not of upstream QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_I386_SNP_LE_H
#define HW_I386_SNP_LE_H

#include <stdint.h>

/* The @n-byte little-endian number at @p */
static inline uint64_t ld_le(const uint8_t *p, int n)
{
    uint64_t v = 0;

    while (n--) {
        v = v << 8 | p[n];
    }
    return v;
}

/* Store the low @n bytes of @v at @p, little-endian */
static inline void st_le(uint8_t *p, uint64_t v, int n)
{
    while (n--) {
        *p++ = v;
        v >>= 8;
    }
}

#endif
