/*
 * SNP platform model: the firmware's guest commands - a guest's life from
 * GCTX_CREATE through the launch to DECOMMISSION. See snp-fw.h.
 *
 * The firmware keeps each guest's state itself, found by the address of
 * its context page; the page is firmware-owned for as long as the guest
 * lives. Launch pages must be in the pre-guest state KVM gives them
 * (assigned to the guest's ASID at their GPA, immutable); the firmware
 * measures them, validates them and hands them to the guest (immutable
 * cleared). Memory encryption is not modelled: pages stay plaintext.
 *
 * Part of the SEV-SNP for Linux 6.1 test platform, not of upstream QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/units.h"
#include "qemu/guest-random.h"
#include "exec/address-spaces.h"
#include "hw/core/cpu.h"
#include "cpu.h"
#include "target/i386/snp-rmp.h"
#include "snp-fw.h"
#include "snp-fw-crypto.h"

#define PAGE_SZ                 4096ULL

/* LAUNCH_START.POLICY */
#define POLICY_ABI_MINOR(p)     ((p) & 0xff)
#define POLICY_ABI_MAJOR(p)     (((p) >> 8) & 0xff)
#define POLICY_RSVD_MBO         (1ULL << 17)
#define POLICY_MEM_AES_256_XTS  (1ULL << 22)
#define POLICY_RAPL_DIS         (1ULL << 23)
#define POLICY_CIPHERTEXT_HIDE  (1ULL << 24)
#define POLICY_MBZ              (~0ULL << 26)

/* LAUNCH_UPDATE */
#define UPDATE_PAGE_2M          (1u << 0)
#define UPDATE_TYPE(f)          (((f) >> 1) & 7)
#define UPDATE_TYPE_MASK        (7u << 1)

/* LAUNCH_FINISH */
#define FINISH_ID_BLOCK_EN      (1ULL << 0)
#define FINISH_AUTH_KEY_EN      (1ULL << 1)
#define FINISH_VCEK_DISABLED    (1ULL << 2)
#define ID_BLOCK_SIZE           96
#define ID_AUTH_SIZE            4096
#define ID_AUTH_ID_BLOCK_SIG    0x040
#define ID_AUTH_ID_KEY          0x240
#define ID_AUTH_ID_KEY_SIG      0x680
#define ID_AUTH_AUTHOR_KEY      0x880
#define ID_KEY_ALGO_ECDSA_P384  1

/* The secrets page the firmware writes (facts sheet 6.4) */
#define SECRETS_VERSION         2

static const char *hex(const uint8_t *p, size_t n, char *buf)
{
    size_t i;

    for (i = 0; i < n; i++) {
        sprintf(buf + 2 * i, "%02x", p[i]);
    }
    return buf;
}

SnpGuest *snp_fw_find_guest(SnpFw *fw, hwaddr gctx)
{
    int i;

    for (i = 0; gctx && i < SNP_FW_MAX_GUESTS; i++) {
        if (fw->guests[i].gctx == gctx) {
            return &fw->guests[i];
        }
    }
    return NULL;
}

static SnpGuest *free_slot(SnpFw *fw)
{
    int i;

    for (i = 0; i < SNP_FW_MAX_GUESTS; i++) {
        if (!fw->guests[i].gctx) {
            return &fw->guests[i];
        }
    }
    return NULL;
}

uint32_t snp_fw_nr_guests(SnpFw *fw)
{
    uint32_t n = 0;
    int i;

    for (i = 0; i < SNP_FW_MAX_GUESTS; i++) {
        n += !!fw->guests[i].gctx;
    }
    return n;
}

bool snp_fw_has_guests(SnpFw *fw)
{
    return snp_fw_nr_guests(fw) != 0;
}

/* Read a command buffer that starts with the guest's context address. */
static uint32_t read_guest_cmd(SnpFw *fw, hwaddr buf, void *cmd, size_t len,
                               SnpGuest **guest)
{
    uint32_t ret;

    if (!fw->snp_init) {
        return SEV_RET_INVALID_PLATFORM_STATE;
    }
    ret = snp_fw_read(buf, cmd, len);
    if (ret) {
        return ret;
    }
    *guest = snp_fw_find_guest(fw, snp_fw_ld_spa(cmd));
    return *guest ? SEV_RET_SUCCESS : SEV_RET_INVALID_GUEST;
}

/* ... of a guest whose launch is under way, with its ASID bound */
static uint32_t read_launch_cmd(SnpFw *fw, hwaddr buf, void *cmd, size_t len,
                                SnpGuest **guest)
{
    uint32_t ret = read_guest_cmd(fw, buf, cmd, len, guest);

    if (ret) {
        return ret;
    }
    if ((*guest)->state != SNP_GSTATE_LAUNCH) {
        return SEV_RET_INVALID_GUEST_STATE;
    }
    return (*guest)->asid ? SEV_RET_SUCCESS : SEV_RET_INACTIVE;
}

uint32_t snp_fw_gctx_create(SnpFw *fw, hwaddr buf)
{
    static const char magic[8] = "SNPGCTX";
    uint8_t page[PAGE_SZ] = { 0 }, b[8];
    SnpRmpEntry e;
    uint64_t gctx;
    SnpGuest *g;
    uint32_t ret;

    if (!fw->snp_init) {
        return SEV_RET_INVALID_PLATFORM_STATE;
    }
    ret = snp_fw_read(buf, b, sizeof(b));
    if (ret) {
        return ret;
    }
    gctx = snp_fw_ld_spa(b);
    if (!gctx || (gctx & (PAGE_SZ - 1))) {
        return SEV_RET_INVALID_ADDRESS;
    }
    if (!snp_rmp_read(gctx / PAGE_SZ, &e) || !snp_rmp_is_firmware_page(&e) ||
        (e.lo & RMP_SIZE_2M) || snp_fw_find_guest(fw, gctx)) {
        return SEV_RET_INVALID_PAGE_STATE;
    }
    g = free_slot(fw);
    if (!g) {
        return SEV_RET_RESOURCE_LIMIT;
    }
    /* The context lives in the model; the page only says whose it is. */
    memcpy(page, magic, sizeof(magic));
    stl_le_p(&page[8], g - fw->guests);
    ret = snp_fw_write(fw, gctx, page, sizeof(page));
    if (ret) {
        return ret;
    }
    memset(g, 0, sizeof(*g));
    g->gctx = gctx;
    g->state = SNP_GSTATE_INIT;
    return SEV_RET_SUCCESS;
}

uint32_t snp_fw_launch_start(SnpFw *fw, hwaddr buf)
{
    uint8_t b[48];
    uint64_t policy;
    uint32_t flags, ret;
    SnpGuest *g;
    int i;

    ret = read_guest_cmd(fw, buf, b, sizeof(b), &g);
    if (ret) {
        return ret;
    }
    if (g->state != SNP_GSTATE_INIT) {
        return SEV_RET_INVALID_GUEST_STATE;
    }
    policy = ldq_le_p(&b[0x08]);
    flags = ldl_le_p(&b[0x18]);
    /* Migration agents and incoming migration are not modelled. */
    if (flags & 3) {
        return SEV_RET_UNSUPPORTED;
    }
    if (flags || ldq_le_p(&b[0x10])) {
        return SEV_RET_INVALID_PARAM;
    }
    /*
     * The policy may ask for an ABI up to the firmware's, must set the
     * reserved bit 17 and cannot require what this platform does not do:
     * AES-256-XTS, RAPL disabled, ciphertext hiding. The model's CPU has
     * no SMT and one socket, so the SMT and SINGLE_SOCKET bits are met.
     */
    if (POLICY_ABI_MAJOR(policy) > SNP_FW_API_MAJOR ||
        (POLICY_ABI_MAJOR(policy) == SNP_FW_API_MAJOR &&
         POLICY_ABI_MINOR(policy) > SNP_FW_API_MINOR) ||
        !(policy & POLICY_RSVD_MBO) || (policy & POLICY_MBZ) ||
        (policy & (POLICY_MEM_AES_256_XTS | POLICY_RAPL_DIS |
                   POLICY_CIPHERTEXT_HIDE))) {
        return SEV_RET_POLICY_FAILURE;
    }
    g->a.policy = policy;
    memcpy(g->gosvw, &b[0x20], sizeof(g->gosvw));
    memset(g->a.measurement, 0, sizeof(g->a.measurement));
    for (i = 0; i < 4; i++) {
        qemu_guest_getrandom_nofail(g->a.vmpck[i], sizeof(g->a.vmpck[i]));
    }
    qemu_guest_getrandom_nofail(g->a.report_id, sizeof(g->a.report_id));
    g->a.launch_tcb = SNP_FW_TCB;
    g->state = SNP_GSTATE_LAUNCH;
    snp_fw_log(fw, "launch-start gctx=0x%" PRIx64 " policy=0x%" PRIx64,
               (uint64_t)g->gctx, policy);
    return SEV_RET_SUCCESS;
}

uint32_t snp_fw_activate(SnpFw *fw, hwaddr buf)
{
    uint8_t b[12];
    uint32_t asid, ret;
    SnpGuest *g;
    int i;

    ret = read_guest_cmd(fw, buf, b, sizeof(b), &g);
    if (ret) {
        return ret;
    }
    if (g->state == SNP_GSTATE_INIT || g->asid) {
        return SEV_RET_INVALID_GUEST_STATE;
    }
    asid = ldl_le_p(&b[8]);
    /* SNP guests use the SEV-ES ASIDs, 1 up to the first SEV ASID. */
    if (!asid || asid >= SNP_FW_NR_ASIDS) {
        return SEV_RET_INVALID_ASID;
    }
    for (i = 0; i < SNP_FW_MAX_GUESTS; i++) {
        if (fw->guests[i].gctx && fw->guests[i].asid == asid) {
            return SEV_RET_ASID_OWNED;
        }
    }
    /* A previous guest's data may still be cached for this ASID. */
    if (test_bit(asid, fw->asid_dirty)) {
        return SEV_RET_DFFLUSH_REQUIRED;
    }
    g->asid = asid;
    return SEV_RET_SUCCESS;
}

/*
 * Check the CPUID page against the CPU: a guest may not be told of feature
 * bits the CPU does not have. Functions whose values are the CPU's to
 * choose (1, 7.0, 0x80000001, 0x8000001F) get their bits ANDed with the
 * CPU's; the others pass. On any difference the corrected page is written
 * back in plaintext and the command fails with INVALID_PARAM (facts sheet
 * 4.5), so that KVM can hand it to userspace.
 */
static uint32_t check_cpuid_page(hwaddr pa)
{
    CPUX86State *env = &X86_CPU(first_cpu)->env;
    uint8_t page[PAGE_SZ];
    uint32_t count, i, r;
    bool fixed = false;

    address_space_read(&address_space_memory, pa, MEMTXATTRS_UNSPECIFIED,
                       page, sizeof(page));
    count = ldl_le_p(page);
    if (count > 64) {
        return SEV_RET_INVALID_PARAM;
    }
    for (i = 0; i < count; i++) {
        uint8_t *fn = &page[16 + i * 48];
        uint32_t leaf = ldl_le_p(fn), sub = ldl_le_p(fn + 4);
        uint32_t cpu[4];
        unsigned int first;

        switch (leaf) {
        case 1:
            first = 2;          /* ECX, EDX: EAX and EBX are per vCPU */
            break;
        case 7:
            first = sub ? 4 : 1;
            break;
        case 0x80000001:
            first = 2;
            break;
        case 0x8000001f:
            first = 0;
            break;
        default:
            first = 4;
            break;
        }
        cpu_x86_cpuid(env, leaf, sub, &cpu[0], &cpu[1], &cpu[2], &cpu[3]);
        for (r = first; r < 4; r++) {
            uint32_t claimed = ldl_le_p(fn + 24 + 4 * r);

            if (claimed & ~cpu[r]) {
                stl_le_p(fn + 24 + 4 * r, claimed & cpu[r]);
                fixed = true;
            }
        }
    }
    if (fixed) {
        address_space_write(&address_space_memory, pa, MEMTXATTRS_UNSPECIFIED,
                            page, sizeof(page));
        return SEV_RET_INVALID_PARAM;
    }
    return SEV_RET_SUCCESS;
}

/* The secrets page of a guest: its VMPCKs and what it launched with */
static void write_secrets_page(SnpGuest *g, hwaddr pa)
{
    CPUX86State *env = &X86_CPU(first_cpu)->env;
    uint8_t page[PAGE_SZ] = { 0 };
    uint32_t fms, unused;
    int i;

    cpu_x86_cpuid(env, 1, 0, &fms, &unused, &unused, &unused);
    stl_le_p(&page[0x000], SECRETS_VERSION);
    stl_le_p(&page[0x008], fms & 0x0fff3fff);
    memcpy(&page[0x010], g->gosvw, sizeof(g->gosvw));
    for (i = 0; i < 4; i++) {
        memcpy(&page[0x020 + 0x20 * i], g->a.vmpck[i], 32);
    }
    address_space_write(&address_space_memory, pa, MEMTXATTRS_UNSPECIFIED,
                        page, sizeof(page));
}

/* Whether the page at @pfn is ready to be launched into @g at @large size */
static bool is_pre_guest_page(SnpGuest *g, uint64_t pfn, bool large,
                              SnpRmpEntry *e)
{
    return snp_rmp_read(pfn, e) && (e->lo & RMP_ASSIGNED) &&
           (e->lo & RMP_IMMUTABLE) && !(e->lo & (RMP_VALIDATED | RMP_VMSA)) &&
           ((e->lo & RMP_ASID_MASK) >> RMP_ASID_SHIFT) == g->asid &&
           !!(e->lo & RMP_SIZE_2M) == large;
}

uint32_t snp_fw_launch_update(SnpFw *fw, hwaddr buf)
{
    SnpRmpEntry e[RMP_PAGES_PER_2M];
    uint8_t b[32], perms[3], page[PAGE_SZ], contents[SNP_LD_SIZE];
    char h1[2 * SNP_LD_SIZE + 1], h2[2 * SNP_LD_SIZE + 1];
    uint32_t flags, type, n, i, ret;
    uint64_t pa, pfn;
    SnpGuest *g;

    ret = read_launch_cmd(fw, buf, b, sizeof(b), &g);
    if (ret) {
        return ret;
    }
    flags = ldl_le_p(&b[0x08]);
    type = UPDATE_TYPE(flags);
    /* IMI pages belong to migration, which the model does not do. */
    if ((flags & ~(UPDATE_PAGE_2M | UPDATE_TYPE_MASK)) ||
        ldl_le_p(&b[0x0c]) ||
        type < SNP_PAGE_TYPE_NORMAL ||
        type > SNP_PAGE_TYPE_CPUID || (ldl_le_p(&b[0x18]) & 0xff) ||
        ldl_le_p(&b[0x1c])) {
        return SEV_RET_INVALID_PARAM;
    }
    n = (flags & UPDATE_PAGE_2M) ? RMP_PAGES_PER_2M : 1;
    /* One page each: the VMSA, the secrets and the CPUID page */
    if (n > 1 && (type == SNP_PAGE_TYPE_VMSA || type == SNP_PAGE_TYPE_SECRETS ||
                  type == SNP_PAGE_TYPE_CPUID)) {
        return SEV_RET_INVALID_PAGE_SIZE;
    }
    perms[0] = b[0x19];
    perms[1] = b[0x1a];
    perms[2] = b[0x1b];
    pa = snp_fw_ld_spa(&b[0x10]);
    pfn = pa / PAGE_SZ;
    if ((pa & (n * PAGE_SZ - 1)) || pfn + n > snp_rmp_nr_pfns() ||
        !snp_fw_is_ram(pa, n * PAGE_SZ)) {
        return SEV_RET_INVALID_ADDRESS;
    }
    for (i = 0; i < n; i++) {
        if (!is_pre_guest_page(g, pfn + i, n > 1, &e[i])) {
            return SEV_RET_INVALID_PAGE_STATE;
        }
    }

    if (type == SNP_PAGE_TYPE_CPUID) {
        ret = check_cpuid_page(pa);
        if (ret) {
            return ret;
        }
    }
    for (i = 0; i < n; i++) {
        hwaddr p = pa + i * PAGE_SZ;
        uint64_t gpa = e[i].lo & RMP_GPA_MASK;

        if (type == SNP_PAGE_TYPE_ZERO) {
            memset(page, 0, sizeof(page));
            address_space_write(&address_space_memory, p,
                                MEMTXATTRS_UNSPECIFIED, page, sizeof(page));
        } else if (type == SNP_PAGE_TYPE_SECRETS) {
            write_secrets_page(g, p);
        } else if (type == SNP_PAGE_TYPE_NORMAL ||
                   type == SNP_PAGE_TYPE_VMSA) {
            /* Only these two have their contents measured. */
            address_space_read(&address_space_memory, p,
                               MEMTXATTRS_UNSPECIFIED, page, sizeof(page));
        }
        snp_ld_extend(g->a.measurement, type, gpa, page, perms, contents);
        snp_fw_log(fw, "launch-update gctx=0x%" PRIx64 " asid=%u type=%u "
                   "gpa=0x%" PRIx64 " contents=%s ld=%s", (uint64_t)g->gctx,
                   g->asid, type, gpa, hex(contents, SNP_LD_SIZE, h1),
                   hex(g->a.measurement, SNP_LD_SIZE, h2));
        /* The guest owns the page now, validated; a VMSA is marked. */
        e[i].lo &= ~RMP_IMMUTABLE;
        e[i].lo |= RMP_VALIDATED |
                   (type == SNP_PAGE_TYPE_VMSA ? RMP_VMSA : 0);
    }
    snp_rmp_write(pfn, e, n);
    return SEV_RET_SUCCESS;
}

/*
 * The ID block names the measurement and policy the guest owner expects;
 * the ID key signs it, the author key (optionally) the ID key.
 */
static uint32_t check_id_block(SnpGuest *g, hwaddr block_pa, hwaddr auth_pa,
                               bool author_key)
{
    uint8_t block[ID_BLOCK_SIZE], auth[ID_AUTH_SIZE];
    uint32_t ret;

    ret = snp_fw_read(block_pa, block, sizeof(block));
    if (!ret) {
        ret = snp_fw_read(auth_pa, auth, sizeof(auth));
    }
    if (ret) {
        return ret;
    }
    if (ldl_le_p(&block[0x50]) != 1 ||
        ldl_le_p(&auth[0x000]) != ID_KEY_ALGO_ECDSA_P384 ||
        (author_key && ldl_le_p(&auth[0x004]) != ID_KEY_ALGO_ECDSA_P384)) {
        return SEV_RET_INVALID_PARAM;
    }
    if (memcmp(block, g->a.measurement, SNP_LD_SIZE)) {
        return SEV_RET_BAD_MEASUREMENT;
    }
    if (ldq_le_p(&block[0x58]) != g->a.policy) {
        return SEV_RET_POLICY_FAILURE;
    }
    if (!snp_ecdsa_p384_verify(&auth[ID_AUTH_ID_KEY], block, sizeof(block),
                               &auth[ID_AUTH_ID_BLOCK_SIG]) ||
        (author_key &&
         !snp_ecdsa_p384_verify(&auth[ID_AUTH_AUTHOR_KEY],
                                &auth[ID_AUTH_ID_KEY], SNP_PUBKEY_SIZE,
                                &auth[ID_AUTH_ID_KEY_SIG]))) {
        return SEV_RET_BAD_SIGNATURE;
    }
    memcpy(g->a.family_id, &block[0x30], sizeof(g->a.family_id));
    memcpy(g->a.image_id, &block[0x40], sizeof(g->a.image_id));
    g->a.guest_svn = ldl_le_p(&block[0x54]);
    snp_sha384(&auth[ID_AUTH_ID_KEY], SNP_PUBKEY_SIZE, g->a.id_key_digest);
    if (author_key) {
        snp_sha384(&auth[ID_AUTH_AUTHOR_KEY], SNP_PUBKEY_SIZE,
                   g->a.author_key_digest);
    }
    return SEV_RET_SUCCESS;
}

uint32_t snp_fw_launch_finish(SnpFw *fw, hwaddr buf)
{
    char h1[2 * SNP_LD_SIZE + 1], h2[2 * 32 + 1];
    uint8_t b[64];
    uint64_t flags;
    uint32_t ret;
    SnpGuest *g;

    ret = read_launch_cmd(fw, buf, b, sizeof(b), &g);
    if (ret) {
        return ret;
    }
    flags = ldq_le_p(&b[0x18]);
    if ((flags & ~(FINISH_ID_BLOCK_EN | FINISH_AUTH_KEY_EN |
                   FINISH_VCEK_DISABLED)) ||
        ((flags & FINISH_AUTH_KEY_EN) && !(flags & FINISH_ID_BLOCK_EN))) {
        return SEV_RET_INVALID_PARAM;
    }
    if (flags & FINISH_ID_BLOCK_EN) {
        ret = check_id_block(g, snp_fw_ld_spa(&b[0x08]),
                             snp_fw_ld_spa(&b[0x10]),
                             flags & FINISH_AUTH_KEY_EN);
        if (ret) {
            return ret;
        }
    }
    g->id_block_en = flags & FINISH_ID_BLOCK_EN;
    g->a.author_key_en = flags & FINISH_AUTH_KEY_EN;
    g->a.vcek_disabled = flags & FINISH_VCEK_DISABLED;
    memcpy(g->a.host_data, &b[0x20], sizeof(g->a.host_data));
    g->state = SNP_GSTATE_RUNNING;
    snp_fw_log(fw, "launch-finish gctx=0x%" PRIx64 " asid=%u ld=%s "
               "host_data=%s", (uint64_t)g->gctx, g->asid,
               hex(g->a.measurement, SNP_LD_SIZE, h1),
               hex(g->a.host_data, sizeof(g->a.host_data), h2));
    return SEV_RET_SUCCESS;
}

uint32_t snp_fw_decommission(SnpFw *fw, hwaddr buf)
{
    uint8_t b[8];
    uint32_t ret;
    SnpGuest *g;

    ret = read_guest_cmd(fw, buf, b, sizeof(b), &g);
    if (ret) {
        return ret;
    }
    /* The ASID needs a DF_FLUSH before another guest may use it. */
    if (g->asid) {
        set_bit(g->asid, fw->asid_dirty);
    }
    snp_fw_log(fw, "decommission gctx=0x%" PRIx64 " asid=%u",
               (uint64_t)g->gctx, g->asid);
    memset(g, 0, sizeof(*g));
    /* Its lines may still be cached: DF_FLUSH needs a WBINVD after this. */
    snp_fw_caches_dirty(fw, "decommission");
    return SEV_RET_SUCCESS;
}

/*
 * GUEST_STATUS writes the guest's policy (u64), ASID (u32) and state (u8)
 * to a firmware-owned page. The facts sheet has no layout for this page;
 * these are the ABI's first fields as far as we know them.
 */
uint32_t snp_fw_guest_status(SnpFw *fw, hwaddr buf)
{
    uint8_t b[16], st[16] = { 0 };
    uint32_t ret;
    SnpGuest *g;

    ret = read_guest_cmd(fw, buf, b, sizeof(b), &g);
    if (ret) {
        return ret;
    }
    stq_le_p(&st[0], g->a.policy);
    stl_le_p(&st[8], g->asid);
    st[12] = g->state;
    return snp_fw_write(fw, snp_fw_ld_spa(&b[8]), st, sizeof(st));
}

static void fw_random(void *ctx, size_t len, uint8_t *dst)
{
    qemu_guest_getrandom_nofail(dst, len);
}

/*
 * SNP_GUEST_REQUEST: a message of a running guest, in a page of the host's,
 * answered into a firmware-owned page (snp-fw-attest.c does the message).
 */
uint32_t snp_fw_guest_request(SnpFw *fw, hwaddr buf)
{
    uint8_t b[24], req[PAGE_SZ], resp[PAGE_SZ];
    SnpAttestPlatform p = {
        .api_major = SNP_FW_API_MAJOR,
        .api_minor = SNP_FW_API_MINOR,
        .build = SNP_FW_BUILD,
        .current_tcb = SNP_FW_TCB,
        .reported_tcb = fw->reported_tcb,
        .committed_tcb = SNP_FW_TCB,
        .mask_chip_id = fw->config_mask & 1,
        .mask_chip_key = fw->config_mask & 2,
        .have_vcek = fw->have_vcek,
    };
    hwaddr req_pa, resp_pa;
    uint32_t ret;
    SnpGuest *g;

    ret = read_guest_cmd(fw, buf, b, sizeof(b), &g);
    if (ret) {
        return ret;
    }
    if (g->state != SNP_GSTATE_RUNNING) {
        return SEV_RET_INVALID_GUEST_STATE;
    }
    req_pa = snp_fw_ld_spa(&b[8]);
    resp_pa = snp_fw_ld_spa(&b[16]);
    if ((req_pa | resp_pa) & (PAGE_SZ - 1)) {
        return SEV_RET_INVALID_ADDRESS;
    }
    ret = snp_fw_read(req_pa, req, sizeof(req));
    if (!ret) {
        ret = snp_fw_check_output(fw, resp_pa, sizeof(resp));
    }
    if (ret) {
        return ret;
    }
    memcpy(p.chip_id, fw->chip_id, sizeof(p.chip_id));
    memcpy(p.vcek, fw->vcek, sizeof(p.vcek));
    memcpy(p.key_secret, fw->key_secret, sizeof(p.key_secret));
    ret = snp_guest_request(&g->a, &p, req, resp, fw_random, NULL);
    if (!ret) {
        ret = snp_fw_write(fw, resp_pa, resp, sizeof(resp));
    }
    return ret;
}
