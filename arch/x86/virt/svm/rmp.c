// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV-SNP host: RMP lookups and the operations that change page ownership.
 *
 * The RMP holds one entry per 4 KiB page of system memory and says whether
 * the page belongs to the host, the PSP firmware or a guest. The host reads
 * it directly; it changes it only with RMPUPDATE and PSMASH. Both
 * instructions are reached through static calls so that the KUnit tests
 * can run the code on a software RMP, at no cost to the hardware path.
 */

#define pr_fmt(fmt)	"SEV-SNP: " fmt

#include <linux/list.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/set_memory.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/static_call.h>
#include <linux/pgtable.h>

#include "rmp.h"

static struct rmp_table snp_rmp __read_mostly;
static bool snp_active __read_mostly;

/**
 * snp_host_active() - whether the kernel runs as an SEV-SNP host
 *
 * True once SNP is enabled on every CPU with an RMP table that covers all
 * memory and an IOMMU that enforces it. Users of the RMP operations check
 * it before offering SNP.
 *
 * Return: true when SNP guests can be run.
 */
bool snp_host_active(void)
{
	return READ_ONCE(snp_active);
}
EXPORT_SYMBOL_GPL(snp_host_active);

void snp_host_set_active(bool active)
{
	WRITE_ONCE(snp_active, active);
}

const struct rmp_table *snp_rmp_table(void)
{
	return &snp_rmp;
}

void snp_rmp_table_set(const struct rmp_table *t)
{
	snp_rmp = *t;
}

static int rmp_update_hw(u64 spa, const struct rmp_state *st)
{
	int ret;

	/* RMPUPDATE: RAX = page address, RCX = new state; status in EAX */
	asm volatile(".byte 0xf2, 0x0f, 0x01, 0xfe"
		     : "=a" (ret)
		     : "a" (spa), "c" (st)
		     : "memory", "cc");
	return ret;
}

static int rmp_psmash_hw(u64 spa)
{
	int ret;

	/* PSMASH: RAX = 2 MiB aligned address; status in EAX */
	asm volatile(".byte 0xf3, 0x0f, 0x01, 0xff"
		     : "=a" (ret)
		     : "a" (spa)
		     : "memory", "cc");
	return ret;
}

DEFINE_STATIC_CALL(rmp_update_insn, rmp_update_hw);
DEFINE_STATIC_CALL(rmp_psmash_insn, rmp_psmash_hw);

/* FAIL_INUSE and FAIL_OVERLAP mean another CPU holds the entries now. */
static bool rmp_insn_busy(int status)
{
	return status == RMP_INSN_FAIL_INUSE ||
	       status == RMP_INSN_FAIL_OVERLAP;
}

int rmp_table_lookup(const struct rmp_table *t, u64 pfn,
		     struct snp_rmp_info *info)
{
	struct rmp_raw_entry e, head;
	u64 head_pfn = ALIGN_DOWN(pfn, RMP_PFNS_PER_2M);

	if (pfn >= t->nr_pfns)
		return -ERANGE;

	e.lo = READ_ONCE(t->entries[pfn].lo);
	head.lo = READ_ONCE(t->entries[head_pfn].lo);
	rmp_entry_decode(&e, &head, pfn, info);
	return 0;
}

/* Callers have checked @pfn and @level with rmp_check_pfn(). */
int rmp_table_update(const struct rmp_table *t, u64 pfn,
		     enum pg_level level, const struct rmp_state *st)
{
	int status, tries = 0;

	do {
		status = static_call(rmp_update_insn)(PFN_PHYS(pfn), st);
		if (!rmp_insn_busy(status))
			break;
		cpu_relax();
	} while (++tries < RMP_INSN_RETRIES);

	if (rmp_insn_busy(status))
		return -EBUSY;
	if (status) {
		pr_err_ratelimited("RMPUPDATE of PFN %#llx (level %d) failed with status %d\n",
				   pfn, level, status);
		return -EIO;
	}
	return 0;
}

int rmp_table_psmash(const struct rmp_table *t, u64 pfn)
{
	int status, tries = 0, ret;

	ret = rmp_check_pfn(t, pfn, PG_LEVEL_2M);
	if (ret)
		return ret;

	do {
		status = static_call(rmp_psmash_insn)(PFN_PHYS(pfn));
		if (status != RMP_INSN_FAIL_INUSE)
			break;
		cpu_relax();
	} while (++tries < RMP_INSN_RETRIES);

	if (status == RMP_INSN_FAIL_INUSE)
		return -EBUSY;
	if (status) {
		pr_err_ratelimited("PSMASH of PFN %#llx failed with status %d\n",
				   pfn, status);
		return -EIO;
	}
	return 0;
}

/**
 * snp_rmp_lookup() - read the RMP entry of a page
 * @pfn: the page
 * @info: the decoded entry
 *
 * Return: 0; -ENODEV when SNP is not active; -ERANGE when the RMP does not
 * describe @pfn.
 */
int snp_rmp_lookup(u64 pfn, struct snp_rmp_info *info)
{
	if (!snp_host_active())
		return -ENODEV;
	return rmp_table_lookup(&snp_rmp, pfn, info);
}
EXPORT_SYMBOL_GPL(snp_rmp_lookup);

/*
 * A host access through a mapping larger than the RMP page it touches
 * faults when any page under that mapping is assigned. Before part of a
 * large direct-map mapping becomes private, split the mapping so the host
 * keeps access to the rest of it.
 */
static int snp_split_direct_map(u64 pfn, enum pg_level level)
{
	unsigned int npages = level == PG_LEVEL_2M ? RMP_PFNS_PER_2M : 1;
	unsigned long vaddr;
	unsigned int map_level;
	pte_t *pte;
	int ret;

	if (!pfn_range_is_mapped(pfn, pfn + npages))
		return 0;

	vaddr = (unsigned long)pfn_to_kaddr(pfn);
	pte = lookup_address(vaddr, &map_level);
	if (!pte || map_level <= level)
		return 0;

	ret = set_memory_4k(vaddr, npages);
	if (ret)
		pr_err("cannot split the direct map at PFN %#llx: %d\n",
		       pfn, ret);
	return ret;
}

/**
 * snp_rmp_make_private() - assign a page to a guest or to the firmware
 * @pfn: the page; 2 MiB aligned for PG_LEVEL_2M
 * @gpa: guest physical address it is assigned to, aligned like @pfn
 * @level: PG_LEVEL_4K or PG_LEVEL_2M
 * @asid: the guest's ASID, or 0 for a firmware page
 * @immutable: whether only the firmware may change the entry afterwards
 *
 * Splits the direct map around the page first when a larger mapping
 * covers it.
 *
 * Context: process context; may sleep.
 * Return: 0; -ENODEV when SNP is not active; -EINVAL or -ERANGE for bad
 * arguments; -EBUSY when the entries stayed in use by other CPUs; -EIO
 * when RMPUPDATE failed; -ENOMEM when the direct map could not be split.
 */
int snp_rmp_make_private(u64 pfn, u64 gpa, enum pg_level level, u32 asid,
			 bool immutable)
{
	struct rmp_state st;
	int ret;

	might_sleep();

	if (!snp_host_active())
		return -ENODEV;

	ret = rmp_state_encode(&st, gpa, level, asid, immutable);
	if (ret)
		return ret;
	ret = rmp_check_pfn(&snp_rmp, pfn, level);
	if (ret)
		return ret;
	ret = snp_split_direct_map(pfn, level);
	if (ret)
		return ret;

	return rmp_table_update(&snp_rmp, pfn, level, &st);
}
EXPORT_SYMBOL_GPL(snp_rmp_make_private);

/**
 * snp_rmp_make_shared() - give a page back to the host
 * @pfn: the page; 2 MiB aligned for PG_LEVEL_2M
 * @level: PG_LEVEL_4K or PG_LEVEL_2M
 *
 * Only for pages the host may take back itself: a firmware-owned or
 * immutable page has to be reclaimed through the firmware, and RMPUPDATE
 * refuses it.
 *
 * Return: 0; -ENODEV when SNP is not active; -EINVAL or -ERANGE for bad
 * arguments; -EBUSY or -EIO when RMPUPDATE failed.
 */
int snp_rmp_make_shared(u64 pfn, enum pg_level level)
{
	struct rmp_state st = {};
	int ret;

	if (!snp_host_active())
		return -ENODEV;

	ret = rmp_check_pfn(&snp_rmp, pfn, level);
	if (ret)
		return ret;

	st.pagesize = rmp_state_pagesize(level);
	return rmp_table_update(&snp_rmp, pfn, level, &st);
}
EXPORT_SYMBOL_GPL(snp_rmp_make_shared);

/**
 * snp_psmash() - split a 2 MiB RMP entry into 512 4 KiB entries
 * @pfn: first page of the 2 MiB region
 *
 * The 4 KiB entries keep the owner and validation state of the 2 MiB one.
 * From now on the pages can change hands one by one, so a direct-map
 * mapping larger than 4 KiB over them is split first: the host must be
 * able to write a page it gets back while its neighbours stay assigned.
 *
 * Context: process context; may sleep.
 * Return: 0; -ENODEV when SNP is not active; -EINVAL or -ERANGE for a bad
 * @pfn; -EBUSY or -EIO when PSMASH failed; -ENOMEM when the direct map
 * could not be split.
 */
int snp_psmash(u64 pfn)
{
	int ret;

	might_sleep();

	if (!snp_host_active())
		return -ENODEV;

	ret = rmp_check_pfn(&snp_rmp, pfn, PG_LEVEL_2M);
	if (ret)
		return ret;
	ret = snp_split_direct_map(pfn, PG_LEVEL_4K);
	if (ret)
		return ret;

	return rmp_table_psmash(&snp_rmp, pfn);
}
EXPORT_SYMBOL_GPL(snp_psmash);

/*
 * Pages the host could not get back from the firmware or a guest. They
 * keep an extra reference forever so nothing reuses them; the ranges are
 * recorded for the debugfs report where memory allows.
 */
struct snp_leaked_range {
	struct list_head list;
	u64 pfn;
	unsigned int npages;
};

static LIST_HEAD(snp_leaked_ranges);
static DEFINE_SPINLOCK(snp_leak_lock);
static unsigned long snp_leaked_pages;
static unsigned long snp_leaked_unrecorded;

/**
 * snp_leak_pages() - take pages out of use for good
 * @pfn: first page
 * @npages: number of pages
 *
 * For pages whose RMP entry the host could not reset, typically because
 * the firmware failed to reclaim them: handing them back to the page
 * allocator would let the host fault on them, or give guest data to
 * someone else. The caller must hold a reference to the pages and forget
 * them afterwards.
 *
 * Context: any context.
 */
void snp_leak_pages(u64 pfn, unsigned int npages)
{
	struct snp_leaked_range *r;
	unsigned long flags;
	u64 i;

	for (i = pfn; i < pfn + npages; i++) {
		/*
		 * A free page is already back in the allocator: nothing can
		 * keep it from being reused, so at least say so.
		 */
		if (pfn_valid(i) && !get_page_unless_zero(pfn_to_page(i)))
			pr_err("leaked PFN %#llx was already freed; it may be reused\n",
			       i);
	}

	r = kmalloc(sizeof(*r), GFP_ATOMIC | __GFP_NOWARN);

	spin_lock_irqsave(&snp_leak_lock, flags);
	snp_leaked_pages += npages;
	if (r) {
		r->pfn = pfn;
		r->npages = npages;
		list_add_tail(&r->list, &snp_leaked_ranges);
	} else {
		snp_leaked_unrecorded += npages;
	}
	spin_unlock_irqrestore(&snp_leak_lock, flags);

	pr_warn_ratelimited("leaked %u page(s) at PFN %#llx, %lu in total\n",
			    npages, pfn, snp_nr_leaked_pages());
}
EXPORT_SYMBOL_GPL(snp_leak_pages);

/**
 * snp_nr_leaked_pages() - number of pages given up with snp_leak_pages()
 *
 * Return: the count since boot.
 */
unsigned long snp_nr_leaked_pages(void)
{
	return READ_ONCE(snp_leaked_pages);
}
EXPORT_SYMBOL_GPL(snp_nr_leaked_pages);

/* Report the leaked ranges through @show; used by debugfs. */
void snp_leaked_ranges_walk(snp_leak_show_t show, void *arg,
			    unsigned long *unrecorded)
{
	struct snp_leaked_range *r;
	unsigned long flags;

	spin_lock_irqsave(&snp_leak_lock, flags);
	list_for_each_entry(r, &snp_leaked_ranges, list)
		show(arg, r->pfn, r->npages);
	*unrecorded = snp_leaked_unrecorded;
	spin_unlock_irqrestore(&snp_leak_lock, flags);
}
