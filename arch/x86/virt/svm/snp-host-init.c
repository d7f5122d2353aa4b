// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV-SNP host: deciding whether this machine is an SNP host, and turning
 * SNP on.
 *
 * Three steps, each at the point of boot where it has to happen:
 *  1. setup_arch(): read CPUID and the MSRs, check the RMP the BIOS set up
 *     and keep the memory around it out of RAM (snp_rmp_early_reserve()).
 *  2. fs_initcall: ask the AMD IOMMU driver to run in SNP mode. It must be
 *     asked before it sets up its page tables at rootfs_initcall.
 *  3. device_initcall: once the IOMMU is up, clear the RMP and set SNP_EN
 *     on every CPU. The PSP driver initialises the firmware after this.
 * The first condition that fails is reported once, and SNP stays off.
 */

#define pr_fmt(fmt)	"SEV-SNP: " fmt

#include <linux/amd-iommu.h>
#include <linux/cpufeature.h>
#include <linux/cpuhotplug.h>
#include <linux/io.h>
#include <linux/memory.h>
#include <linux/pfn.h>
#include <linux/printk.h>
#include <linux/processor.h>
#include <linux/smp.h>
#include <linux/syscore_ops.h>
#include <asm/e820/api.h>
#include <asm/msr.h>

#include "rmp.h"

static struct snp_host_facts snp_facts __initdata;
static enum snp_host_reason snp_reason __ro_after_init = SNP_HOST_NOT_AMD;

enum snp_host_reason snp_host_reason(void)
{
	return snp_reason;
}

/**
 * snp_host_e820_table() - the memory map, for the SNP firmware driver
 *
 * SNP_INIT_EX takes the reserved regions of this map as HV-fixed memory.
 *
 * Return: the kernel's e820 table; it does not change after boot.
 */
const struct e820_table *snp_host_e820_table(void)
{
	return e820_table;
}
EXPORT_SYMBOL_GPL(snp_host_e820_table);

/* Highest PFN of memory the kernel may use, from the firmware memory map. */
static u64 __init snp_e820_ram_end_pfn(void)
{
	u64 end = 0;
	int i;

	for (i = 0; i < e820_table->nr_entries; i++) {
		struct e820_entry *e = &e820_table->entries[i];

		if (e->type != E820_TYPE_RAM && e->type != E820_TYPE_RESERVED_KERN)
			continue;
		end = max(end, e->addr + e->size);
	}
	return PFN_UP(end);
}

static void __init snp_read_facts(struct snp_host_facts *f)
{
	struct cpuinfo_x86 *c = &boot_cpu_data;
	u64 msr;

	f->amd = c->x86_vendor == X86_VENDOR_AMD ||
		 c->x86_vendor == X86_VENDOR_HYGON;
	f->svm = cpu_has(c, X86_FEATURE_SVM);
	/*
	 * Raw CPUID: the SNP feature flag is cleared together with SEV when
	 * the BIOS left memory encryption off, and that case deserves its
	 * own message.
	 */
	f->snp = c->extended_cpuid_level >= 0x8000001f &&
		 (cpuid_eax(0x8000001f) & BIT(X86_FEATURE_SEV_SNP & 31));
	f->family = c->x86;
	f->hypervisor = cpu_has(c, X86_FEATURE_HYPERVISOR);

	/* The MSRs below exist only where the checks before them pass. */
	if (!f->amd || !f->svm || !f->snp || f->hypervisor)
		return;

	if (!rdmsrl_safe(MSR_AMD64_SYSCFG, &msr))
		f->mem_encrypt = msr & MSR_AMD64_SYSCFG_MEM_ENCRYPT;
	if (!rdmsrl_safe(MSR_K7_HWCR, &msr))
		f->smm_lock = msr & MSR_K7_HWCR_SMMLOCK;
	if (rdmsrl_safe(MSR_AMD64_RMP_BASE, &f->rmp_base) ||
	    rdmsrl_safe(MSR_AMD64_RMP_END, &f->rmp_end)) {
		f->rmp_base = 0;
		f->rmp_end = 0;
	}
	f->ram_end_pfn = snp_e820_ram_end_pfn();
}

static void __init snp_e820_reserve(u64 start, u64 size)
{
	u64 moved;

	moved = e820__range_update(start, size, E820_TYPE_RAM,
				   E820_TYPE_RESERVED);
	e820__range_update_table(e820_table_kexec, start, size,
				 E820_TYPE_RAM, E820_TYPE_RESERVED);
	e820__range_update_table(e820_table_firmware, start, size,
				 E820_TYPE_RAM, E820_TYPE_RESERVED);
	if (!moved)
		return;

	e820__update_table(e820_table);
	e820__update_table(e820_table_kexec);
	e820__update_table(e820_table_firmware);
	pr_info("reserved %llu KiB of RAM next to the RMP table\n",
		moved >> 10);
}

/**
 * snp_rmp_early_reserve() - check the RMP and keep it out of RAM
 *
 * Called from setup_arch() once the e820 map is final and before memblock
 * is populated from it. The kexec and firmware copies of the map are
 * updated as well, so that a kexec'd or kdump kernel, which inherits an
 * RMP that is still enforced, does not use that memory either.
 */
void __init snp_rmp_early_reserve(void)
{
	struct rmp_phys_range r;

	snp_read_facts(&snp_facts);
	snp_reason = snp_host_check(&snp_facts);
	if (snp_reason != SNP_HOST_OK)
		return;

	rmp_reserve_range(snp_facts.rmp_base, snp_facts.rmp_end, &r);
	snp_e820_reserve(r.start, r.size);
}

static int __init snp_host_iommu_init(void)
{
	if (snp_reason == SNP_HOST_OK)
		snp_reason = snp_host_iommu_reason(amd_iommu_snp_enable());
	return 0;
}

/* Before pci_iommu_init() (rootfs_initcall) sets the IOMMU up. */
fs_initcall(snp_host_iommu_init);

static void snp_set_mfdm(void *unused)
{
	u64 syscfg;

	rdmsrl(MSR_AMD64_SYSCFG, syscfg);
	if (!(syscfg & MSR_AMD64_SYSCFG_MFDM))
		wrmsrl(MSR_AMD64_SYSCFG, syscfg | MSR_AMD64_SYSCFG_MFDM);
}

/* MFDM has to be set before SNP_EN; on CPUs that come up late as well. */
static int snp_enable_this_cpu(unsigned int cpu)
{
	u64 syscfg;

	snp_set_mfdm(NULL);
	rdmsrl(MSR_AMD64_SYSCFG, syscfg);
	syscfg |= MSR_AMD64_SYSCFG_SNP_EN | MSR_AMD64_SYSCFG_SNP_VMPL_EN;
	wrmsrl(MSR_AMD64_SYSCFG, syscfg);
	return 0;
}

/* The boot CPU does not go through CPU hotplug on resume. */
static void snp_syscore_resume(void)
{
	snp_enable_this_cpu(smp_processor_id());
}

static struct syscore_ops snp_syscore_ops = {
	.resume = snp_syscore_resume,
};

/* Memory added later has to be described by the RMP too. */
static int snp_memory_notify(struct notifier_block *nb, unsigned long action,
			     void *arg)
{
	const struct memory_notify *mn = arg;

	if (action != MEM_GOING_ONLINE || !snp_host_active())
		return NOTIFY_OK;
	if (mn->start_pfn + mn->nr_pages <= snp_rmp_table()->nr_pfns)
		return NOTIFY_OK;

	pr_warn("refusing to online PFNs %#lx-%#lx: the RMP table ends at PFN %#llx\n",
		mn->start_pfn, mn->start_pfn + mn->nr_pages - 1,
		snp_rmp_table()->nr_pfns);
	return NOTIFY_BAD;
}

static struct notifier_block snp_memory_nb = {
	.notifier_call = snp_memory_notify,
};

static enum snp_host_reason __init snp_rmp_enable(void)
{
	u64 base = snp_facts.rmp_base, end = snp_facts.rmp_end;
	struct rmp_table t;
	void *va;
	u64 syscfg;
	int ret;

	va = memremap(base, end - base + 1, MEMREMAP_WB);
	if (!va)
		return SNP_HOST_RMP_MAP_FAILED;

	/*
	 * A kernel kexec'd from an SNP host finds SNP enabled already. The
	 * RMP cannot be written then, and still describes the pages the
	 * previous kernel gave away, so it is taken over as it is.
	 */
	rdmsrl(MSR_AMD64_SYSCFG, syscfg);
	if (syscfg & MSR_AMD64_SYSCFG_SNP_EN) {
		pr_info("SNP already enabled, keeping the RMP table\n");
	} else {
		memset(va, 0, end - base + 1);
		/* Nothing of the old table may linger in any cache. */
		wbinvd_on_all_cpus();
		on_each_cpu(snp_set_mfdm, NULL, 1);
	}

	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "x86/sev-snp:online",
				snp_enable_this_cpu, NULL);
	if (ret < 0) {
		memunmap(va);
		return SNP_HOST_CPU_ENABLE_FAILED;
	}
	register_syscore_ops(&snp_syscore_ops);
	register_memory_notifier(&snp_memory_nb);

	t.entries = va + RMP_BOOKKEEPING_SIZE;
	t.nr_pfns = rmp_table_nr_pfns(base, end);
	snp_rmp_table_set(&t);
	snp_host_set_active(true);
	return SNP_HOST_OK;
}

static void __init snp_host_report(void)
{
	const struct snp_host_facts *f = &snp_facts;
	const char *why = snp_host_reason_text(snp_reason);

	switch (snp_reason) {
	case SNP_HOST_OK:
		pr_info("host support enabled: RMP table %#llx-%#llx covers %llu MiB\n",
			f->rmp_base, f->rmp_end,
			rmp_table_nr_pfns(f->rmp_base, f->rmp_end) >> (20 - PAGE_SHIFT));
		break;
	case SNP_HOST_NOT_AMD:
		break;
	case SNP_HOST_NO_SVM:
	case SNP_HOST_NO_SNP:
	case SNP_HOST_OLD_FAMILY:
	case SNP_HOST_GUEST:
		pr_info("host support disabled: %s\n", why);
		break;
	case SNP_HOST_RMP_MALFORMED:
	case SNP_HOST_RMP_TOO_SMALL:
		pr_warn("host support disabled: %s (RMP_BASE %#llx, RMP_END %#llx, RAM ends at PFN %#llx)\n",
			why, f->rmp_base, f->rmp_end, f->ram_end_pfn);
		break;
	default:
		pr_warn("host support disabled: %s\n", why);
		break;
	}
}

static int __init snp_host_init(void)
{
	/* An IOMMU that failed after accepting SNP mode has dropped it. */
	if (snp_reason == SNP_HOST_OK && !amd_iommu_snp_en)
		snp_reason = SNP_HOST_IOMMU_FAILED;
	if (snp_reason == SNP_HOST_OK)
		snp_reason = snp_rmp_enable();
	snp_host_report();
	return 0;
}

/* After the IOMMU (rootfs_initcall), before the PSP driver probes. */
device_initcall(snp_host_init);
