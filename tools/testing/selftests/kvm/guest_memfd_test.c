// SPDX-License-Identifier: GPL-2.0-only
/*
 * guest_memfd from userspace: KVM_CREATE_GUEST_MEMFD's argument checks,
 * what the file lets the host do (no mmap, read, write or truncate; a
 * fixed size; fallocate within it), binding memslots to it, and closing
 * the VM and the file in either order.
 *
 * guest_memfd slots need a VM type with private memory, so the test runs
 * on KVM_X86_SW_PROTECTED_VM and skips where that type is not offered.
 */
#define _GNU_SOURCE /* for fallocate() */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/falloc.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "test_util.h"
#include "kvm_util.h"

#define PRIVATE_VM_TYPE		KVM_X86_SW_PROTECTED_VM
#define NR_FILE_PAGES		16

static size_t page_size;

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

static int create_vm_fd(int kvm_fd, unsigned long type)
{
	int fd = ioctl(kvm_fd, KVM_CREATE_VM, type);

	TEST_ASSERT(fd >= 0, "KVM_CREATE_VM(%lu) failed, errno %d", type, errno);
	return fd;
}

static int create_gmem(int vm_fd, uint64_t size, uint64_t flags)
{
	struct kvm_create_guest_memfd args = { .size = size, .flags = flags };

	return ioctl(vm_fd, KVM_CREATE_GUEST_MEMFD, &args);
}

static int set_region2(int vm_fd, uint32_t slot, uint32_t flags, uint64_t gpa,
		       uint64_t size, void *hva, int gmem_fd, uint64_t offset)
{
	struct kvm_userspace_memory_region2 region = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)hva,
		.guest_memfd = gmem_fd,
		.guest_memfd_offset = offset,
	};

	return ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION2, &region);
}

static void test_capabilities(int kvm_fd, int vm_fd)
{
	int default_vm = create_vm_fd(kvm_fd, KVM_X86_DEFAULT_VM);

	ASSERT_EQ(ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD), 1);
	ASSERT_EQ(ioctl(vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD), 1);
	ASSERT_EQ(ioctl(default_vm, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD), 0);
	close(default_vm);
}

static void test_create_args(int vm_fd)
{
	const uint64_t bad_sizes[] = {
		0, 1, page_size - 1, page_size + 1, page_size * 3 / 2,
		1ULL << 63, ~0ULL & ~(uint64_t)(page_size - 1),
	};
	struct kvm_create_guest_memfd args;
	unsigned int i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(bad_sizes); i++) {
		fd = create_gmem(vm_fd, bad_sizes[i], 0);
		ASSERT_FAILS(fd, EINVAL, "create with a bad size");
	}

	/* No flag is defined yet. */
	for (i = 0; i < 64; i++) {
		fd = create_gmem(vm_fd, page_size, 1ULL << i);
		ASSERT_FAILS(fd, EINVAL, "create with a flag");
	}

	/* The reserved fields must be zero. */
	for (i = 0; i < ARRAY_SIZE(args.reserved); i++) {
		memset(&args, 0, sizeof(args));
		args.size = page_size;
		args.reserved[i] = 1;
		fd = ioctl(vm_fd, KVM_CREATE_GUEST_MEMFD, &args);
		ASSERT_FAILS(fd, EINVAL, "create with a reserved field set");
	}

	fd = ioctl(vm_fd, KVM_CREATE_GUEST_MEMFD, NULL);
	ASSERT_FAILS(fd, EFAULT, "create from a NULL argument");

	for (i = 1; i <= 4; i++) {
		fd = create_gmem(vm_fd, i * page_size, 0);
		TEST_ASSERT(fd >= 0, "create of %u pages failed, errno %d", i, errno);
		close(fd);
	}
}

/* The host has no way to the contents: no mmap, read or write. */
static void test_no_host_access(int fd)
{
	char buf[64] = {};
	void *mem;

	mem = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	TEST_ASSERT(mem == MAP_FAILED, "mmap() of a guest_memfd succeeded");
	mem = mmap(NULL, page_size, PROT_READ, MAP_PRIVATE, fd, 0);
	TEST_ASSERT(mem == MAP_FAILED, "read-only mmap() of a guest_memfd succeeded");

	ASSERT_FAILS(read(fd, buf, sizeof(buf)), EINVAL, "read()");
	ASSERT_FAILS(write(fd, buf, sizeof(buf)), EINVAL, "write()");
	/* Positional I/O is refused before the missing read/write is seen. */
	ASSERT_FAILS(pread(fd, buf, sizeof(buf), 0), ESPIPE, "pread()");
	ASSERT_FAILS(pwrite(fd, buf, sizeof(buf), 0), ESPIPE, "pwrite()");
}

static void test_size(int fd, size_t size)
{
	struct stat st;

	TEST_ASSERT(!fstat(fd, &st), "fstat() failed, errno %d", errno);
	TEST_ASSERT(S_ISREG(st.st_mode), "mode %#o is not a regular file", st.st_mode);
	ASSERT_EQ(st.st_size, size);

	/* The size is fixed. */
	ASSERT_FAILS(ftruncate(fd, size + page_size), EINVAL, "growing ftruncate()");
	ASSERT_FAILS(ftruncate(fd, page_size), EINVAL, "shrinking ftruncate()");
	TEST_ASSERT(!fstat(fd, &st) && st.st_size == size,
		    "the size changed to %ld", (long)st.st_size);
}

static void test_fallocate(int fd, size_t size)
{
	const int keep = FALLOC_FL_KEEP_SIZE;
	const int punch = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
	struct stat st;

	/* Allocation and hole punching inside the file. */
	TEST_ASSERT(!fallocate(fd, keep, 0, size),
		    "fallocate() of the file failed, errno %d", errno);
	TEST_ASSERT(!fallocate(fd, keep, page_size, page_size), "fallocate() of a page failed");
	TEST_ASSERT(!fallocate(fd, punch, 0, page_size), "punching the first page failed");
	TEST_ASSERT(!fallocate(fd, punch, page_size, size - page_size),
		    "punching the rest failed, errno %d", errno);
	TEST_ASSERT(!fallocate(fd, punch, 0, size), "punching a hole twice failed");
	TEST_ASSERT(!fallocate(fd, keep, size - page_size, page_size),
		    "fallocate() of the last page failed");
	/* A hole past the end is allowed and changes nothing. */
	TEST_ASSERT(!fallocate(fd, punch, size, page_size), "punching past the end failed");

	/* The size never changes. */
	ASSERT_FAILS(fallocate(fd, 0, 0, page_size), EOPNOTSUPP, "fallocate() without KEEP_SIZE");
	ASSERT_FAILS(fallocate(fd, keep, size, page_size), EINVAL, "allocating past the end");
	ASSERT_FAILS(fallocate(fd, keep, 0, size + page_size), EINVAL,
		     "allocating across the end");

	/* Whole pages only. */
	ASSERT_FAILS(fallocate(fd, keep, 1, page_size), EINVAL, "unaligned offset");
	ASSERT_FAILS(fallocate(fd, keep, 0, page_size - 1), EINVAL, "unaligned length");
	ASSERT_FAILS(fallocate(fd, punch, page_size / 2, page_size), EINVAL,
		     "unaligned hole");

	/* No other mode. */
	ASSERT_FAILS(fallocate(fd, FALLOC_FL_ZERO_RANGE | keep, 0, page_size),
		     EOPNOTSUPP, "FALLOC_FL_ZERO_RANGE");
	ASSERT_FAILS(fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 0, page_size), EOPNOTSUPP,
		     "FALLOC_FL_COLLAPSE_RANGE");
	ASSERT_FAILS(fallocate(fd, FALLOC_FL_INSERT_RANGE, 0, page_size), EOPNOTSUPP,
		     "FALLOC_FL_INSERT_RANGE");

	TEST_ASSERT(!fstat(fd, &st) && st.st_size == size,
		    "fallocate() changed the size to %ld", (long)st.st_size);
}

static void test_bindings(int kvm_fd, int vm_fd, int fd, size_t size)
{
	const uint32_t gmem = KVM_MEM_GUEST_MEMFD;
	const uint64_t gpa = 1ULL << 32;
	size_t half = size / 2;
	int other_vm, other_fd, memfd;
	void *mem;

	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(mem != MAP_FAILED, "mmap() of the shared memory failed");

	/* Two slots on the two halves of one file. */
	TEST_ASSERT(!set_region2(vm_fd, 10, gmem, gpa, half, mem, fd, 0),
		    "binding the first half failed, errno %d", errno);
	TEST_ASSERT(!set_region2(vm_fd, 11, gmem, gpa + half, half, mem + half, fd, half),
		    "binding the second half failed, errno %d", errno);

	/* A third slot may not share pages with them. */
	ASSERT_FAILS(set_region2(vm_fd, 12, gmem, gpa + size, half, mem, fd, 0), EEXIST,
		     "binding an already bound range");
	ASSERT_FAILS(set_region2(vm_fd, 12, gmem, gpa + size, half, mem, fd, page_size), EEXIST,
		     "binding a range that overlaps two bindings");

	/* Offsets: page aligned, and the slot inside the file. */
	ASSERT_FAILS(set_region2(vm_fd, 12, gmem, gpa + size, page_size, mem, fd, 1), EINVAL,
		     "binding at an unaligned offset");
	ASSERT_FAILS(set_region2(vm_fd, 12, gmem, gpa + size, page_size, mem, fd, size), EINVAL,
		     "binding at the end of the file");
	ASSERT_FAILS(set_region2(vm_fd, 12, gmem, gpa + size, 2 * size, mem, fd, 0), EINVAL,
		     "binding more than the file");
	ASSERT_FAILS(set_region2(vm_fd, 12, gmem, gpa + size, page_size, mem, fd, -page_size),
		     EINVAL, "binding at a huge offset");

	/* The file must be an open guest_memfd of this VM. */
	ASSERT_FAILS(set_region2(vm_fd, 12, gmem, gpa + size, page_size, mem, 1000, 0), EBADF,
		     "binding a closed descriptor");
	memfd = kvm_memfd_alloc(size, false);
	ASSERT_FAILS(set_region2(vm_fd, 12, gmem, gpa + size, page_size, mem, memfd, 0), EINVAL,
		     "binding a memfd");
	close(memfd);
	other_vm = create_vm_fd(kvm_fd, PRIVATE_VM_TYPE);
	other_fd = create_gmem(other_vm, size, 0);
	TEST_ASSERT(other_fd >= 0, "creating the other VM's guest_memfd failed");
	ASSERT_FAILS(set_region2(vm_fd, 12, gmem, gpa + size, page_size, mem, other_fd, 0),
		     EINVAL, "binding another VM's guest_memfd");
	close(other_fd);
	close(other_vm);

	/* Flags that do not go with guest_memfd, and the old ioctl. */
	ASSERT_FAILS(set_region2(vm_fd, 12, gmem | KVM_MEM_LOG_DIRTY_PAGES, gpa + size,
				 page_size, mem, fd, 0), EINVAL, "dirty logging");
	ASSERT_FAILS(set_region2(vm_fd, 12, gmem | KVM_MEM_READONLY, gpa + size,
				 page_size, mem, fd, 0), EINVAL, "read-only");
	{
		struct kvm_userspace_memory_region v1 = {
			.slot = 12, .flags = gmem, .guest_phys_addr = gpa + size,
			.memory_size = page_size, .userspace_addr = (uintptr_t)mem,
		};

		ASSERT_FAILS(ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &v1), EINVAL,
			     "KVM_MEM_GUEST_MEMFD with KVM_SET_USER_MEMORY_REGION");
	}

	/* A bound slot can only be deleted: no move, no flag change. */
	ASSERT_FAILS(set_region2(vm_fd, 10, gmem, gpa + 4 * size, half, mem, fd, 0), EINVAL,
		     "moving a guest_memfd slot");
	ASSERT_FAILS(set_region2(vm_fd, 10, 0, gpa, half, mem, fd, 0), EINVAL,
		     "dropping KVM_MEM_GUEST_MEMFD from a slot");

	/* Deleting a slot frees its part of the file for a new binding. */
	TEST_ASSERT(!set_region2(vm_fd, 10, 0, 0, 0, NULL, 0, 0), "deleting slot 10 failed");
	TEST_ASSERT(!set_region2(vm_fd, 12, gmem, gpa + size, half, mem, fd, 0),
		    "re-binding the first half failed, errno %d", errno);

	TEST_ASSERT(!set_region2(vm_fd, 11, 0, 0, 0, NULL, 0, 0), "deleting slot 11 failed");
	TEST_ASSERT(!set_region2(vm_fd, 12, 0, 0, 0, NULL, 0, 0), "deleting slot 12 failed");
	munmap(mem, size);
}

/* A VM without private memory takes no guest_memfd slot. */
static void test_default_vm(int kvm_fd)
{
	int vm_fd = create_vm_fd(kvm_fd, KVM_X86_DEFAULT_VM);
	void *mem;
	int fd;

	mem = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(mem != MAP_FAILED, "mmap() failed");
	fd = create_gmem(vm_fd, page_size, 0);
	if (fd >= 0) {
		ASSERT_FAILS(set_region2(vm_fd, 0, KVM_MEM_GUEST_MEMFD, 0, page_size, mem, fd, 0),
			     EINVAL, "guest_memfd slot on a default VM");
		close(fd);
	}
	munmap(mem, page_size);
	close(vm_fd);
}

/*
 * The VM and the file may go away in any order, with memory allocated in
 * the file and a slot bound to it.  The kernel's own checks (refcounts,
 * KASAN, kmemleak in the harness) catch what userspace cannot see; here
 * the slot must still be deletable once its file is gone.
 */
static void test_lifetime(int kvm_fd, bool vm_first)
{
	int vm_fd = create_vm_fd(kvm_fd, PRIVATE_VM_TYPE);
	size_t size = NR_FILE_PAGES * page_size;
	void *mem;
	int fd;

	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(mem != MAP_FAILED, "mmap() failed");
	fd = create_gmem(vm_fd, size, 0);
	TEST_ASSERT(fd >= 0, "create failed, errno %d", errno);
	TEST_ASSERT(!fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, size), "fallocate() failed");
	TEST_ASSERT(!set_region2(vm_fd, 1, KVM_MEM_GUEST_MEMFD, 1ULL << 32, size, mem, fd, 0),
		    "binding failed, errno %d", errno);

	if (vm_first) {
		close(vm_fd);
		/* The file keeps the VM alive: it still works. */
		TEST_ASSERT(!fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, size),
			    "punching a hole after closing the VM failed");
		close(fd);
	} else {
		close(fd);
		TEST_ASSERT(!set_region2(vm_fd, 1, 0, 0, 0, NULL, 0, 0),
			    "deleting a slot whose file is closed failed, errno %d", errno);
		close(vm_fd);
	}
	munmap(mem, size);
}

int main(int argc, char *argv[])
{
	size_t size;
	int kvm_fd, vm_fd, fd, types;

	page_size = getpagesize();
	size = NR_FILE_PAGES * page_size;

	kvm_fd = open_kvm_dev_path_or_exit();
	types = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_VM_TYPES);
	__TEST_REQUIRE(types > 0 && (types & BIT(PRIVATE_VM_TYPE)),
		       "KVM_X86_SW_PROTECTED_VM is not supported (CONFIG_KVM_SW_PROTECTED_VM, TDP)");

	vm_fd = create_vm_fd(kvm_fd, PRIVATE_VM_TYPE);
	test_capabilities(kvm_fd, vm_fd);
	test_create_args(vm_fd);

	fd = create_gmem(vm_fd, size, 0);
	TEST_ASSERT(fd >= 0, "create failed, errno %d", errno);
	test_no_host_access(fd);
	test_size(fd, size);
	test_fallocate(fd, size);
	test_bindings(kvm_fd, vm_fd, fd, size);
	close(fd);
	close(vm_fd);

	test_default_vm(kvm_fd);
	test_lifetime(kvm_fd, true);
	test_lifetime(kvm_fd, false);

	close(kvm_fd);
	return 0;
}
