// SPDX-License-Identifier: GPL-2.0-only
/*
 * Private/shared conversions in a KVM_X86_SW_PROTECTED_VM, from several
 * vCPUs at once.
 *
 * Each vCPU owns a 2 MiB chunk of a guest_memfd slot, all private at the
 * start, and the host fills the slot's shared mapping with a pattern the
 * guest must never see while a page is private.  The guest writes its own
 * pattern to private memory, converts parts to shared and back with the
 * KVM_HC_MAP_GPA_RANGE hypercall (the host converts them with
 * KVM_SET_MEMORY_ATTRIBUTES and frees private pages with a punched hole),
 * and checks what it reads at every step; the host checks at every step
 * that its mapping never shows a private write.
 *
 * A SW-protected guest has no private bit in its page tables, the
 * attributes decide how it accesses a gfn, so an access never mismatches
 * them by itself.  Implicit conversions therefore use a second slot
 * without guest_memfd: a private access there cannot be served, KVM_RUN
 * fails with KVM_EXIT_MEMORY_FAULT, the host converts the page to shared
 * and the guest's access completes on the next run.
 */
#define _GNU_SOURCE /* for fallocate() */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <linux/falloc.h>
#include <linux/kvm_para.h>
#include <sys/mman.h>

#include "test_util.h"
#include "kvm_util.h"
#include "processor.h"

#define NR_VCPUS		2
#define CHUNK_SIZE		(2ULL << 20)
#define CHUNK_PAGES		(CHUNK_SIZE / PAGE_SIZE)
#define DATA_GPA		BIT_ULL(32)
#define DATA_SLOT		10
#define NOGMEM_GPA		(DATA_GPA + NR_VCPUS * CHUNK_SIZE)
#define NOGMEM_SLOT		11

#define HOST_PATTERN		0xaa
#define PRIVATE_PATTERN(i)	(0x10 + (i))
#define SHARED_PATTERN(i)	(0x20 + (i))

/* Guest-to-host requests, passed in GUEST_SYNC's argument. */
enum {
	SYNC_CHECK_HOST_VIEW = 1,	/* args: gpa, size, expected byte */
	SYNC_IMPLICIT_DONE,		/* args: gpa, value written */
};

static struct kvm_vm *vm;
static int gmem_fd;
static uint8_t *shared_mem;		/* host mapping of the data slot */
static uint8_t *nogmem_mem;		/* host mapping of the second slot */

/* Sub-ranges of a chunk converted by hypercall: offset and page count. */
static const struct {
	uint64_t page;
	uint64_t nr;
} ranges[] = {
	{ 0, 1 },			/* first page of a 2M page */
	{ 17, 3 },			/* inside */
	{ CHUNK_PAGES - 1, 1 },		/* last page */
	{ 0, CHUNK_PAGES },		/* the whole 2M page */
};

static void guest_check(uint64_t gpa, uint64_t size, uint8_t want)
{
	uint64_t i;

	for (i = 0; i < size; i++) {
		uint8_t val = READ_ONCE(*(uint8_t *)(gpa + i));

		GUEST_ASSERT_3(val == want, gpa + i, val, want);
	}
}

static void guest_map(uint64_t gpa, uint64_t nr_pages, bool shared)
{
	uint64_t attrs = shared ? KVM_MAP_GPA_RANGE_DECRYPTED :
				  KVM_MAP_GPA_RANGE_ENCRYPTED;
	uint64_t ret;

	ret = kvm_hypercall(KVM_HC_MAP_GPA_RANGE, gpa, nr_pages,
			    attrs | KVM_MAP_GPA_RANGE_PAGE_SZ_4K, 0);
	GUEST_ASSERT_3(!ret, gpa, ret, 0);
}

static void guest_sync_host_view(uint64_t gpa, uint64_t size, uint8_t want)
{
	GUEST_SYNC_ARGS(SYNC_CHECK_HOST_VIEW, gpa, size, want, 0);
}

static void guest_code(uint64_t id)
{
	uint64_t base = DATA_GPA + id * CHUNK_SIZE;
	uint64_t nogmem = NOGMEM_GPA + id * PAGE_SIZE;
	uint8_t priv = PRIVATE_PATTERN(id), shared = SHARED_PATTERN(id);
	unsigned int i;
	uint64_t val;

	/* Fresh private memory reads as zero, not as the host's pattern. */
	guest_check(base, CHUNK_SIZE, 0);
	memset((void *)base, priv, CHUNK_SIZE);
	guest_check(base, CHUNK_SIZE, priv);
	guest_sync_host_view(base, CHUNK_SIZE, HOST_PATTERN);

	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		uint64_t gpa = base + ranges[i].page * PAGE_SIZE;
		uint64_t size = ranges[i].nr * PAGE_SIZE;

		/* Explicit conversion to shared: the host's data appears. */
		guest_map(gpa, ranges[i].nr, true);
		guest_check(gpa, size, HOST_PATTERN);
		if (gpa > base)
			guest_check(base, gpa - base, priv);
		if (gpa + size < base + CHUNK_SIZE)
			guest_check(gpa + size, base + CHUNK_SIZE - gpa - size, priv);

		/* Shared writes reach the host; nothing else does. */
		memset((void *)gpa, shared, size);
		guest_sync_host_view(gpa, size, shared);
		if (gpa > base)
			guest_sync_host_view(base, gpa - base, HOST_PATTERN);

		/*
		 * Back to private: the host punched the old private pages
		 * out, so they come back zeroed, and the shared data stays
		 * in the host's mapping only.
		 */
		guest_map(gpa, ranges[i].nr, false);
		guest_check(gpa, size, 0);
		guest_sync_host_view(gpa, size, shared);
		memset((void *)gpa, priv, size);

		/* Let the host restore its pattern for the next round. */
		GUEST_SYNC_ARGS(SYNC_CHECK_HOST_VIEW, gpa, size, shared, 1);
	}
	guest_check(base, CHUNK_SIZE, priv);

	/*
	 * Implicit conversion: the host made this page private, but the
	 * slot has no guest_memfd; the write exits, the host converts the
	 * page to shared and the write completes.  Twice, to see that the
	 * exit repeats after the host makes the page private again.
	 */
	WRITE_ONCE(*(uint64_t *)nogmem, 0x1234 + id);
	GUEST_SYNC_ARGS(SYNC_IMPLICIT_DONE, nogmem, 0x1234 + id, 0, 0);
	val = READ_ONCE(*(uint64_t *)nogmem);
	GUEST_ASSERT_3(val == 0x5678 + id, nogmem, val, 0x5678 + id);

	GUEST_DONE();
}

static void host_check(uint64_t gpa, uint64_t size, uint8_t want)
{
	uint8_t *hva = shared_mem + (gpa - DATA_GPA);
	uint64_t i;

	for (i = 0; i < size; i++)
		TEST_ASSERT(hva[i] == want,
			    "host mapping at gpa %lx: %x, want %x (a private write leaked?)",
			    gpa + i, hva[i], want);
}

static void handle_map_gpa_range(struct kvm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	uint64_t gpa = run->hypercall.args[0];
	uint64_t size = run->hypercall.args[1] * PAGE_SIZE;
	bool private = run->hypercall.args[2] & KVM_MAP_GPA_RANGE_ENCRYPTED;

	ASSERT_EQ(run->hypercall.nr, KVM_HC_MAP_GPA_RANGE);
	/* All of flags is written: the garbage the host left is gone. */
	ASSERT_EQ(run->hypercall.flags, KVM_EXIT_HYPERCALL_LONG_MODE);
	TEST_ASSERT(gpa >= DATA_GPA && gpa + size <= DATA_GPA + NR_VCPUS * CHUNK_SIZE,
		    "conversion of %lx+%lx outside the data slot", gpa, size);

	vm_set_memory_attributes(vm, gpa, size,
				 private ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0);
	/* Shared pages need no private backing: give it back. */
	if (!private)
		TEST_ASSERT(!fallocate(gmem_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				       gpa - DATA_GPA, size),
			    "punching a hole failed, errno %d", errno);
	run->hypercall.ret = 0;
}

static void *vcpu_thread(void *arg)
{
	struct kvm_vcpu *vcpu = arg;
	struct kvm_run *run = vcpu->run;
	unsigned int memory_faults = 0;
	struct ucall uc;
	int r;

	for (;;) {
		/* Stale bits the kernel must overwrite on a hypercall exit. */
		run->hypercall.flags = ~0ULL;

		r = _vcpu_run(vcpu);
		if (r) {
			uint64_t gpa = run->memory_fault.gpa;

			TEST_ASSERT(r == -1 && errno == EFAULT &&
				    run->exit_reason == KVM_EXIT_MEMORY_FAULT,
				    "KVM_RUN: %d, errno %d, exit %s", r, errno,
				    exit_reason_str(run->exit_reason));
			ASSERT_EQ(run->memory_fault.flags, KVM_MEMORY_EXIT_FLAG_PRIVATE);
			ASSERT_EQ(run->memory_fault.size, PAGE_SIZE);
			ASSERT_EQ(gpa, NOGMEM_GPA + vcpu->id * PAGE_SIZE);
			vm_mem_set_shared(vm, gpa, PAGE_SIZE);
			memory_faults++;
			continue;
		}

		if (run->exit_reason == KVM_EXIT_HYPERCALL) {
			handle_map_gpa_range(vcpu);
			continue;
		}

		TEST_ASSERT(run->exit_reason == KVM_EXIT_IO, "vCPU %u: exit %s",
			    vcpu->id, exit_reason_str(run->exit_reason));
		switch (get_ucall(vcpu, &uc)) {
		case UCALL_SYNC:
			if (uc.args[1] == SYNC_CHECK_HOST_VIEW) {
				host_check(uc.args[2], uc.args[3], uc.args[4]);
				if (uc.args[5])
					memset(shared_mem + (uc.args[2] - DATA_GPA),
					       HOST_PATTERN, uc.args[3]);
			} else {
				uint64_t gpa = uc.args[2];
				uint64_t *hva = (void *)(nogmem_mem + (gpa - NOGMEM_GPA));

				ASSERT_EQ(uc.args[1], SYNC_IMPLICIT_DONE);
				ASSERT_EQ(*hva, uc.args[3]);
				ASSERT_EQ(memory_faults, 1);
				/* Private again; the guest's read must exit too. */
				*hva = 0x5678 + vcpu->id;
				vm_mem_set_private(vm, gpa, PAGE_SIZE);
			}
			break;
		case UCALL_DONE:
			ASSERT_EQ(memory_faults, 2);
			return NULL;
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT_3(uc, "gpa %#lx: got %#lx, want %#lx");
			/* not reached */
		default:
			TEST_FAIL("vCPU %u: unexpected ucall %lu", vcpu->id, uc.cmd);
		}
	}
}

int main(int argc, char *argv[])
{
	struct kvm_vcpu *vcpus[NR_VCPUS];
	pthread_t threads[NR_VCPUS];
	uint64_t data_size = NR_VCPUS * CHUNK_SIZE;
	unsigned int i;

	TEST_REQUIRE(kvm_check_cap(KVM_CAP_VM_TYPES) & BIT(KVM_X86_SW_PROTECTED_VM));
	TEST_REQUIRE(kvm_check_cap(KVM_CAP_EXIT_HYPERCALL) & BIT(KVM_HC_MAP_GPA_RANGE));

	vm = vm_create_type_with_vcpus(KVM_X86_SW_PROTECTED_VM, NR_VCPUS,
				       (data_size + NR_VCPUS * PAGE_SIZE) / PAGE_SIZE,
				       guest_code, vcpus);
	vm_enable_cap(vm, KVM_CAP_EXIT_HYPERCALL, BIT(KVM_HC_MAP_GPA_RANGE));

	gmem_fd = vm_create_guest_memfd(vm, data_size, 0);
	vm_mem_add(vm, VM_MEM_SRC_ANONYMOUS, DATA_GPA, DATA_SLOT,
		   data_size / PAGE_SIZE, KVM_MEM_GUEST_MEMFD, gmem_fd, 0);
	vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS, NOGMEM_GPA,
				    NOGMEM_SLOT, NR_VCPUS, 0);
	virt_map(vm, DATA_GPA, DATA_GPA, data_size / PAGE_SIZE + NR_VCPUS);

	shared_mem = addr_gpa2hva(vm, DATA_GPA);
	nogmem_mem = addr_gpa2hva(vm, NOGMEM_GPA);
	memset(shared_mem, HOST_PATTERN, data_size);
	memset(nogmem_mem, 0, NR_VCPUS * PAGE_SIZE);

	vm_mem_set_private(vm, DATA_GPA, data_size);
	vm_mem_set_private(vm, NOGMEM_GPA, NR_VCPUS * PAGE_SIZE);

	for (i = 0; i < NR_VCPUS; i++) {
		vcpu_args_set(vcpus[i], 1, i);
		pthread_create(&threads[i], NULL, vcpu_thread, vcpus[i]);
	}
	for (i = 0; i < NR_VCPUS; i++)
		pthread_join(threads[i], NULL);

	close(gmem_fd);
	kvm_vm_free(vm);
	return 0;
}
