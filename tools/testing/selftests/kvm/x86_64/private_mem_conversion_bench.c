// SPDX-License-Identifier: GPL-2.0-only
/*
 * How fast a KVM_X86_SW_PROTECTED_VM converts memory between private and
 * shared: a benchmark to run by hand, not a test.
 *
 * The guest converts a guest_memfd-backed range (1 GiB by default) from
 * private to shared and back with KVM_HC_MAP_GPA_RANGE, one hypercall per
 * granule (4 KiB or 2 MiB), touching one byte of every page on the way so
 * that each conversion also zaps and refaults real mappings.  The host
 * converts with KVM_SET_MEMORY_ATTRIBUTES and punches the private pages
 * out on the way to shared, as a VMM does.  It prints the wall time and
 * the number of exits, both per GiB.
 *
 * Usage: private_mem_conversion_bench [-s size_MiB] [-g 4k|2m] [-n rounds]
 */
#define _GNU_SOURCE /* for fallocate() */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/falloc.h>
#include <linux/kvm_para.h>

#include "test_util.h"
#include "kvm_util.h"
#include "processor.h"

#define DATA_GPA	BIT_ULL(32)
#define DATA_SLOT	10

static uint64_t data_size = 1ULL << 30;
static uint64_t granule = PAGE_SIZE;
static uint64_t rounds = 1;

static void guest_convert(uint64_t size, uint64_t step, bool shared)
{
	uint64_t attrs = shared ? KVM_MAP_GPA_RANGE_DECRYPTED :
				  KVM_MAP_GPA_RANGE_ENCRYPTED;
	uint64_t gpa, ret;

	for (gpa = DATA_GPA; gpa < DATA_GPA + size; gpa += step) {
		ret = kvm_hypercall(KVM_HC_MAP_GPA_RANGE, gpa, step / PAGE_SIZE,
				    attrs, 0);
		GUEST_ASSERT_1(!ret, ret);
	}
}

static void guest_touch(uint64_t size)
{
	uint64_t gpa;

	for (gpa = DATA_GPA; gpa < DATA_GPA + size; gpa += PAGE_SIZE)
		WRITE_ONCE(*(uint8_t *)gpa, 1);
}

static void guest_code(uint64_t size, uint64_t step, uint64_t nr_rounds)
{
	uint64_t i;

	for (i = 0; i < nr_rounds; i++) {
		guest_touch(size);
		GUEST_SYNC(0);
		guest_convert(size, step, true);
		guest_touch(size);
		guest_convert(size, step, false);
		guest_touch(size);
		GUEST_SYNC(1);
	}
	GUEST_DONE();
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char *argv[])
{
	uint64_t exits = 0, hypercalls = 0;
	double start = 0, elapsed = 0, gib;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	int opt, gmem_fd;

	while ((opt = getopt(argc, argv, "s:g:n:")) != -1) {
		switch (opt) {
		case 's':
			data_size = strtoull(optarg, NULL, 0) << 20;
			break;
		case 'g':
			granule = !strcmp(optarg, "2m") ? 2ULL << 20 : PAGE_SIZE;
			break;
		case 'n':
			rounds = strtoull(optarg, NULL, 0);
			break;
		default:
			printf("usage: %s [-s size_MiB] [-g 4k|2m] [-n rounds]\n", argv[0]);
			exit(KSFT_FAIL);
		}
	}
	TEST_ASSERT(data_size && !(data_size % granule), "size must be a multiple of the granule");

	TEST_REQUIRE(kvm_check_cap(KVM_CAP_VM_TYPES) & BIT(KVM_X86_SW_PROTECTED_VM));
	TEST_REQUIRE(kvm_check_cap(KVM_CAP_EXIT_HYPERCALL) & BIT(KVM_HC_MAP_GPA_RANGE));

	vm = vm_create_type_with_vcpus(KVM_X86_SW_PROTECTED_VM, 1,
				       data_size / PAGE_SIZE, guest_code, &vcpu);
	vm_enable_cap(vm, KVM_CAP_EXIT_HYPERCALL, BIT(KVM_HC_MAP_GPA_RANGE));
	gmem_fd = vm_create_guest_memfd(vm, data_size, 0);
	vm_mem_add(vm, VM_MEM_SRC_ANONYMOUS, DATA_GPA, DATA_SLOT,
		   data_size / PAGE_SIZE, KVM_MEM_GUEST_MEMFD, gmem_fd, 0);
	virt_map(vm, DATA_GPA, DATA_GPA, data_size / PAGE_SIZE);
	vm_mem_set_private(vm, DATA_GPA, data_size);
	vcpu_args_set(vcpu, 3, data_size, granule, rounds);

	for (;;) {
		vcpu_run(vcpu);
		exits++;

		if (vcpu->run->exit_reason == KVM_EXIT_HYPERCALL) {
			struct kvm_run *run = vcpu->run;
			uint64_t gpa = run->hypercall.args[0];
			uint64_t size = run->hypercall.args[1] * PAGE_SIZE;
			bool private = run->hypercall.args[2] & KVM_MAP_GPA_RANGE_ENCRYPTED;

			vm_set_memory_attributes(vm, gpa, size,
						 private ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0);
			if (!private)
				TEST_ASSERT(!fallocate(gmem_fd, FALLOC_FL_PUNCH_HOLE |
						       FALLOC_FL_KEEP_SIZE,
						       gpa - DATA_GPA, size),
					    "punching a hole failed, errno %d", errno);
			run->hypercall.ret = 0;
			hypercalls++;
			continue;
		}

		switch (get_ucall(vcpu, &uc)) {
		case UCALL_SYNC:
			if (uc.args[1] == 0) {
				start = now();
				exits = 0;
				hypercalls = 0;
			} else {
				elapsed += now() - start;
			}
			break;
		case UCALL_DONE:
			goto done;
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT_1(uc, "hypercall returned %#lx");
			/* not reached */
		default:
			TEST_FAIL("unexpected exit %s", exit_reason_str(vcpu->run->exit_reason));
		}
	}
done:
	gib = (double)data_size / (1ULL << 30);
	printf("converted %lu MiB private->shared->private in %s granules, %lu round(s)\n",
	       data_size >> 20, granule == PAGE_SIZE ? "4 KiB" : "2 MiB", rounds);
	printf("last round: %.3f s, %lu exits (%lu hypercalls); per GiB: %.3f s, %.0f exits\n",
	       elapsed / rounds, exits, hypercalls, elapsed / rounds / gib, exits / gib);

	close(gmem_fd);
	kvm_vm_free(vm);
	return 0;
}
