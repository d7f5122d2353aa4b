/*
 * SNP platform model: the firmware's public-key crypto, on nettle.
 *
 * Plain C, so that the model's unit tests can build it on its own.
 * Keys and signatures in the SNP ABI's formats: a public key is 0x404
 * bytes (u32 curve, 2 = P-384, then Qx and Qy as 72-byte little-endian
 * numbers), a signature 0x200 bytes (R and S as 72-byte little-endian
 * numbers, then zeros). Messages are hashed with SHA-384.
 *
 * Part of the SEV-SNP for Linux 6.1 test platform, not of upstream QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_I386_SNP_FW_CRYPTO_H
#define HW_I386_SNP_FW_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SNP_PUBKEY_SIZE         0x404
#define SNP_SIG_SIZE            0x200
#define SNP_CURVE_P384          2

/* Fills @len random bytes at @dst, as nettle's random functions do */
typedef void snp_random_fn(void *ctx, size_t len, uint8_t *dst);

void snp_sha384(const void *data, size_t len, uint8_t digest[48]);

/*
 * Sign @msg with the P-384 private key @scalar (48 bytes, big-endian, as
 * OpenSSL prints it) into @sig. Returns false for an invalid key.
 */
bool snp_ecdsa_p384_sign(const uint8_t scalar[48], const void *msg, size_t len,
                         uint8_t sig[SNP_SIG_SIZE], snp_random_fn *random,
                         void *random_ctx);

/* Whether @sig is a valid ECDSA P-384/SHA-384 signature of @msg by @pubkey */
bool snp_ecdsa_p384_verify(const uint8_t pubkey[SNP_PUBKEY_SIZE],
                           const void *msg, size_t len,
                           const uint8_t sig[SNP_SIG_SIZE]);

#endif
