/*
 * SNP platform model: the Platform Security Processor as a PCI function.
 *
 * AMD 1022:14CA, BAR 2 (1 MiB) with the "sevv2" mailbox registers the ccp
 * driver uses for this device ID, MSI-X (one vector, BAR 4) with MSI and
 * INTx as fallbacks:
 *
 *   0x10690  INTEN     interrupt enable (the driver writes ~0 or 0)
 *   0x10694  INTSTS    bit 1: SEV command complete; write 1s to clear
 *   0x10980  CMDRESP   write: command in bits 26:16, bit 0 interrupt on
 *                      completion; read: bit 31 done, bits 15:0 status
 *   0x109e0  BUF_LO    command buffer, physical address bits 31:0
 *   0x109e4  BUF_HI    ... bits 63:32
 *   0x109ec  bootloader info (reads 0)
 *   0x109fc  features  bit 0: SEV (no TEE, no DBC)
 *
 * A command runs to completion inside the write of CMDRESP (see snp-fw.c).
 *
 * Fault injection, at start or at run time with qom-set:
 *   -device snp-psp,fail-cmd=0x85,fail-status=0x26,fail-count=1
 *   (fail-skip=N lets the first N such commands through)
 * Launch log (the model's debug interface for measurements):
 *   -device snp-psp,digest-log=FILE
 * Test keys for attestation (make-test-keys.sh):
 *   -device snp-psp,keys=DIR
 * A MSR_VM_HSAVE_PA left set on every CPU at reset, which SNP_INIT refuses
 * until the host clears it (a test knob; hardware resets it to 0):
 *   -device snp-psp,stale-hsave=ADDR
 *
 * Part of the SEV-SNP for Linux 6.1 test platform, not of upstream QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "hw/pci/pci.h"
#include "hw/pci/msi.h"
#include "hw/pci/msix.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "qom/object.h"
#include "qemu/guest-random.h"
#include "snp-fw.h"
#include "snp-fw-crypto.h"

#define TYPE_SNP_PSP            "snp-psp"
OBJECT_DECLARE_SIMPLE_TYPE(SnpPspState, SNP_PSP)

#define PSP_BAR_SIZE            (1 * MiB)
#define PSP_REG_INTEN           0x10690
#define PSP_REG_INTSTS          0x10694
#define PSP_REG_CMDRESP         0x10980
#define PSP_REG_BUF_LO          0x109e0
#define PSP_REG_BUF_HI          0x109e4
#define PSP_REG_BOOTLOADER      0x109ec
#define PSP_REG_FEATURE         0x109fc

#define PSP_FEATURE_SEV         (1u << 0)
#define PSP_INT_SEV_DONE        (1u << 1)
#define PSP_CMDRESP_RESP        (1u << 31)
#define PSP_CMDRESP_IOC         (1u << 0)
#define PSP_CMDRESP_CMD(v)      (((v) >> 16) & 0x7ff)

struct SnpPspState {
    PCIDevice parent_obj;

    MemoryRegion mmio;
    uint32_t inten;
    uint32_t intsts;
    uint32_t cmdresp;
    uint32_t buf_lo;
    uint32_t buf_hi;

    SnpFw fw;
    char *keys_dir;
    uint64_t stale_hsave;
};

static void psp_update_irq(SnpPspState *s, bool raise)
{
    PCIDevice *pdev = PCI_DEVICE(s);
    bool pending = s->intsts & s->inten;

    if (msix_enabled(pdev)) {
        if (raise && pending) {
            msix_notify(pdev, 0);
        }
    } else if (msi_enabled(pdev)) {
        if (raise && pending) {
            msi_notify(pdev, 0);
        }
    } else {
        pci_set_irq(pdev, pending);
    }
}

static void psp_run_command(SnpPspState *s, uint32_t val)
{
    hwaddr buf = ((uint64_t)s->buf_hi << 32) | s->buf_lo;
    uint32_t status;

    /* The ccp driver sets the C-bit of the buffer address on SME hosts. */
    status = snp_fw_execute(&s->fw, PSP_CMDRESP_CMD(val), snp_fw_spa(buf));
    s->cmdresp = PSP_CMDRESP_RESP | (status & 0xffff);
    if (val & PSP_CMDRESP_IOC) {
        s->intsts |= PSP_INT_SEV_DONE;
        psp_update_irq(s, true);
    }
}

static uint64_t psp_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    SnpPspState *s = opaque;

    switch (addr) {
    case PSP_REG_INTEN:
        return s->inten;
    case PSP_REG_INTSTS:
        return s->intsts;
    case PSP_REG_CMDRESP:
        return s->cmdresp;
    case PSP_REG_BUF_LO:
        return s->buf_lo;
    case PSP_REG_BUF_HI:
        return s->buf_hi;
    case PSP_REG_FEATURE:
        return PSP_FEATURE_SEV;
    case PSP_REG_BOOTLOADER:
    default:
        return 0;
    }
}

static void psp_mmio_write(void *opaque, hwaddr addr, uint64_t val,
                           unsigned size)
{
    SnpPspState *s = opaque;

    switch (addr) {
    case PSP_REG_INTEN:
        s->inten = val;
        psp_update_irq(s, true);
        break;
    case PSP_REG_INTSTS:
        s->intsts &= ~val;
        psp_update_irq(s, false);
        break;
    case PSP_REG_CMDRESP:
        psp_run_command(s, val);
        break;
    case PSP_REG_BUF_LO:
        s->buf_lo = val;
        break;
    case PSP_REG_BUF_HI:
        s->buf_hi = val;
        break;
    default:
        break;
    }
}

static const MemoryRegionOps psp_mmio_ops = {
    .read = psp_mmio_read,
    .write = psp_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

/* Read FILE in @dir: @len bytes as hex digits, whitespace ignored. */
static bool psp_read_hex(const char *dir, const char *file, uint8_t *out,
                         size_t len, Error **errp)
{
    g_autofree char *path = g_build_filename(dir, file, NULL);
    g_autofree char *text = NULL;
    size_t n = 0;
    char *p;

    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        error_setg(errp, "snp-psp: cannot read %s", path);
        return false;
    }
    for (p = text; *p && n < 2 * len; p++) {
        int v = g_ascii_xdigit_value(*p);

        if (v < 0) {
            if (g_ascii_isspace(*p)) {
                continue;
            }
            break;
        }
        out[n / 2] = (n & 1) ? (out[n / 2] | v) : v << 4;
        n++;
    }
    if (n != 2 * len) {
        error_setg(errp, "snp-psp: %s does not hold %zu hex bytes", path, len);
        return false;
    }
    return true;
}

/*
 * keys=DIR: the test VCEK's private key and the chip ID, which
 * tools/testing/snp-platform/make-test-keys.sh generated next to the
 * certificate chain it publishes. Without them reports are unsigned
 * (KEY_INFO says "no key") and derived keys change at every start.
 */
static bool psp_load_keys(SnpPspState *s, Error **errp)
{
    uint8_t digest[48];

    if (!s->keys_dir) {
        qemu_guest_getrandom_nofail(s->fw.key_secret,
                                    sizeof(s->fw.key_secret));
        return true;
    }
    if (!psp_read_hex(s->keys_dir, "vcek.key.hex", s->fw.vcek,
                      sizeof(s->fw.vcek), errp) ||
        !psp_read_hex(s->keys_dir, "chip-id.hex", s->fw.chip_id,
                      sizeof(s->fw.chip_id), errp)) {
        return false;
    }
    s->fw.have_vcek = true;
    snp_sha384(s->fw.vcek, sizeof(s->fw.vcek), digest);
    memcpy(s->fw.key_secret, digest, sizeof(s->fw.key_secret));
    return true;
}

static void psp_realize(PCIDevice *pdev, Error **errp)
{
    SnpPspState *s = SNP_PSP(pdev);

    if (!psp_load_keys(s, errp)) {
        return;
    }
    /* Before the machine's first reset, which resets the CPUs. */
    snp_host_set_reset_hsave(s->stale_hsave);

    pci_config_set_interrupt_pin(pdev->config, 1);
    memory_region_init_io(&s->mmio, OBJECT(s), &psp_mmio_ops, s, "snp-psp",
                          PSP_BAR_SIZE);
    pci_register_bar(pdev, 2, PCI_BASE_ADDRESS_SPACE_MEMORY, &s->mmio);
    if (msi_init(pdev, 0, 1, true, false, errp)) {
        return;
    }
    if (msix_init_exclusive_bar(pdev, 1, 4, errp)) {
        return;
    }
    msix_vector_use(pdev, 0);
}

static void psp_exit(PCIDevice *pdev)
{
    SnpPspState *s = SNP_PSP(pdev);

    if (s->fw.digest_log) {
        fclose(s->fw.digest_log);
        s->fw.digest_log = NULL;
    }
    msix_uninit_exclusive_bar(pdev);
    msi_uninit(pdev);
}

/* A reset is a cold start of the firmware: SEV and SNP uninitialised. */
static void psp_reset(DeviceState *dev)
{
    SnpPspState *s = SNP_PSP(dev);

    s->inten = 0;
    s->intsts = 0;
    s->cmdresp = 0;
    s->buf_lo = 0;
    s->buf_hi = 0;
    snp_fw_reset(&s->fw);
}

static void psp_instance_init(Object *obj)
{
    SnpPspState *s = SNP_PSP(obj);

    object_property_add_uint32_ptr(obj, "fail-cmd", &s->fw.fail_cmd,
                                   OBJ_PROP_FLAG_READWRITE);
    object_property_add_uint32_ptr(obj, "fail-status", &s->fw.fail_status,
                                   OBJ_PROP_FLAG_READWRITE);
    object_property_add_uint32_ptr(obj, "fail-count", &s->fw.fail_count,
                                   OBJ_PROP_FLAG_READWRITE);
    object_property_add_uint32_ptr(obj, "fail-skip", &s->fw.fail_skip,
                                   OBJ_PROP_FLAG_READWRITE);
}

/*
 * digest-log=FILE: the debug interface; the firmware appends each launch
 * step (LAUNCH_START, every measured page with the digest after it,
 * LAUNCH_FINISH, DECOMMISSION) to FILE.
 */
static Property psp_properties[] = {
    DEFINE_PROP_STRING("digest-log", SnpPspState, fw.digest_log_path),
    DEFINE_PROP_STRING("keys", SnpPspState, keys_dir),
    DEFINE_PROP_UINT64("stale-hsave", SnpPspState, stale_hsave, 0),
    DEFINE_PROP_END_OF_LIST(),
};

/* The firmware's state lives in this process only. */
static const VMStateDescription psp_vmstate = {
    .name = TYPE_SNP_PSP,
    .unmigratable = 1,
};

static void psp_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->realize = psp_realize;
    k->exit = psp_exit;
    k->vendor_id = PCI_VENDOR_ID_AMD;
    k->device_id = 0x14ca;
    k->class_id = 0x1080;       /* encryption controller, other */
    dc->desc = "AMD PSP with SEV-SNP firmware (SNP platform model)";
    dc->reset = psp_reset;
    dc->vmsd = &psp_vmstate;
    device_class_set_props(dc, psp_properties);
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
}

static const TypeInfo psp_info = {
    .name = TYPE_SNP_PSP,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(SnpPspState),
    .instance_init = psp_instance_init,
    .class_init = psp_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_CONVENTIONAL_PCI_DEVICE },
        { }
    },
};

static void psp_register_types(void)
{
    type_register_static(&psp_info);
}

type_init(psp_register_types)
