// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_CAP_VM_TYPES and KVM_CREATE_VM with a type: the default type is
 * always listed; every listed type can be created, and the VM reports the
 * same list; every other type, including ones that do not fit the
 * capability's bitmask, is refused with EINVAL.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "test_util.h"
#include "kvm_util.h"

/* Types above the bitmask's width, e.g. stray high bits of the argument. */
static const unsigned long out_of_range_types[] = {
	32, 63, 1UL << 32, ~0UL,
};

static bool listed(uint32_t types, unsigned long type)
{
	return type < 32 && (types & (1U << type));
}

static void check_type(int kvm_fd, uint32_t types, unsigned long type)
{
	int vm_fd, vm_types;

	vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, type);
	if (!listed(types, type)) {
		TEST_ASSERT(vm_fd < 0 && errno == EINVAL,
			    "KVM_CREATE_VM(%#lx) of an unlisted type: fd %d, errno %d, want EINVAL",
			    type, vm_fd, errno);
		return;
	}

	TEST_ASSERT(vm_fd >= 0, "KVM_CREATE_VM(%#lx) of a listed type failed, errno %d",
		    type, errno);
	vm_types = ioctl(vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_VM_TYPES);
	TEST_ASSERT(vm_types == (int)types,
		    "KVM_CAP_VM_TYPES on the VM is %#x, on /dev/kvm %#x", vm_types, types);
	close(vm_fd);
}

int main(void)
{
	int kvm_fd, ret;
	uint32_t types;
	unsigned long type;
	unsigned int i;

	kvm_fd = open_kvm_dev_path_or_exit();
	ret = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_VM_TYPES);
	TEST_REQUIRE(ret > 0);
	types = ret;

	TEST_ASSERT(types & (1U << KVM_X86_DEFAULT_VM),
		    "KVM_CAP_VM_TYPES %#x does not list KVM_X86_DEFAULT_VM", types);

	for (type = 0; type < 32; type++)
		check_type(kvm_fd, types, type);
	for (i = 0; i < ARRAY_SIZE(out_of_range_types); i++)
		check_type(kvm_fd, types, out_of_range_types[i]);

	pr_info("KVM_CAP_VM_TYPES = %#x\n", types);
	close(kvm_fd);
	return 0;
}
