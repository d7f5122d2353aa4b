// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV-SNP host: debugfs view for administrators, in <debugfs>/x86/sev_snp/:
 *
 *  status        "enabled", or why SNP host support is off
 *  rmp_pfn       PFN whose RMP entry rmp_entry shows (write to select)
 *  rmp_entry     the decoded RMP entry of rmp_pfn
 *  leaked_pages  pages given up because the firmware kept them
 */

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/seq_file.h>

#include "rmp.h"

static u64 snp_debugfs_pfn;

static int snp_status_show(struct seq_file *m, void *unused)
{
	enum snp_host_reason reason = snp_host_reason();

	if (reason == SNP_HOST_OK)
		seq_puts(m, "enabled\n");
	else
		seq_printf(m, "disabled: %s\n", snp_host_reason_text(reason));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(snp_status);

static int snp_rmp_entry_show(struct seq_file *m, void *unused)
{
	u64 pfn = READ_ONCE(snp_debugfs_pfn);
	struct snp_rmp_info info;
	int ret;

	ret = snp_rmp_lookup(pfn, &info);
	if (ret)
		return ret;

	seq_printf(m, "pfn:       %#llx\n", pfn);
	seq_printf(m, "assigned:  %d\n", info.assigned);
	seq_printf(m, "page size: %s\n", info.level == PG_LEVEL_2M ? "2M" : "4K");
	seq_printf(m, "asid:      %u\n", info.asid);
	seq_printf(m, "gpa:       %#llx\n", info.gpa);
	seq_printf(m, "immutable: %d\n", info.immutable);
	seq_printf(m, "validated: %d\n", info.validated);
	seq_printf(m, "vmsa:      %d\n", info.vmsa);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(snp_rmp_entry);

static void snp_leaked_range_show(void *arg, u64 pfn, unsigned int npages)
{
	seq_printf(arg, "%#llx-%#llx\n", pfn, pfn + npages - 1);
}

static int snp_leaked_pages_show(struct seq_file *m, void *unused)
{
	unsigned long unrecorded;

	seq_printf(m, "total: %lu\n", snp_nr_leaked_pages());
	snp_leaked_ranges_walk(snp_leaked_range_show, m, &unrecorded);
	if (unrecorded)
		seq_printf(m, "not listed for lack of memory: %lu\n", unrecorded);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(snp_leaked_pages);

static int __init snp_debugfs_init(void)
{
	struct dentry *dir;

	if (snp_host_reason() == SNP_HOST_NOT_AMD)
		return 0;

	dir = debugfs_create_dir("sev_snp", arch_debugfs_dir);
	debugfs_create_file("status", 0400, dir, NULL, &snp_status_fops);
	debugfs_create_x64("rmp_pfn", 0600, dir, &snp_debugfs_pfn);
	debugfs_create_file("rmp_entry", 0400, dir, NULL, &snp_rmp_entry_fops);
	debugfs_create_file("leaked_pages", 0400, dir, NULL,
			    &snp_leaked_pages_fops);
	return 0;
}

/* After snp_host_init() has decided. */
late_initcall(snp_debugfs_init);
