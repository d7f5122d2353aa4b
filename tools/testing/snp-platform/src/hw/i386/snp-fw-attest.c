/*
 * SNP platform model: guest-message and report crypto. See snp-fw-attest.h.
 *
 * Part of the SEV-SNP for Linux 6.1 test platform, not of upstream QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <nettle/gcm.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include "snp-fw-attest.h"
#include "snp-le.h"


static void gcm_start(struct gcm_aes256_ctx *ctx, const uint8_t key[32],
                      uint64_t seqno, const uint8_t aad[SNP_MSG_AAD_SIZE])
{
    uint8_t iv[GCM_IV_SIZE] = { 0 };
    int i;

    for (i = 0; i < 8; i++) {
        iv[i] = seqno >> (8 * i);
    }
    gcm_aes256_set_key(ctx, key);
    gcm_aes256_set_iv(ctx, sizeof(iv), iv);
    gcm_aes256_update(ctx, SNP_MSG_AAD_SIZE, aad);
}

void snp_msg_seal(const uint8_t key[32], uint64_t seqno,
                  const uint8_t aad[SNP_MSG_AAD_SIZE],
                  const uint8_t *plain, size_t len, uint8_t *cipher,
                  uint8_t tag[SNP_MSG_TAG_SIZE])
{
    struct gcm_aes256_ctx ctx;

    gcm_start(&ctx, key, seqno, aad);
    gcm_aes256_encrypt(&ctx, len, cipher, plain);
    gcm_aes256_digest(&ctx, SNP_MSG_TAG_SIZE, tag);
}

bool snp_msg_open(const uint8_t key[32], uint64_t seqno,
                  const uint8_t aad[SNP_MSG_AAD_SIZE],
                  const uint8_t *cipher, size_t len,
                  const uint8_t tag[SNP_MSG_TAG_SIZE], uint8_t *plain)
{
    struct gcm_aes256_ctx ctx;
    uint8_t want[SNP_MSG_TAG_SIZE];

    gcm_start(&ctx, key, seqno, aad);
    gcm_aes256_decrypt(&ctx, len, plain, cipher);
    gcm_aes256_digest(&ctx, SNP_MSG_TAG_SIZE, want);
    return memeql_sec(want, tag, SNP_MSG_TAG_SIZE);
}

/* ---- SNP_GUEST_REQUEST ------------------------------------------------- */

#define RET_SUCCESS             0x00
#define RET_INVALID_PARAM       0x16

#define MSG_HDR_SEQNO           0x20
#define MSG_HDR_ALGO            0x30
#define MSG_HDR_VERSION         0x31
#define MSG_HDR_HDR_SZ          0x32
#define MSG_HDR_TYPE            0x34
#define MSG_HDR_MSG_VERSION     0x35
#define MSG_HDR_MSG_SZ          0x36
#define MSG_HDR_VMPCK           0x3c
#define MSG_PAYLOAD_MAX         (4096 - SNP_MSG_HDR_SIZE)

#define MSG_KEY_REQ             3
#define MSG_REPORT_REQ          5

#define REPORT_REQ_SIZE         96
#define REPORT_RSP_SIZE         (0x20 + SNP_REPORT_SIZE)
#define KEY_REQ_SIZE            32
#define KEY_RSP_SIZE            64

static bool all_zero(const uint8_t *p, size_t n)
{
    while (n--) {
        if (*p++) {
            return false;
        }
    }
    return true;
}

/* The attestation report (facts sheet 7.1), version 2 */
static void build_report(const SnpAttestGuest *g, const SnpAttestPlatform *p,
                         const uint8_t report_data[64], uint32_t vmpl,
                         uint8_t r[SNP_REPORT_SIZE], snp_random_fn *random,
                         void *random_ctx)
{
    bool sign = p->have_vcek && !g->vcek_disabled && !p->mask_chip_key;

    memset(r, 0, SNP_REPORT_SIZE);
    st_le(r + 0x000, 2, 4);
    st_le(r + 0x004, g->guest_svn, 4);
    st_le(r + 0x008, g->policy, 8);
    memcpy(r + 0x010, g->family_id, 16);
    memcpy(r + 0x020, g->image_id, 16);
    st_le(r + 0x030, vmpl, 4);
    st_le(r + 0x034, 1, 4);                     /* ECDSA P-384, SHA-384 */
    st_le(r + 0x038, p->current_tcb, 8);
    /* KEY_INFO: author key, chip key masked, signing key (0 VCEK, 7 none) */
    st_le(r + 0x048, (g->author_key_en ? 1 : 0) |
          (p->mask_chip_key ? 2 : 0) | ((p->have_vcek && !g->vcek_disabled) ?
                                       0 : 7 << 2), 4);
    memcpy(r + 0x050, report_data, 64);
    memcpy(r + 0x090, g->measurement, 48);
    memcpy(r + 0x0c0, g->host_data, 32);
    memcpy(r + 0x0e0, g->id_key_digest, 48);
    if (g->author_key_en) {
        memcpy(r + 0x110, g->author_key_digest, 48);
    }
    memcpy(r + 0x140, g->report_id, 32);
    st_le(r + 0x180, p->reported_tcb, 8);
    if (!p->mask_chip_id) {
        memcpy(r + 0x1a0, p->chip_id, 64);
    }
    st_le(r + 0x1e0, p->committed_tcb, 8);
    r[0x1e8] = p->build;
    r[0x1e9] = p->api_minor;
    r[0x1ea] = p->api_major;
    r[0x1ec] = p->build;
    r[0x1ed] = p->api_minor;
    r[0x1ee] = p->api_major;
    st_le(r + 0x1f0, g->launch_tcb, 8);
    if (sign) {
        snp_ecdsa_p384_sign(p->vcek, r, SNP_REPORT_SIGNED_SIZE,
                            r + SNP_REPORT_SIGNED_SIZE, random, random_ctx);
    }
}

static size_t handle_report_req(const SnpAttestGuest *g,
                                const SnpAttestPlatform *p,
                                const uint8_t *req, size_t len, uint8_t *rsp,
                                snp_random_fn *random, void *random_ctx)
{
    uint32_t vmpl = ld_le(req + 0x40, 4);

    memset(rsp, 0, REPORT_RSP_SIZE);
    /* The guest runs at VMPL0 and may ask for any VMPL up to 3. */
    if (len != REPORT_REQ_SIZE || vmpl > 3 || !all_zero(req + 0x44, 28)) {
        st_le(rsp, RET_INVALID_PARAM, 4);
        return REPORT_RSP_SIZE;
    }
    st_le(rsp + 0x04, SNP_REPORT_SIZE, 4);
    build_report(g, p, req, vmpl, rsp + 0x20, random, random_ctx);
    return REPORT_RSP_SIZE;
}

/*
 * TCB_VERSION is not a number but a vector of one-byte security version
 * numbers (Milan/Genoa: boot loader, TEE, 4 reserved, SNP, microcode;
 * Turin orders them differently; facts sheet 7.1). A TCB is no newer than
 * another when none of its bytes is; comparing bytes makes this hold for
 * either layout, reserved bytes included.
 */
bool snp_tcb_le(uint64_t tcb, uint64_t limit)
{
    int i;

    for (i = 0; i < 64; i += 8) {
        if (((tcb >> i) & 0xff) > ((limit >> i) & 0xff)) {
            return false;
        }
    }
    return true;
}

/* MSG_KEY_REQ.GUEST_FIELD_SELECT (facts sheet 6.2) */
#define KEY_SEL_POLICY          (1u << 0)
#define KEY_SEL_IMAGE_ID        (1u << 1)
#define KEY_SEL_FAMILY_ID       (1u << 2)
#define KEY_SEL_MEASUREMENT     (1u << 3)
#define KEY_SEL_GUEST_SVN       (1u << 4)
#define KEY_SEL_TCB_VERSION     (1u << 5)
#define KEY_SEL_LAUNCH_MIT      (1u << 6)
#define KEY_SEL_MBZ             (~0ULL << 7)

static void hmac_le(struct hmac_sha384_ctx *h, uint64_t v, int n)
{
    uint8_t b[8];

    st_le(b, v, n);
    hmac_sha384_update(h, n, b);
}

/*
 * A derived key is HMAC-SHA-384 (truncated to 32 bytes) under the
 * platform's secret over the root key (the chip's, unless SNP_CONFIG
 * masked it), the request's ROOT_KEY_SELECT, VMPL and GUEST_FIELD_SELECT,
 * and then only the fields GUEST_FIELD_SELECT names, in bit order and each
 * of fixed size: a field the guest did not select cannot change the key.
 * The guest SVN and TCB mixed in are the request's (no newer than the
 * guest's and the platform's), so that a guest can derive the key an
 * older version of itself or of the firmware had. The ABI's own
 * derivation is not public; what matters to a guest is that the same
 * inputs give the same key and a change of a selected one another.
 */
static void derive_key(const SnpAttestGuest *g, const SnpAttestPlatform *p,
                       const uint8_t *req, uint8_t key[SHA384_DIGEST_SIZE])
{
    uint64_t select = ld_le(req + 0x08, 8);
    struct hmac_sha384_ctx h;

    hmac_sha384_set_key(&h, sizeof(p->key_secret), p->key_secret);
    hmac_sha384_update(&h, p->mask_chip_key ? 0 : 64, p->chip_id);
    hmac_sha384_update(&h, 4, req);                 /* ROOT_KEY_SELECT */
    hmac_sha384_update(&h, 4, req + 0x10);          /* VMPL */
    hmac_sha384_update(&h, 8, req + 0x08);          /* GUEST_FIELD_SELECT */
    if (select & KEY_SEL_POLICY) {
        hmac_le(&h, g->policy, 8);
    }
    if (select & KEY_SEL_IMAGE_ID) {
        hmac_sha384_update(&h, 16, g->image_id);
    }
    if (select & KEY_SEL_FAMILY_ID) {
        hmac_sha384_update(&h, 16, g->family_id);
    }
    if (select & KEY_SEL_MEASUREMENT) {
        hmac_sha384_update(&h, 48, g->measurement);
    }
    if (select & KEY_SEL_GUEST_SVN) {
        hmac_sha384_update(&h, 4, req + 0x14);
    }
    if (select & KEY_SEL_TCB_VERSION) {
        hmac_sha384_update(&h, 8, req + 0x18);
    }
    if (select & KEY_SEL_LAUNCH_MIT) {
        /* The model's firmware (API 1.55) has no mitigation vector: 0. */
        hmac_le(&h, 0, 8);
    }
    hmac_sha384_digest(&h, SHA384_DIGEST_SIZE, key);
}

static size_t handle_key_req(const SnpAttestGuest *g,
                             const SnpAttestPlatform *p,
                             const uint8_t *req, size_t len, uint8_t *rsp)
{
    uint64_t select = ld_le(req + 0x08, 8);
    uint32_t vmpl = ld_le(req + 0x10, 4), svn = ld_le(req + 0x14, 4);
    uint64_t tcb = ld_le(req + 0x18, 8);
    uint8_t key[SHA384_DIGEST_SIZE];

    memset(rsp, 0, KEY_RSP_SIZE);
    /*
     * VCEK root only (no VMRK); SVN and every TCB component no newer than
     * the guest's and the committed ones
     */
    if (len != KEY_REQ_SIZE || ld_le(req, 4) || ld_le(req + 4, 4) ||
        (select & KEY_SEL_MBZ) || vmpl > 3 || svn > g->guest_svn ||
        !snp_tcb_le(tcb, p->committed_tcb)) {
        st_le(rsp, RET_INVALID_PARAM, 4);
        return KEY_RSP_SIZE;
    }
    derive_key(g, p, req, key);
    memcpy(rsp + 0x20, key, 32);
    return KEY_RSP_SIZE;
}

uint32_t snp_guest_request(SnpAttestGuest *g, const SnpAttestPlatform *p,
                           const uint8_t req_page[4096],
                           uint8_t resp_page[4096],
                           snp_random_fn *random, void *random_ctx)
{
    uint8_t plain[MSG_PAYLOAD_MAX], out[MSG_PAYLOAD_MAX];
    const uint8_t *hdr = req_page;
    uint64_t seqno = ld_le(hdr + MSG_HDR_SEQNO, 8);
    unsigned int vmpck = hdr[MSG_HDR_VMPCK];
    size_t len = ld_le(hdr + MSG_HDR_MSG_SZ, 2), out_len;
    uint8_t type = hdr[MSG_HDR_TYPE];
    uint8_t *rhdr = resp_page;

    if (hdr[MSG_HDR_ALGO] != 1 || hdr[MSG_HDR_VERSION] != 1 ||
        ld_le(hdr + MSG_HDR_HDR_SZ, 2) != SNP_MSG_HDR_SIZE ||
        !hdr[MSG_HDR_MSG_VERSION] || vmpck > 3 || len > MSG_PAYLOAD_MAX ||
        all_zero(g->vmpck[vmpck], 32) ||
        (type != MSG_REPORT_REQ && type != MSG_KEY_REQ)) {
        return RET_INVALID_PARAM;
    }
    /* Each request takes the next number; the answer the one after it. */
    if (seqno != g->msg_seqno[vmpck] + 1 || seqno >= UINT32_MAX) {
        return RET_INVALID_PARAM;
    }
    if (!snp_msg_open(g->vmpck[vmpck], seqno, hdr + SNP_MSG_AAD_OFFSET,
                      req_page + SNP_MSG_HDR_SIZE, len, hdr, plain)) {
        return RET_INVALID_PARAM;
    }

    if (type == MSG_REPORT_REQ) {
        out_len = handle_report_req(g, p, plain, len, out, random, random_ctx);
    } else {
        out_len = handle_key_req(g, p, plain, len, out);
    }

    memset(resp_page, 0, 4096);
    memcpy(rhdr + SNP_MSG_AAD_OFFSET, hdr + SNP_MSG_AAD_OFFSET,
           SNP_MSG_AAD_SIZE);
    st_le(rhdr + MSG_HDR_SEQNO, seqno + 1, 8);
    rhdr[MSG_HDR_TYPE] = type + 1;
    st_le(rhdr + MSG_HDR_MSG_SZ, out_len, 2);
    snp_msg_seal(g->vmpck[vmpck], seqno + 1, rhdr + SNP_MSG_AAD_OFFSET,
                 out, out_len, resp_page + SNP_MSG_HDR_SIZE, rhdr);
    g->msg_seqno[vmpck] = seqno + 1;
    return RET_SUCCESS;
}
