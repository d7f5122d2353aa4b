// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_SET_USER_MEMORY_REGION2 and KVM_SET_MEMORY_ATTRIBUTES from
 * userspace: capabilities per VM type, every argument check, and that
 * valid requests succeed, on a default VM and on a KVM_X86_SW_PROTECTED_VM.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "test_util.h"
#include "kvm_util.h"

/* Fails the test unless @ret is -1 with errno @err; @what names the call. */
#define ASSERT_FAILS(ret, err, what)						\
do {										\
	long __ret = (ret);							\
	int __err = errno;							\
										\
	TEST_ASSERT(__ret == -1 && __err == (err),				\
		    "%s: returned %ld, errno %d (%s); want %s",			\
		    what, __ret, __err, strerror(__err), #err);			\
} while (0)

#define TEST_GPA	BIT_ULL(32)

static size_t page_size;

static int set_attrs(int vm_fd, uint64_t gpa, uint64_t size, uint64_t attrs,
		     uint64_t flags)
{
	struct kvm_memory_attributes args = {
		.address = gpa, .size = size, .attributes = attrs, .flags = flags,
	};

	return ioctl(vm_fd, KVM_SET_MEMORY_ATTRIBUTES, &args);
}

static void test_region2(int vm_fd)
{
	struct kvm_userspace_memory_region2 r2 = {};
	struct kvm_userspace_memory_region r1 = {};
	size_t size = 4 * page_size;
	unsigned int i;
	void *mem;

	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(mem != MAP_FAILED, "mmap() failed");

	/* The new ioctl creates and deletes plain slots like the old one. */
	r2.slot = 1;
	r2.guest_phys_addr = TEST_GPA;
	r2.memory_size = size;
	r2.userspace_addr = (uintptr_t)mem;
	TEST_ASSERT(!ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION2, &r2),
		    "KVM_SET_USER_MEMORY_REGION2 failed, errno %d", errno);

	/* And both see the same slots. */
	r1.slot = 2;
	r1.guest_phys_addr = TEST_GPA;
	r1.memory_size = size;
	r1.userspace_addr = (uintptr_t)mem;
	ASSERT_FAILS(ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &r1), EEXIST,
		     "old ioctl over a slot made with the new one");
	r1.slot = 1;
	r1.memory_size = 0;
	TEST_ASSERT(!ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &r1),
		    "deleting with the old ioctl failed, errno %d", errno);

	/* The usual checks apply. */
	r2.guest_phys_addr = TEST_GPA + 1;
	ASSERT_FAILS(ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION2, &r2), EINVAL, "unaligned gpa");
	r2.guest_phys_addr = TEST_GPA;
	r2.memory_size = size - 1;
	ASSERT_FAILS(ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION2, &r2), EINVAL, "unaligned size");
	r2.memory_size = size;
	r2.flags = 1U << 31;
	ASSERT_FAILS(ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION2, &r2), EINVAL, "unknown flag");
	r2.flags = 0;

	/* Padding is reserved and must be zero. */
	r2.pad1 = 1;
	ASSERT_FAILS(ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION2, &r2), EINVAL, "pad1 set");
	r2.pad1 = 0;
	for (i = 0; i < ARRAY_SIZE(r2.pad2); i++) {
		r2.pad2[i] = 1;
		ASSERT_FAILS(ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION2, &r2), EINVAL,
			     "pad2 set");
		r2.pad2[i] = 0;
	}

	ASSERT_FAILS(ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION2, NULL), EFAULT, "NULL argument");
	munmap(mem, size);
}

/* Every malformed request fails with EINVAL, whatever the VM type. */
static void test_attribute_checks(int vm_fd, uint64_t supported)
{
	const uint64_t p = KVM_MEMORY_ATTRIBUTE_PRIVATE;
	unsigned int i;

	for (i = 0; i < 64; i++) {
		if (supported & (1ULL << i))
			continue;
		ASSERT_FAILS(set_attrs(vm_fd, TEST_GPA, page_size, 1ULL << i, 0), EINVAL,
			     "unsupported attribute");
		ASSERT_FAILS(set_attrs(vm_fd, TEST_GPA, page_size, supported, 1ULL << i), EINVAL,
			     "a flag");
	}
	ASSERT_FAILS(set_attrs(vm_fd, TEST_GPA, 0, supported, 0), EINVAL, "empty range");
	ASSERT_FAILS(set_attrs(vm_fd, TEST_GPA + 1, page_size, supported, 0), EINVAL,
		     "unaligned address");
	ASSERT_FAILS(set_attrs(vm_fd, TEST_GPA, page_size + 1, supported, 0), EINVAL,
		     "unaligned size");
	ASSERT_FAILS(set_attrs(vm_fd, -page_size, 2 * page_size, supported, 0), EINVAL,
		     "range that wraps");
	ASSERT_FAILS(set_attrs(vm_fd, TEST_GPA, page_size, p, p), EINVAL, "PRIVATE as a flag");
	ASSERT_FAILS(ioctl(vm_fd, KVM_SET_MEMORY_ATTRIBUTES, NULL), EFAULT, "NULL argument");
}

static void test_default_vm(int kvm_fd)
{
	int vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, KVM_X86_DEFAULT_VM);

	TEST_ASSERT(vm_fd >= 0, "KVM_CREATE_VM failed");
	ASSERT_EQ(ioctl(vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY2), 1);
	ASSERT_EQ(ioctl(vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_MEMORY_ATTRIBUTES), 0);
	test_region2(vm_fd);

	/* No private memory: PRIVATE is refused, no attributes is a no-op. */
	ASSERT_FAILS(set_attrs(vm_fd, TEST_GPA, page_size, KVM_MEMORY_ATTRIBUTE_PRIVATE, 0),
		     EINVAL, "PRIVATE on a default VM");
	TEST_ASSERT(!set_attrs(vm_fd, TEST_GPA, page_size, 0, 0),
		    "clearing attributes on a default VM failed, errno %d", errno);
	test_attribute_checks(vm_fd, 0);
	close(vm_fd);
}

static void test_private_vm(int kvm_fd)
{
	const uint64_t p = KVM_MEMORY_ATTRIBUTE_PRIVATE;
	int vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, KVM_X86_SW_PROTECTED_VM);

	TEST_ASSERT(vm_fd >= 0, "KVM_CREATE_VM(SW_PROTECTED) failed, errno %d", errno);
	ASSERT_EQ(ioctl(vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY2), 1);
	ASSERT_EQ(ioctl(vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_MEMORY_ATTRIBUTES), p);
	test_region2(vm_fd);
	test_attribute_checks(vm_fd, p);

	/*
	 * Attributes belong to gfns, not to memslots: they can be set where
	 * no memory is, repeated, overlapped and cleared in any pattern.
	 */
	TEST_ASSERT(!set_attrs(vm_fd, TEST_GPA, 64 * page_size, p, 0), "set private failed");
	TEST_ASSERT(!set_attrs(vm_fd, TEST_GPA, 64 * page_size, p, 0), "set private again failed");
	TEST_ASSERT(!set_attrs(vm_fd, TEST_GPA + 8 * page_size, 8 * page_size, 0, 0),
		    "clearing a middle part failed");
	TEST_ASSERT(!set_attrs(vm_fd, TEST_GPA - 4 * page_size, 16 * page_size, p, 0),
		    "overlapping set failed");
	TEST_ASSERT(!set_attrs(vm_fd, 0, 1ULL << 40, 0, 0),
		    "clearing a 1 TiB range failed, errno %d", errno);
	/* The largest page-aligned range that does not wrap. */
	TEST_ASSERT(!set_attrs(vm_fd, page_size, -2 * page_size, 0, 0),
		    "clearing the whole address space failed, errno %d", errno);
	close(vm_fd);
}

int main(void)
{
	int kvm_fd, types;

	page_size = getpagesize();
	kvm_fd = open_kvm_dev_path_or_exit();
	ASSERT_EQ(ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY2), 1);

	test_default_vm(kvm_fd);

	types = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_VM_TYPES);
	if (!(types & BIT(KVM_X86_SW_PROTECTED_VM))) {
		print_skip("KVM_X86_SW_PROTECTED_VM is not supported, private VM part not run");
		close(kvm_fd);
		return KSFT_SKIP;
	}
	ASSERT_EQ(ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_MEMORY_ATTRIBUTES),
		  KVM_MEMORY_ATTRIBUTE_PRIVATE);
	test_private_vm(kvm_fd);
	close(kvm_fd);
	return 0;
}
