// SPDX-License-Identifier: GPL-2.0
/*
 * snp-launch: launch the memory of an SEV-SNP guest through KVM's upstream
 * uAPI (Linux 6.11 and later) and tear it down again, first without vCPUs:
 *
 *   KVM_CREATE_VM(KVM_X86_SNP_VM), KVM_SEV_INIT2, a 16-page guest_memfd
 *   slot at GPA 0 set private, KVM_SEV_SNP_LAUNCH_START (policy 0x30000),
 *   one KVM_SEV_SNP_LAUNCH_UPDATE per page type, two that must fail, and
 *   KVM_SEV_SNP_LAUNCH_FINISH with host data but no ID block.
 *
 * Then the same launch again (the same pages in the same order, without
 * the two updates that must fail), each time in a new VM, torn down after:
 *
 *   id-block                  LAUNCH_FINISH with an ID block naming the
 *                             launch digest and policy, and its ID
 *                             authentication (auth_key_en=1): must succeed
 *   id-block-bad-measurement  an ID block with a wrong LD, validly signed:
 *                             must fail with BAD_MEASUREMENT (0x0B)
 *   id-block-bad-signature    ID_BLOCK_SIG broken: BAD_SIGNATURE (0x0A)
 *   id-block-bad-policy       POLICY 0x30001, validly signed:
 *                             POLICY_FAILURE (0x07)
 *   id-block-bad-author-sig   ID_KEY_SIG broken, auth_key_en=1:
 *                             BAD_SIGNATURE (0x0A)
 *   launch-vmsa               with one vCPU (KVM_CREATE_VCPU, never run),
 *                             whose VMSA LAUNCH_FINISH measures last;
 *                             no ID block
 *
 * The ID blocks are made on the host by tests/make_id_block.py (the launch
 * digest from tests/launch-digest/test_launch_digest.py --print-ld) and
 * read from DIR (--id-dir, default /id-block): id_block.bin and id_auth.bin,
 * and id_block.<case>.bin and id_auth.<case>.bin for each bad case.
 *
 * The guest's pages, in measurement order (the host's test recomputes the
 * launch digest from exactly these, see tests/launch-digest/):
 *
 *   gfn 0    NORMAL      byte i = (i * 7 + 1) & 0xff
 *   gfn 1-2  NORMAL      byte i of the 8 KiB = (i * 13 + 5) & 0xff (so
 *                        both pages are the same; their GPAs differ)
 *   gfn 3    ZERO
 *   gfn 4    UNMEASURED  0xa5 bytes
 *   gfn 5    SECRETS     zeroed source page
 *   gfn 6    CPUID       leaves 0x1 and 0x7.0 as the CPUID instruction
 *                        returns them on CPU 0
 *
 * then, in the first launch only, the cases that must fail: a CPUID page
 * at gfn 7 that claims every bit of leaf 0x7.0 EBX/ECX/EDX (INVALID_PARAM;
 * the firmware corrects the page and KVM copies it back), and a second
 * update of gfn 0. Only launch-vmsa creates a vCPU, so only its
 * LAUNCH_FINISH measures a VMSA.
 *
 * The output is KTAP (kselftest.h): test 1, "snp-launch", is the first
 * launch, with one subtest per step ("ok 3 vm-types # mask=0x1f", "not ok
 * 5 init2 # errno=<n> fw_error=0x<x> (<errno name>) [details]"); tests 2
 * and 3 are the two updates that must fail ("cpuid-fixup", "reupdate"),
 * then one test per later launch (which names the step that failed). A
 * diagnostic "# launched <launch>" follows each LAUNCH_START that worked
 * (the first launch is "snp-launch"), so that the host can tell which
 * launch of the model's digest log is which. Exit status 0 when every step
 * went as expected, else 1.
 *
 * --kmsg-mark PREFIX writes "PREFIX<launch>" to /dev/kmsg before each
 * launch and "PREFIXsnp-launch" after the last, so that the host can tell
 * which launch made the kernel print what.
 *
 * Built static on the build machine, whose uAPI headers are Linux 6.1's:
 * the upstream structures are defined here under their own names and their
 * layout is checked at build time. The L3 test of Debian's stock 6.12
 * kernel (harness/bin/l3-stock.sh) runs it on the SNP platform model.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>
#include <linux/types.h>

#include "kselftest.h"

#ifndef __packed
#define __packed __attribute__((packed))
#endif

#define PAGE_SIZE	4096UL
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#define NR_PAGES	16

/* arch/x86/include/uapi/asm/kvm.h (6.12) */
#define UP_KVM_X86_SNP_VM			4
#define UP_KVM_SEV_INIT2			22
#define UP_KVM_SEV_SNP_LAUNCH_START		100
#define UP_KVM_SEV_SNP_LAUNCH_UPDATE		101
#define UP_KVM_SEV_SNP_LAUNCH_FINISH		102
#define UP_KVM_SEV_SNP_PAGE_TYPE_NORMAL		1
#define UP_KVM_SEV_SNP_PAGE_TYPE_ZERO		3
#define UP_KVM_SEV_SNP_PAGE_TYPE_UNMEASURED	4
#define UP_KVM_SEV_SNP_PAGE_TYPE_SECRETS	5
#define UP_KVM_SEV_SNP_PAGE_TYPE_CPUID		6
#define UP_KVM_SEV_SNP_FINISH_DATA_SIZE		32
#define UP_KVM_SEV_SNP_ID_BLOCK_SIZE		96
#define UP_KVM_SEV_SNP_ID_AUTH_SIZE		4096

/* include/uapi/linux/kvm.h (6.12) */
#define UP_KVM_MEM_GUEST_MEMFD			(1U << 2)
#define UP_KVM_MEMORY_ATTRIBUTE_PRIVATE		(1ULL << 3)
#define UP_KVM_CAP_VM_TYPES			235

/* SEV firmware status (include/uapi/linux/psp-sev.h) */
#define SEV_RET_POLICY_FAILURE			0x07
#define SEV_RET_BAD_SIGNATURE			0x0a
#define SEV_RET_BAD_MEASUREMENT			0x0b
#define SEV_RET_INVALID_PARAM			0x16

struct up_kvm_sev_cmd {
	__u32 id;
	__u32 pad0;
	__u64 data;
	__u32 error;
	__u32 sev_fd;
};

struct up_kvm_sev_init {
	__u64 vmsa_features;
	__u32 flags;
	__u16 ghcb_version;
	__u16 pad1;
	__u32 pad2[8];
};

struct up_kvm_sev_snp_launch_start {
	__u64 policy;
	__u8 gosvw[16];
	__u16 flags;
	__u8 pad0[6];
	__u64 pad1[4];
};

struct up_kvm_sev_snp_launch_update {
	__u64 gfn_start;
	__u64 uaddr;
	__u64 len;
	__u8 type;
	__u8 pad0;
	__u16 flags;
	__u32 pad1;
	__u64 pad2[4];
};

struct up_kvm_sev_snp_launch_finish {
	__u64 id_block_uaddr;
	__u64 id_auth_uaddr;
	__u8 id_block_en;
	__u8 auth_key_en;
	__u8 vcek_disabled;
	__u8 host_data[UP_KVM_SEV_SNP_FINISH_DATA_SIZE];
	__u8 pad0[3];
	__u16 flags;
	__u64 pad1[4];
};

struct up_kvm_userspace_memory_region2 {
	__u32 slot;
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;
	__u64 userspace_addr;
	__u64 guest_memfd_offset;
	__u32 guest_memfd;
	__u32 pad1;
	__u64 pad2[14];
};

struct up_kvm_memory_attributes {
	__u64 address;
	__u64 size;
	__u64 attributes;
	__u64 flags;
};

struct up_kvm_create_guest_memfd {
	__u64 size;
	__u64 flags;
	__u64 reserved[6];
};

#define UP_KVM_SET_USER_MEMORY_REGION2 \
	_IOW(KVMIO, 0x49, struct up_kvm_userspace_memory_region2)
#define UP_KVM_SET_MEMORY_ATTRIBUTES \
	_IOW(KVMIO, 0xd2, struct up_kvm_memory_attributes)
#define UP_KVM_CREATE_GUEST_MEMFD \
	_IOWR(KVMIO, 0xd4, struct up_kvm_create_guest_memfd)

/* The SNP CPUID page (struct snp_cpuid_table of arch/x86/coco/sev). */
#define SNP_CPUID_COUNT_MAX	64

struct snp_cpuid_fn {
	__u32 eax_in;
	__u32 ecx_in;
	__u64 xcr0_in;
	__u64 xss_in;
	__u32 eax;
	__u32 ebx;
	__u32 ecx;
	__u32 edx;
	__u64 reserved;
} __packed;

struct snp_cpuid_table {
	__u32 count;
	__u32 reserved1;
	__u64 reserved2;
	struct snp_cpuid_fn fn[SNP_CPUID_COUNT_MAX];
} __packed;

_Static_assert(sizeof(struct up_kvm_sev_cmd) == 24, "kvm_sev_cmd size");
_Static_assert(offsetof(struct up_kvm_sev_cmd, data) == 8, "kvm_sev_cmd.data");
_Static_assert(offsetof(struct up_kvm_sev_cmd, error) == 0x10, "kvm_sev_cmd.error");
_Static_assert(offsetof(struct up_kvm_sev_cmd, sev_fd) == 0x14, "kvm_sev_cmd.sev_fd");
_Static_assert(sizeof(struct up_kvm_sev_init) == 48, "kvm_sev_init size");
_Static_assert(offsetof(struct up_kvm_sev_init, flags) == 8, "kvm_sev_init.flags");
_Static_assert(offsetof(struct up_kvm_sev_init, ghcb_version) == 0xc,
	       "kvm_sev_init.ghcb_version");
_Static_assert(offsetof(struct up_kvm_sev_init, pad2) == 0x10, "kvm_sev_init.pad2");
_Static_assert(sizeof(struct up_kvm_sev_snp_launch_start) == 64, "launch_start size");
_Static_assert(offsetof(struct up_kvm_sev_snp_launch_start, gosvw) == 8,
	       "launch_start.gosvw");
_Static_assert(offsetof(struct up_kvm_sev_snp_launch_start, flags) == 0x18,
	       "launch_start.flags");
_Static_assert(offsetof(struct up_kvm_sev_snp_launch_start, pad1) == 0x20,
	       "launch_start.pad1");
_Static_assert(sizeof(struct up_kvm_sev_snp_launch_update) == 64, "launch_update size");
_Static_assert(offsetof(struct up_kvm_sev_snp_launch_update, uaddr) == 8,
	       "launch_update.uaddr");
_Static_assert(offsetof(struct up_kvm_sev_snp_launch_update, len) == 0x10,
	       "launch_update.len");
_Static_assert(offsetof(struct up_kvm_sev_snp_launch_update, type) == 0x18,
	       "launch_update.type");
_Static_assert(offsetof(struct up_kvm_sev_snp_launch_update, flags) == 0x1a,
	       "launch_update.flags");
_Static_assert(offsetof(struct up_kvm_sev_snp_launch_update, pad2) == 0x20,
	       "launch_update.pad2");
_Static_assert(sizeof(struct up_kvm_sev_snp_launch_finish) == 88, "launch_finish size");
_Static_assert(offsetof(struct up_kvm_sev_snp_launch_finish, id_block_en) == 0x10,
	       "launch_finish.id_block_en");
_Static_assert(offsetof(struct up_kvm_sev_snp_launch_finish, host_data) == 0x13,
	       "launch_finish.host_data");
_Static_assert(offsetof(struct up_kvm_sev_snp_launch_finish, flags) == 0x36,
	       "launch_finish.flags");
_Static_assert(offsetof(struct up_kvm_sev_snp_launch_finish, pad1) == 0x38,
	       "launch_finish.pad1");
_Static_assert(sizeof(struct up_kvm_userspace_memory_region2) == 160, "region2 size");
_Static_assert(offsetof(struct up_kvm_userspace_memory_region2, userspace_addr) == 0x18,
	       "region2.userspace_addr");
_Static_assert(offsetof(struct up_kvm_userspace_memory_region2, guest_memfd_offset) == 0x20,
	       "region2.guest_memfd_offset");
_Static_assert(offsetof(struct up_kvm_userspace_memory_region2, guest_memfd) == 0x28,
	       "region2.guest_memfd");
_Static_assert(offsetof(struct up_kvm_userspace_memory_region2, pad2) == 0x30,
	       "region2.pad2");
_Static_assert(sizeof(struct up_kvm_memory_attributes) == 32, "memory_attributes size");
_Static_assert(sizeof(struct up_kvm_create_guest_memfd) == 64, "create_guest_memfd size");
_Static_assert(sizeof(struct snp_cpuid_fn) == 48, "snp_cpuid_fn size");
_Static_assert(offsetof(struct snp_cpuid_fn, eax) == 0x18, "snp_cpuid_fn.eax");
_Static_assert(offsetof(struct snp_cpuid_table, fn) == 16, "snp_cpuid_table.fn");
_Static_assert(sizeof(struct snp_cpuid_table) <= PAGE_SIZE, "CPUID table fits a page");

/* The ioctl numbers, as upstream's headers compute them. */
_Static_assert(KVM_CREATE_VM == 0xae01, "KVM_CREATE_VM");
_Static_assert(KVM_CHECK_EXTENSION == 0xae03, "KVM_CHECK_EXTENSION");
_Static_assert(KVM_MEMORY_ENCRYPT_OP == 0xc008aeba, "KVM_MEMORY_ENCRYPT_OP");
_Static_assert(UP_KVM_SET_USER_MEMORY_REGION2 == 0x40a0ae49,
	       "KVM_SET_USER_MEMORY_REGION2");
_Static_assert(UP_KVM_SET_MEMORY_ATTRIBUTES == 0x4020aed2, "KVM_SET_MEMORY_ATTRIBUTES");
_Static_assert(UP_KVM_CREATE_GUEST_MEMFD == 0xc040aed4, "KVM_CREATE_GUEST_MEMFD");

static int kvm_fd = -1, sev_fd = -1;
/* The VM of the current launch */
static int vm_fd = -1, gmem_fd = -1, vcpu_fd = -1;
static unsigned char *shared;
static int failures;

/*
 * The steps of a later launch are not printed one by one: step_ok() is
 * quiet, step_fail() keeps the first failure in quiet_why for the
 * launch's own line (and does not count it: the launch's line does).
 */
static bool quiet;
static char quiet_why[512];

/*
 * KTAP: while the first launch runs, its steps are the subtests of test 1
 * (depth 1, indented). cpuid-fixup and reupdate run during that launch but
 * are tests of their own: their results wait in deferred[] until test 1
 * is printed. first_fail is the first launch's first failure, the reason
 * of the tests that could not run after it.
 */
#define FIRST_LAUNCH_STEPS	18

static int depth;
static unsigned int sub_n;
static bool sub_failed;
static char first_fail[512];

struct deferred {
	const char *name;
	bool set, ok;
	char detail[512];
};

static struct deferred deferred[2] = { { "cpuid-fixup" }, { "reupdate" } };
static struct deferred *defer_to;

/* A result line at the current depth; @detail may be NULL. */
static void test_result(bool ok, const char *name, const char *detail)
{
	const char *sep = detail && *detail ? " # " : "";

	if (!detail)
		detail = "";
	if (depth) {
		printf("    %sok %u %s%s%s\n", ok ? "" : "not ", ++sub_n, name, sep, detail);
		sub_failed |= !ok;
	} else if (ok) {
		ksft_test_result_pass("%s%s%s\n", name, sep, detail);
	} else {
		ksft_test_result_fail("%s%s%s\n", name, sep, detail);
	}
	fflush(stdout);
}

/* A diagnostic line at the current depth. */
static void diag(const char *fmt, ...)
{
	va_list ap;

	printf("%s# ", depth ? "    " : "");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static const char *id_dir = "/id-block";
static const char *mark_prefix;

static const char *errno_name(int err)
{
	const char *name = err ? strerrorname_np(err) : "no error";

	return name ? name : "unknown errno";
}

static void step_ok(const char *step, const char *fmt, ...)
{
	char detail[384] = "";
	va_list ap;

	if (quiet)
		return;
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(detail, sizeof(detail), fmt, ap);
		va_end(ap);
	}
	if (defer_to) {
		defer_to->set = true;
		defer_to->ok = true;
		snprintf(defer_to->detail, sizeof(defer_to->detail), "%s", detail);
		return;
	}
	test_result(true, step, detail);
}

static void step_fail(const char *step, int err, __u32 fw_error, const char *fmt, ...)
{
	char detail[384] = "";
	va_list ap;

	if (fmt) {
		detail[0] = ' ';
		va_start(ap, fmt);
		vsnprintf(detail + 1, sizeof(detail) - 1, fmt, ap);
		va_end(ap);
	}
	if (quiet) {
		if (!quiet_why[0])
			snprintf(quiet_why, sizeof(quiet_why),
				 "at %s: errno=%d fw_error=0x%x (%s)%s", step, err,
				 fw_error, errno_name(err), detail);
		return;
	}
	failures++;
	if (defer_to) {
		defer_to->set = true;
		defer_to->ok = false;
		snprintf(defer_to->detail, sizeof(defer_to->detail),
			 "errno=%d fw_error=0x%x (%s)%s", err, fw_error, errno_name(err), detail);
		return;
	}
	if (depth && !first_fail[0])
		snprintf(first_fail, sizeof(first_fail), "at %s: errno=%d fw_error=0x%x (%s)%s",
			 step, err, fw_error, errno_name(err), detail);
	{
		char line[512];

		snprintf(line, sizeof(line), "errno=%d fw_error=0x%x (%s)%s", err, fw_error,
			 errno_name(err), detail);
		test_result(false, step, line);
	}
}

/* "PREFIX<what>" to /dev/kmsg, with --kmsg-mark PREFIX */
static void mark_dmesg(const char *what)
{
	char line[256];
	int fd, n;

	if (!mark_prefix)
		return;
	n = snprintf(line, sizeof(line), "%s%s\n", mark_prefix, what);
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, line, n) != n)
		diag("cannot write to /dev/kmsg: errno %d", errno);
	if (fd >= 0)
		close(fd);
}

/* KVM_MEMORY_ENCRYPT_OP; errno is kept from the ioctl. */
static int sev_op(__u32 id, void *data, __u32 *fw_error)
{
	struct up_kvm_sev_cmd cmd = {
		.id = id,
		.data = (__u64)(unsigned long)data,
		.sev_fd = sev_fd,
	};
	int ret, err;

	ret = ioctl(vm_fd, KVM_MEMORY_ENCRYPT_OP, &cmd);
	err = errno;
	*fw_error = cmd.error;
	errno = err;
	return ret;
}

/*
 * KVM_SEV_SNP_LAUNCH_UPDATE of @npages pages from @gfn, until KVM has
 * taken them all (it returns the unprocessed rest in the parameters).
 * Returns 0, or -1 with *err and *fw_error set (*err 0: no progress).
 */
static int launch_update(__u64 gfn, void *src, __u64 npages, __u8 type,
			 int *err, __u32 *fw_error)
{
	struct up_kvm_sev_snp_launch_update u = {
		.gfn_start = gfn,
		.uaddr = (__u64)(unsigned long)src,
		.len = npages * PAGE_SIZE,
		.type = type,
	};
	__u64 len;

	*err = 0;
	*fw_error = 0;
	while (u.len) {
		len = u.len;
		if (sev_op(UP_KVM_SEV_SNP_LAUNCH_UPDATE, &u, fw_error)) {
			*err = errno;
			return -1;
		}
		if (u.len >= len)
			return -1;
	}
	if (u.gfn_start != gfn + npages)
		return -1;
	return 0;
}

static void cpuid_fn(struct snp_cpuid_fn *fn, __u32 leaf, __u32 subleaf)
{
	unsigned int a, b, c, d;

	__cpuid_count(leaf, subleaf, a, b, c, d);
	memset(fn, 0, sizeof(*fn));
	fn->eax_in = leaf;
	fn->ecx_in = subleaf;
	fn->eax = a;
	fn->ebx = b;
	fn->ecx = c;
	fn->edx = d;
}

/* Leaves 0x1 and 0x7.0 with the values the CPU returns. */
static void cpuid_page(struct snp_cpuid_table *t)
{
	memset(t, 0, PAGE_SIZE);
	t->count = 2;
	cpuid_fn(&t->fn[0], 0x1, 0);
	cpuid_fn(&t->fn[1], 0x7, 0);
}

struct update_case {
	const char *step;
	__u64 gfn;
	__u64 npages;
	__u8 type;
};

/* The measured pages, in the order the host's digest check expects. */
static const struct update_case updates[] = {
	{ "update-normal-0", 0, 1, UP_KVM_SEV_SNP_PAGE_TYPE_NORMAL },
	{ "update-normal-1-2", 1, 2, UP_KVM_SEV_SNP_PAGE_TYPE_NORMAL },
	{ "update-zero-3", 3, 1, UP_KVM_SEV_SNP_PAGE_TYPE_ZERO },
	{ "update-unmeasured-4", 4, 1, UP_KVM_SEV_SNP_PAGE_TYPE_UNMEASURED },
	{ "update-secrets-5", 5, 1, UP_KVM_SEV_SNP_PAGE_TYPE_SECRETS },
	{ "update-cpuid-6", 6, 1, UP_KVM_SEV_SNP_PAGE_TYPE_CPUID },
};

#define CPUID_GFN	6
#define BAD_CPUID_GFN	7

static void fill_pages(void)
{
	unsigned char *p;
	unsigned long i;

	p = shared;
	for (i = 0; i < PAGE_SIZE; i++)
		p[i] = (i * 7 + 1) & 0xff;
	p = shared + 1 * PAGE_SIZE;
	for (i = 0; i < 2 * PAGE_SIZE; i++)
		p[i] = (i * 13 + 5) & 0xff;
	memset(shared + 4 * PAGE_SIZE, 0xa5, PAGE_SIZE);
	memset(shared + 5 * PAGE_SIZE, 0, PAGE_SIZE);
	cpuid_page((struct snp_cpuid_table *)(shared + CPUID_GFN * PAGE_SIZE));
}

static void do_updates(void)
{
	const struct update_case *c;
	struct snp_cpuid_table *t;
	unsigned int i;
	__u32 fw_error;
	void *src;
	int err;

	for (i = 0; i < ARRAY_SIZE(updates); i++) {
		c = &updates[i];
		src = c->type == UP_KVM_SEV_SNP_PAGE_TYPE_ZERO ? NULL :
		      shared + c->gfn * PAGE_SIZE;
		if (!launch_update(c->gfn, src, c->npages, c->type, &err, &fw_error)) {
			step_ok(c->step, "gfn=%llu pages=%llu type=%u",
				(unsigned long long)c->gfn,
				(unsigned long long)c->npages, c->type);
			continue;
		}
		step_fail(c->step, err, fw_error, "gfn=%llu pages=%llu type=%u%s",
			  (unsigned long long)c->gfn, (unsigned long long)c->npages,
			  c->type, err ? "" : " (KVM took no page or not all)");
		if (c->type == UP_KVM_SEV_SNP_PAGE_TYPE_CPUID) {
			/* What the firmware wrote back, when it corrected it. */
			t = (struct snp_cpuid_table *)(shared + c->gfn * PAGE_SIZE);
			diag("cpuid page after the failure: leaf1=%#x/%#x/%#x/%#x leaf7=%#x/%#x/%#x/%#x",
			     t->fn[0].eax, t->fn[0].ebx, t->fn[0].ecx, t->fn[0].edx,
			     t->fn[1].eax, t->fn[1].ebx, t->fn[1].ecx, t->fn[1].edx);
		}
	}
}

/*
 * A CPUID page claiming every bit of leaf 0x7.0 EBX/ECX/EDX: the firmware
 * must refuse it with INVALID_PARAM and write the values it allows into the
 * page, which KVM copies back to the source.
 */
static void cpuid_fixup(void)
{
	const char *step = "cpuid-fixup";
	struct snp_cpuid_table *t;
	struct snp_cpuid_fn real, *fn;
	__u32 fw_error;
	int err;

	t = (struct snp_cpuid_table *)(shared + BAD_CPUID_GFN * PAGE_SIZE);
	cpuid_page(t);
	real = t->fn[1];
	t->fn[1].ebx = 0xffffffff;
	t->fn[1].ecx = 0xffffffff;
	t->fn[1].edx = 0xffffffff;
	if (!launch_update(BAD_CPUID_GFN, t, 1, UP_KVM_SEV_SNP_PAGE_TYPE_CPUID,
			   &err, &fw_error)) {
		step_fail(step, 0, 0, "the firmware accepted leaf 0x7.0 EBX=ECX=EDX=0xffffffff");
		return;
	}
	fn = &t->fn[1];
	if (err != EIO || fw_error != SEV_RET_INVALID_PARAM) {
		step_fail(step, err, fw_error,
			  "expected errno=%d (EIO) fw_error=0x%x (INVALID_PARAM)",
			  EIO, SEV_RET_INVALID_PARAM);
		return;
	}
	if (fn->eax_in != 0x7 || fn->ecx_in != 0 || fn->ebx != real.ebx ||
	    fn->ecx != real.ecx || fn->edx != real.edx) {
		step_fail(step, err, fw_error,
			  "corrected leaf %#x.%u ebx=%#x ecx=%#x edx=%#x, CPUID gives ebx=%#x ecx=%#x edx=%#x",
			  fn->eax_in, fn->ecx_in, fn->ebx, fn->ecx, fn->edx,
			  real.ebx, real.ecx, real.edx);
		return;
	}
	step_ok(step, "errno=%d fw_error=0x%x corrected leaf7 ebx=%#x ecx=%#x edx=%#x = CPUID",
		err, fw_error, fn->ebx, fn->ecx, fn->edx);
}

/* gfn 0 is private and measured already: KVM must refuse it. */
static void reupdate(void)
{
	const char *step = "reupdate";
	__u32 fw_error;
	int err;

	if (!launch_update(0, shared, 1, UP_KVM_SEV_SNP_PAGE_TYPE_NORMAL, &err, &fw_error)) {
		step_fail(step, 0, 0, "a second LAUNCH_UPDATE of gfn 0 succeeded");
		return;
	}
	if ((err != EIO && err != EEXIST && err != EINVAL) || fw_error) {
		step_fail(step, err, fw_error,
			  "expected EIO, EEXIST or EINVAL without a firmware error");
		return;
	}
	step_ok(step, "errno=%d (%s) fw_error=0x%x", err, errno_name(err), fw_error);
}

/* /dev/kvm, /dev/sev and the VM types; 0 when both devices opened. */
static int open_devices(void)
{
	int types;

	kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm_fd < 0) {
		step_fail("open-kvm", errno, 0, "/dev/kvm");
		return -1;
	}
	step_ok("open-kvm", NULL);
	sev_fd = open("/dev/sev", O_RDWR | O_CLOEXEC);
	if (sev_fd < 0) {
		step_fail("open-sev", errno, 0, "/dev/sev");
		return -1;
	}
	step_ok("open-sev", NULL);

	types = ioctl(kvm_fd, KVM_CHECK_EXTENSION, UP_KVM_CAP_VM_TYPES);
	if (types < 0 || !(types & (1 << UP_KVM_X86_SNP_VM)))
		step_fail("vm-types", types < 0 ? errno : 0, 0,
			  "KVM_CAP_VM_TYPES=%#x lacks KVM_X86_SNP_VM", types);
	else
		step_ok("vm-types", "mask=%#x", types);
	return 0;
}

/*
 * Set up a VM and its memory and start the launch @name; 0 when every
 * step worked. With @with_vcpu, vCPU 0 is created after KVM_SEV_INIT2 (an
 * SEV-ES/SNP vCPU needs it first), so that LAUNCH_FINISH measures its VMSA.
 */
static int create_vm(const char *name, bool with_vcpu)
{
	struct up_kvm_sev_init init = { 0 };
	struct up_kvm_create_guest_memfd gmem = { .size = NR_PAGES * PAGE_SIZE };
	struct up_kvm_userspace_memory_region2 region = { 0 };
	struct up_kvm_memory_attributes attr = {
		.size = NR_PAGES * PAGE_SIZE,
		.attributes = UP_KVM_MEMORY_ATTRIBUTE_PRIVATE,
	};
	struct up_kvm_sev_snp_launch_start start = { .policy = 0x30000 };
	__u32 fw_error;

	vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, UP_KVM_X86_SNP_VM);
	if (vm_fd < 0) {
		step_fail("create-vm", errno, 0, "type KVM_X86_SNP_VM");
		return -1;
	}
	step_ok("create-vm", NULL);

	if (sev_op(UP_KVM_SEV_INIT2, &init, &fw_error)) {
		step_fail("init2", errno, fw_error, NULL);
		return -1;
	}
	step_ok("init2", NULL);

	if (with_vcpu) {
		vcpu_fd = ioctl(vm_fd, KVM_CREATE_VCPU, 0);
		if (vcpu_fd < 0) {
			step_fail("create-vcpu", errno, 0, "vCPU 0");
			return -1;
		}
		step_ok("create-vcpu", "vCPU 0");
	}

	gmem_fd = ioctl(vm_fd, UP_KVM_CREATE_GUEST_MEMFD, &gmem);
	if (gmem_fd < 0) {
		step_fail("create-gmem", errno, 0, "%d pages", NR_PAGES);
		return -1;
	}
	step_ok("create-gmem", "%d pages", NR_PAGES);

	shared = mmap(NULL, NR_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		shared = NULL;
		step_fail("mmap", errno, 0, NULL);
		return -1;
	}
	step_ok("mmap", NULL);

	region.slot = 0;
	region.flags = UP_KVM_MEM_GUEST_MEMFD;
	region.guest_phys_addr = 0;
	region.memory_size = NR_PAGES * PAGE_SIZE;
	region.userspace_addr = (__u64)(unsigned long)shared;
	region.guest_memfd_offset = 0;
	region.guest_memfd = gmem_fd;
	if (ioctl(vm_fd, UP_KVM_SET_USER_MEMORY_REGION2, &region)) {
		step_fail("set-memory-region2", errno, 0, NULL);
		return -1;
	}
	step_ok("set-memory-region2", "slot 0 gpa 0 size %#lx guest_memfd", NR_PAGES * PAGE_SIZE);

	if (ioctl(vm_fd, UP_KVM_SET_MEMORY_ATTRIBUTES, &attr)) {
		step_fail("set-attributes", errno, 0, NULL);
		return -1;
	}
	step_ok("set-attributes", "private");

	if (sev_op(UP_KVM_SEV_SNP_LAUNCH_START, &start, &fw_error)) {
		step_fail("launch-start", errno, fw_error, "policy %#llx",
			  (unsigned long long)start.policy);
		return -1;
	}
	step_ok("launch-start", "policy %#llx", (unsigned long long)start.policy);
	/* The host maps the launches of the digest log to these lines. */
	diag("launched %s", name);
	return 0;
}

/*
 * LAUNCH_FINISH with the test's host data and, when @block and @auth are
 * given, that ID block and ID authentication (KVM copies 96 and 4096
 * bytes from them). Returns 0, or -1 with *err and *fw_error set.
 */
static int do_finish(const void *block, const void *auth, bool auth_key_en,
		     char hex[2 * UP_KVM_SEV_SNP_FINISH_DATA_SIZE + 1],
		     int *err, __u32 *fw_error)
{
	struct up_kvm_sev_snp_launch_finish finish = { 0 };
	int i;

	for (i = 0; i < UP_KVM_SEV_SNP_FINISH_DATA_SIZE; i++) {
		finish.host_data[i] = 0x11 + i;
		sprintf(hex + 2 * i, "%02x", finish.host_data[i]);
	}
	if (block) {
		finish.id_block_en = 1;
		finish.auth_key_en = auth_key_en;
		finish.id_block_uaddr = (__u64)(unsigned long)block;
		finish.id_auth_uaddr = (__u64)(unsigned long)auth;
	}
	*err = 0;
	if (sev_op(UP_KVM_SEV_SNP_LAUNCH_FINISH, &finish, fw_error)) {
		*err = errno;
		return -1;
	}
	return 0;
}

static void launch_finish(void)
{
	char hex[2 * UP_KVM_SEV_SNP_FINISH_DATA_SIZE + 1];
	__u32 fw_error;
	int err;

	if (do_finish(NULL, NULL, false, hex, &err, &fw_error)) {
		step_fail("launch-finish", err, fw_error, "host_data=%s", hex);
		return;
	}
	step_ok("launch-finish", "host_data=%s, no ID block, no vCPUs so no VMSA measured", hex);
}

/*
 * Closing the VM (its last file: the guest_memfd and a vCPU hold a
 * reference too) makes KVM decommission the guest context and return its
 * pages; KVM frees a vCPU's VMSA page after that, with an RMPUPDATE back
 * to the hypervisor. close() has done all that when it returns.
 */
static int destroy_vm(void)
{
	int err = 0;

	if (vcpu_fd >= 0 && close(vcpu_fd))
		err = errno;
	if (vm_fd >= 0 && close(vm_fd))
		err = errno;
	if (gmem_fd >= 0 && close(gmem_fd))
		err = errno;
	if (shared && munmap(shared, NR_PAGES * PAGE_SIZE))
		err = errno;
	vcpu_fd = -1;
	vm_fd = -1;
	gmem_fd = -1;
	shared = NULL;
	return err;
}

static void close_devices(void)
{
	int err = 0;

	if (sev_fd >= 0 && close(sev_fd))
		err = errno;
	if (kvm_fd >= 0 && close(kvm_fd))
		err = errno;
	if (err) {
		diag("closing /dev/kvm or /dev/sev failed: errno=%d (%s)", err, errno_name(err));
		failures++;
	}
}

/* Read exactly @len bytes of DIR/@name into @buf; 0 or an errno (EMSGSIZE: wrong size). */
static int read_blob(const char *name, void *buf, size_t len)
{
	char path[512];
	ssize_t n;
	int fd, err = 0;
	char extra;

	snprintf(path, sizeof(path), "%s/%s", id_dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	n = read(fd, buf, len);
	if (n < 0)
		err = errno;
	else if ((size_t)n != len || read(fd, &extra, 1) != 0)
		err = EMSGSIZE;
	close(fd);
	return err;
}

/* Begin a later launch: quiet steps, its marker in dmesg. */
static void begin_launch(const char *name)
{
	mark_dmesg(name);
	quiet = true;
	quiet_why[0] = '\0';
}

/* End a later launch with its one line: ok when @why is NULL. */
static void end_launch(const char *name, const char *why, const char *fmt, ...)
{
	int err = destroy_vm();
	va_list ap;

	quiet = false;
	if (!why && err) {
		snprintf(quiet_why, sizeof(quiet_why), "at close: errno=%d (%s)", err,
			 errno_name(err));
		why = quiet_why;
	}
	if (why) {
		test_result(false, name, why);
		failures++;
	} else {
		char detail[512] = "";

		if (fmt) {
			va_start(ap, fmt);
			vsnprintf(detail, sizeof(detail), fmt, ap);
			va_end(ap);
		}
		test_result(true, name, detail);
	}
}

struct id_case {
	const char *name;	/* the launch, as the host reports it */
	const char *files;	/* "" for id_block.bin/id_auth.bin, else ".<case>" */
	__u32 want;		/* the firmware status LAUNCH_FINISH must give */
	const char *want_name;
	const char *wrong;	/* what is wrong in the ID block or its auth */
};

static const struct id_case id_cases[] = {
	{ "id-block", "", 0, "SUCCESS", NULL },
	{ "id-block-bad-measurement", ".bad-measurement", SEV_RET_BAD_MEASUREMENT,
	  "BAD_MEASUREMENT", "one LD byte flipped, block signed again" },
	{ "id-block-bad-signature", ".bad-signature", SEV_RET_BAD_SIGNATURE,
	  "BAD_SIGNATURE", "ID_BLOCK_SIG with a flipped byte" },
	{ "id-block-bad-policy", ".bad-policy", SEV_RET_POLICY_FAILURE,
	  "POLICY_FAILURE", "POLICY 0x30001 for a 0x30000 guest, block signed again" },
	{ "id-block-bad-author-sig", ".bad-author-sig", SEV_RET_BAD_SIGNATURE,
	  "BAD_SIGNATURE", "ID_KEY_SIG with a flipped byte" },
};

/*
 * The launch of the first VM again, finished with an ID block (always
 * with auth_key_en=1, so that the author key's signature counts too).
 */
static void id_block_launch(const struct id_case *c)
{
	static unsigned char block[UP_KVM_SEV_SNP_ID_BLOCK_SIZE];
	static unsigned char auth[UP_KVM_SEV_SNP_ID_AUTH_SIZE];
	char name[64], hex[2 * UP_KVM_SEV_SNP_FINISH_DATA_SIZE + 1], why[256];
	__u32 fw_error;
	int err, i;

	begin_launch(c->name);
	snprintf(name, sizeof(name), "id_block%s.bin", c->files);
	err = read_blob(name, block, sizeof(block));
	if (!err) {
		snprintf(name, sizeof(name), "id_auth%s.bin", c->files);
		err = read_blob(name, auth, sizeof(auth));
	}
	if (err) {
		snprintf(why, sizeof(why), "cannot read %s/%s: %s", id_dir, name,
			 err == EMSGSIZE ? "wrong size" : strerror(err));
		end_launch(c->name, why, NULL);
		return;
	}
	if (create_vm(c->name, false)) {
		end_launch(c->name, quiet_why, NULL);
		return;
	}
	fill_pages();
	do_updates();
	if (quiet_why[0]) {
		end_launch(c->name, quiet_why, NULL);
		return;
	}
	if (!do_finish(block, auth, true, hex, &err, &fw_error)) {
		if (c->want) {
			snprintf(why, sizeof(why),
				 "LAUNCH_FINISH accepted the ID block (%s), expected fw_error=0x%02x (%s)",
				 c->wrong, c->want, c->want_name);
			end_launch(c->name, why, NULL);
			return;
		}
		for (i = 0; i < 8; i++)
			sprintf(hex + 2 * i, "%02x", block[i]);
		end_launch(c->name, NULL,
			   "LAUNCH_FINISH accepted the ID block (LD %s..., policy 0x30000) with auth_key_en=1",
			   hex);
		return;
	}
	if (err != EIO || fw_error != c->want) {
		snprintf(why, sizeof(why),
			 "LAUNCH_FINISH errno=%d (%s) fw_error=0x%02x, expected %s",
			 err, errno_name(err), fw_error,
			 c->want ? "EIO" : "success");
		if (c->want)
			snprintf(why + strlen(why), sizeof(why) - strlen(why),
				 " fw_error=0x%02x (%s): %s", c->want, c->want_name, c->wrong);
		end_launch(c->name, why, NULL);
		return;
	}
	end_launch(c->name, NULL, "errno=%d (%s) fw_error=0x%02x (%s): %s", err,
		   errno_name(err), fw_error, c->want_name, c->wrong);
}

/*
 * The launch of the first VM again with vCPU 0, never run: LAUNCH_FINISH
 * makes KVM LAUNCH_UPDATE its VMSA first (type VMSA, GPA 0xfffffffff000).
 */
static void vmsa_launch(void)
{
	const char *name = "launch-vmsa";
	char hex[2 * UP_KVM_SEV_SNP_FINISH_DATA_SIZE + 1], why[256];
	__u32 fw_error;
	int err;

	begin_launch(name);
	if (create_vm(name, true)) {
		end_launch(name, quiet_why, NULL);
		return;
	}
	fill_pages();
	do_updates();
	if (quiet_why[0]) {
		end_launch(name, quiet_why, NULL);
		return;
	}
	if (do_finish(NULL, NULL, false, hex, &err, &fw_error)) {
		snprintf(why, sizeof(why), "LAUNCH_FINISH errno=%d (%s) fw_error=0x%02x",
			 err, errno_name(err), fw_error);
		end_launch(name, why, NULL);
		return;
	}
	end_launch(name, NULL,
		   "vCPU 0 created, LAUNCH_FINISH (no ID block) measured its VMSA; vCPU and VM closed");
}

/* A test that could not run because the first launch failed before it. */
static void not_run(const char *name)
{
	char why[600];

	snprintf(why, sizeof(why), "did not run (snp-launch: %s)",
		 first_fail[0] ? first_fail : "failed");
	test_result(false, name, why);
	failures++;
}

int main(int argc, char **argv)
{
	cpu_set_t cpu0;
	unsigned int i;
	int devices, err;

	for (i = 1; i < (unsigned int)argc; i++) {
		if (!strcmp(argv[i], "--id-dir") && i + 1 < (unsigned int)argc) {
			id_dir = argv[++i];
		} else if (!strcmp(argv[i], "--kmsg-mark") && i + 1 < (unsigned int)argc) {
			mark_prefix = argv[++i];
		} else {
			fprintf(stderr, "usage: %s [--id-dir DIR] [--kmsg-mark PREFIX]\n",
				argv[0]);
			return 2;
		}
	}

	ksft_print_header();
	ksft_set_plan(1 + ARRAY_SIZE(deferred) + ARRAY_SIZE(id_cases) + 1);
	/* Leaf 0x1 EBX holds the APIC ID: take CPU 0's. */
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	if (sched_setaffinity(0, sizeof(cpu0), &cpu0))
		diag("cannot run on CPU 0 only: errno %d", errno);

	/* Test 1: the first launch, step by step. */
	printf("    # Subtest: snp-launch\n    1..%d\n", FIRST_LAUNCH_STEPS);
	depth = 1;
	devices = open_devices();
	if (!devices) {
		mark_dmesg("snp-launch");
		if (!create_vm("snp-launch", false)) {
			fill_pages();
			do_updates();
			defer_to = &deferred[0];
			cpuid_fixup();
			defer_to = &deferred[1];
			reupdate();
			defer_to = NULL;
			launch_finish();
		}
		err = destroy_vm();
		if (err)
			step_fail("close", err, 0, NULL);
		else
			step_ok("close", NULL);
	}
	depth = 0;
	if (sub_failed || sub_n != FIRST_LAUNCH_STEPS)
		test_result(false, "snp-launch", first_fail[0] ? first_fail : "a step failed");
	else
		test_result(true, "snp-launch", NULL);

	/* Tests 2 and 3: the updates that must fail, during the first launch. */
	for (i = 0; i < ARRAY_SIZE(deferred); i++) {
		if (deferred[i].set)
			test_result(deferred[i].ok, deferred[i].name, deferred[i].detail);
		else
			not_run(deferred[i].name);
	}

	/* The later launches, one test each. */
	if (!devices) {
		for (i = 0; i < ARRAY_SIZE(id_cases); i++)
			id_block_launch(&id_cases[i]);
		vmsa_launch();
		mark_dmesg("snp-launch");
	} else {
		for (i = 0; i < ARRAY_SIZE(id_cases); i++)
			not_run(id_cases[i].name);
		not_run("launch-vmsa");
	}
	close_devices();
	return failures ? 1 : 0;
}
