// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-gfn memory attributes of a VM (KVM_SET_MEMORY_ATTRIBUTES).
 *
 * The only attribute is KVM_MEMORY_ATTRIBUTE_PRIVATE: a private gfn is
 * backed by the guest_memfd bound to its memslot, a shared one by the
 * memslot's userspace mapping.  Attributes belong to the VM, not to a
 * memslot, so they can be set before the memory exists and survive memslot
 * changes.
 *
 * The attributes live in an xarray indexed by gfn, one value entry per gfn
 * whose attributes are not zero.  Writers hold slots_lock.  A change first
 * raises the MMU invalidation count and zaps the range, so that a page fault
 * racing with the change retries instead of installing a mapping that was
 * decided on the old attributes; then it updates the array, lets the
 * architecture redo its large-page bookkeeping and drops the count.
 */

#include <linux/kvm_host.h>
#include <linux/sched.h>
#include <linux/xarray.h>

#include "kvm_mm.h"

/**
 * kvm_supported_memory_attributes() - The attributes a VM accepts
 * @kvm: the VM, or NULL for /dev/kvm
 *
 * Also the answer to KVM_CHECK_EXTENSION(KVM_CAP_MEMORY_ATTRIBUTES).
 *
 * Return: the attribute bits KVM_SET_MEMORY_ATTRIBUTES accepts.
 */
unsigned long kvm_supported_memory_attributes(struct kvm *kvm)
{
	/* /dev/kvm answers for the VM types that have private memory. */
	if (!kvm || kvm_arch_has_private_mem(kvm))
		return KVM_MEMORY_ATTRIBUTE_PRIVATE;

	return 0;
}

/**
 * kvm_range_has_memory_attributes() - Check a gfn range for uniform attributes
 * @kvm: the VM
 * @start: first gfn
 * @end: gfn after the last one
 * @attrs: the attributes every gfn must have (0 for none)
 *
 * Return: true if every gfn in [@start, @end) has exactly @attrs.
 */
bool kvm_range_has_memory_attributes(struct kvm *kvm, gfn_t start, gfn_t end,
				     unsigned long attrs)
{
	unsigned long index = start;
	gfn_t gfn;

	if (start >= end)
		return true;

	/* No attributes: nothing may be stored anywhere in the range. */
	if (!attrs)
		return !xa_find(&kvm->mem_attr_array, &index, end - 1, XA_PRESENT);

	for (gfn = start; gfn < end; gfn++) {
		if (kvm_get_memory_attributes(kvm, gfn) != attrs)
			return false;
	}
	return true;
}

/* Drop the slots reserved by reserve_range() for [start, end). */
static void release_range(struct kvm *kvm, gfn_t start, gfn_t end)
{
	gfn_t gfn;

	for (gfn = start; gfn < end; gfn++)
		xa_release(&kvm->mem_attr_array, gfn);
}

/*
 * Allocate the xarray nodes for every gfn up front, so that the update
 * itself cannot fail halfway and leave the range with mixed attributes.
 */
static int reserve_range(struct kvm *kvm, gfn_t start, gfn_t end)
{
	gfn_t gfn;
	int r;

	for (gfn = start; gfn < end; gfn++) {
		r = xa_reserve(&kvm->mem_attr_array, gfn, GFP_KERNEL_ACCOUNT);
		if (r) {
			release_range(kvm, start, gfn);
			return r;
		}
		cond_resched();
	}
	return 0;
}

/*
 * Call @fn for the part of [start, end) that each memslot, in every address
 * space, covers.  Returns true if any call asked for a TLB flush.
 */
typedef bool (*slot_range_fn)(struct kvm *kvm, struct kvm_gfn_range *range,
			      unsigned long attrs);

static bool apply_to_slots_in_range(struct kvm *kvm, gfn_t start, gfn_t end,
				    slot_range_fn fn, unsigned long attrs)
{
	struct kvm_memslot_iter iter;
	struct kvm_gfn_range range;
	bool flush = false;
	int as_id;

	for (as_id = 0; as_id < KVM_ADDRESS_SPACE_NUM; as_id++) {
		struct kvm_memslots *slots = __kvm_memslots(kvm, as_id);

		kvm_for_each_memslot_in_gfn_range(&iter, slots, start, end) {
			struct kvm_memory_slot *slot = iter.slot;

			range = (struct kvm_gfn_range) {
				.slot = slot,
				.start = max(start, slot->base_gfn),
				.end = min(end, slot->base_gfn + slot->npages),
				.pte = __pte(0),
				.may_block = true,
			};
			flush |= fn(kvm, &range, attrs);
		}
	}
	return flush;
}

static bool zap_range(struct kvm *kvm, struct kvm_gfn_range *range,
		      unsigned long attrs)
{
	return kvm_unmap_gfn_range(kvm, range);
}

static bool update_arch_range(struct kvm *kvm, struct kvm_gfn_range *range,
			      unsigned long attrs)
{
	kvm_arch_post_set_memory_attributes(kvm, range->slot, range->start,
					    range->end, attrs);
	return false;
}

/*
 * The invalidation covers every host address: the gfn range maps to one
 * host range per memslot, and a fault that retries once too often costs
 * less than tracking them.
 */
static void begin_attribute_change(struct kvm *kvm, gfn_t start, gfn_t end)
{
	KVM_MMU_LOCK(kvm);
	kvm_mmu_invalidate_begin(kvm, 0, ULONG_MAX);
	if (apply_to_slots_in_range(kvm, start, end, zap_range, 0))
		kvm_flush_remote_tlbs(kvm);
	KVM_MMU_UNLOCK(kvm);
}

static void end_attribute_change(struct kvm *kvm, gfn_t start, gfn_t end,
				 unsigned long attrs)
{
	KVM_MMU_LOCK(kvm);
	apply_to_slots_in_range(kvm, start, end, update_arch_range, attrs);
	kvm_mmu_invalidate_end(kvm, 0, ULONG_MAX);
	KVM_MMU_UNLOCK(kvm);
}

static int set_memory_attributes(struct kvm *kvm, gfn_t start, gfn_t end,
				 unsigned long attrs)
{
	void *entry = xa_mk_value(attrs);
	unsigned long index;
	void *old;
	gfn_t gfn;
	int r = 0;

	mutex_lock(&kvm->slots_lock);

	if (kvm_range_has_memory_attributes(kvm, start, end, attrs))
		goto out;

	if (attrs) {
		r = reserve_range(kvm, start, end);
		if (r)
			goto out;
	}

	begin_attribute_change(kvm, start, end);

	if (attrs) {
		/* Storing into a reserved slot does not allocate or fail. */
		for (gfn = start; gfn < end; gfn++) {
			xa_store(&kvm->mem_attr_array, gfn, entry,
				 GFP_KERNEL_ACCOUNT);
			cond_resched();
		}
	} else {
		/* Clearing visits only the gfns that have attributes. */
		xa_for_each_range(&kvm->mem_attr_array, index, old, start,
				  end - 1) {
			xa_erase(&kvm->mem_attr_array, index);
			cond_resched();
		}
	}

	end_attribute_change(kvm, start, end, attrs);
out:
	mutex_unlock(&kvm->slots_lock);
	return r;
}

/**
 * kvm_vm_ioctl_set_memory_attributes() - Handle KVM_SET_MEMORY_ATTRIBUTES
 * @kvm: the VM
 * @attrs: the request, already copied from userspace
 *
 * Return: 0 once every gfn of the range has the requested attributes,
 * -EINVAL for a malformed request, -ENOMEM if the array could not grow (the
 * attributes are then unchanged).
 */
int kvm_vm_ioctl_set_memory_attributes(struct kvm *kvm,
				       const struct kvm_memory_attributes *attrs)
{
	gfn_t start, end;

	/* The array stores one unsigned long of attributes per gfn. */
	BUILD_BUG_ON(sizeof(attrs->attributes) != sizeof(unsigned long));

	if (attrs->flags)
		return -EINVAL;
	if (attrs->attributes & ~kvm_supported_memory_attributes(kvm))
		return -EINVAL;
	if (!attrs->size || attrs->address + attrs->size < attrs->address)
		return -EINVAL;
	if (!PAGE_ALIGNED(attrs->address) || !PAGE_ALIGNED(attrs->size))
		return -EINVAL;

	start = attrs->address >> PAGE_SHIFT;
	end = (attrs->address + attrs->size) >> PAGE_SHIFT;

	return set_memory_attributes(kvm, start, end, attrs->attributes);
}
