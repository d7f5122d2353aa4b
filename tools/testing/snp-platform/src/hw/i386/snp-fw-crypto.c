/*
 * SNP platform model: the firmware's public-key crypto. See snp-fw-crypto.h.
 *
 * Part of the SEV-SNP for Linux 6.1 test platform, not of upstream QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <gmp.h>
#include <nettle/dsa.h>
#include <nettle/ecc.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecdsa.h>
#include <string.h>
#include <nettle/sha2.h>
#include "snp-fw-crypto.h"
#include "snp-le.h"

#define P384_COORD_SIZE         72      /* as the ABI stores them */

/* A 72-byte little-endian number */
static void import_le72(mpz_t z, const uint8_t *p)
{
    mpz_import(z, P384_COORD_SIZE, -1, 1, 0, 0, p);
}

static void export_le72(uint8_t *p, const mpz_t z)
{
    size_t n = 0;

    memset(p, 0, P384_COORD_SIZE);
    mpz_export(p, &n, -1, 1, 0, 0, z);
}

void snp_sha384(const void *data, size_t len, uint8_t digest[48])
{
    struct sha384_ctx ctx;

    sha384_init(&ctx);
    sha384_update(&ctx, len, data);
    sha384_digest(&ctx, 48, digest);
}

bool snp_ecdsa_p384_verify(const uint8_t pubkey[SNP_PUBKEY_SIZE],
                           const void *msg, size_t len,
                           const uint8_t sig[SNP_SIG_SIZE])
{
    struct ecc_point pub;
    struct dsa_signature s;
    uint8_t digest[48];
    mpz_t x, y;
    bool ok = false;

    if (ld_le(pubkey, 4) != SNP_CURVE_P384) {
        return false;
    }
    ecc_point_init(&pub, nettle_get_secp_384r1());
    dsa_signature_init(&s);
    mpz_init(x);
    mpz_init(y);
    import_le72(x, pubkey + 4);
    import_le72(y, pubkey + 4 + P384_COORD_SIZE);
    /* ecc_point_set() refuses a point that is not on the curve. */
    if (ecc_point_set(&pub, x, y)) {
        import_le72(s.r, sig);
        import_le72(s.s, sig + P384_COORD_SIZE);
        snp_sha384(msg, len, digest);
        ok = ecdsa_verify(&pub, sizeof(digest), digest, &s);
    }
    mpz_clear(y);
    mpz_clear(x);
    dsa_signature_clear(&s);
    ecc_point_clear(&pub);
    return ok;
}

bool snp_ecdsa_p384_sign(const uint8_t scalar[48], const void *msg, size_t len,
                         uint8_t sig[SNP_SIG_SIZE], snp_random_fn *random,
                         void *random_ctx)
{
    struct ecc_scalar key;
    struct dsa_signature s;
    uint8_t digest[48];
    bool ok;
    mpz_t z;

    mpz_init(z);
    mpz_import(z, 48, 1, 1, 0, 0, scalar);
    ecc_scalar_init(&key, nettle_get_secp_384r1());
    /* ecc_scalar_set() refuses 0 and numbers beyond the group order. */
    ok = ecc_scalar_set(&key, z);
    if (ok) {
        snp_sha384(msg, len, digest);
        dsa_signature_init(&s);
        ecdsa_sign(&key, random_ctx, random, sizeof(digest), digest, &s);
        memset(sig, 0, SNP_SIG_SIZE);
        export_le72(sig, s.r);
        export_le72(sig + P384_COORD_SIZE, s.s);
        dsa_signature_clear(&s);
    }
    ecc_scalar_clear(&key);
    mpz_clear(z);
    return ok;
}
