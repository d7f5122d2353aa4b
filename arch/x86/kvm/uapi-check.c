// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compile-time checks of the KVM uAPI this series adds. The numbers must be
 * the ones upstream Linux (6.12 and later) uses, so that userspace written
 * for upstream runs unchanged; a change to the headers that moves one fails
 * the build here.
 */

#include <linux/build_bug.h>
#include <linux/kvm.h>

/* KVM_CREATE_VM types and the capability that lists them. */
static_assert(KVM_CAP_VM_TYPES == 235);
static_assert(KVM_X86_DEFAULT_VM == 0);
static_assert(KVM_X86_SW_PROTECTED_VM == 1);
static_assert(KVM_X86_SEV_VM == 2);
static_assert(KVM_X86_SEV_ES_VM == 3);
static_assert(KVM_X86_SNP_VM == 4);
