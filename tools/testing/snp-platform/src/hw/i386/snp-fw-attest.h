/*
 * SNP platform model: the crypto of guest messages and attestation
 * reports, on nettle. Plain C, so that the model's unit tests can build it
 * on its own and check it against OpenSSL.
 *
 * Guest messages (facts sheet 6.1) are AES-256-GCM with the VMPCK as key,
 * the 64-bit sequence number (little-endian, then 4 zero bytes) as IV and
 * header bytes 0x30-0x5F as additional data; the 16-byte tag goes to the
 * start of the header. A report (facts sheet 7.1) is signed over bytes
 * 0x000-0x29F with ECDSA P-384/SHA-384; R and S are stored at 0x2A0 and
 * 0x2E8 as 72-byte little-endian numbers.
 *
 * Part of the SEV-SNP for Linux 6.1 test platform, not of upstream QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_I386_SNP_FW_ATTEST_H
#define HW_I386_SNP_FW_ATTEST_H

#include "snp-fw-crypto.h"

#define SNP_MSG_HDR_SIZE        0x60
#define SNP_MSG_AAD_OFFSET      0x30
#define SNP_MSG_AAD_SIZE        (SNP_MSG_HDR_SIZE - SNP_MSG_AAD_OFFSET)
#define SNP_MSG_TAG_SIZE        16
#define SNP_REPORT_SIZE         0x4a0
#define SNP_REPORT_SIGNED_SIZE  0x2a0

/* What a report and a derived key say about the guest */
typedef struct SnpAttestGuest {
    uint8_t vmpck[4][32];
    uint64_t msg_seqno[4];      /* last sequence number used, per VMPCK */
    uint64_t policy;
    uint8_t family_id[16];
    uint8_t image_id[16];
    uint32_t guest_svn;
    uint8_t measurement[48];
    uint8_t host_data[32];
    uint8_t id_key_digest[48];
    uint8_t author_key_digest[48];
    uint8_t report_id[32];
    uint64_t launch_tcb;
    bool author_key_en;
    bool vcek_disabled;
} SnpAttestGuest;

/* ... and about the platform */
typedef struct SnpAttestPlatform {
    uint8_t api_major, api_minor, build;
    uint64_t current_tcb;
    uint64_t reported_tcb;
    uint64_t committed_tcb;
    bool mask_chip_id;
    bool mask_chip_key;
    uint8_t chip_id[64];
    bool have_vcek;
    uint8_t vcek[48];           /* P-384 private key, big-endian */
    uint8_t key_secret[32];     /* root of derived keys (MSG_KEY_REQ) */
} SnpAttestPlatform;

/*
 * SNP_GUEST_REQUEST on one request page: decrypt, handle MSG_REPORT_REQ or
 * MSG_KEY_REQ, encrypt the answer into @resp_page. Returns the firmware
 * status of the command (0 or 0x16 INVALID_PARAM); a request the guest
 * sent with bad values gets status 0x16 inside the response instead.
 */
uint32_t snp_guest_request(SnpAttestGuest *g, const SnpAttestPlatform *p,
                           const uint8_t req_page[4096],
                           uint8_t resp_page[4096],
                           snp_random_fn *random, void *random_ctx);

/*
 * Whether TCB_VERSION @tcb is no newer than @limit in every component (one
 * byte each): a TCB is a vector of version numbers, not one number.
 */
bool snp_tcb_le(uint64_t tcb, uint64_t limit);

void snp_msg_seal(const uint8_t key[32], uint64_t seqno,
                  const uint8_t aad[SNP_MSG_AAD_SIZE],
                  const uint8_t *plain, size_t len, uint8_t *cipher,
                  uint8_t tag[SNP_MSG_TAG_SIZE]);
/* Returns false, and leaves @plain undefined, when the tag does not match. */
bool snp_msg_open(const uint8_t key[32], uint64_t seqno,
                  const uint8_t aad[SNP_MSG_AAD_SIZE],
                  const uint8_t *cipher, size_t len,
                  const uint8_t tag[SNP_MSG_TAG_SIZE], uint8_t *plain);


#endif
