// SPDX-License-Identifier: GPL-2.0-only
/*
 * guest_memfd: memory for a VM's private gfns (KVM_CREATE_GUEST_MEMFD).
 *
 * A guest_memfd is a file whose page cache only KVM uses: it has no read,
 * write or mmap, so the host reaches its pages only through the guest's
 * page tables.  Memslots created with KVM_MEM_GUEST_MEMFD name a range of
 * the file; the MMU serves the slot's private gfns from that range and its
 * shared gfns from the slot's userspace mapping as before.
 *
 * Each file lives on an internal pseudo filesystem so that it has an inode
 * and page cache of its own.  The file holds a reference to its VM, so the
 * VM outlives every guest_memfd it created; a binding does not hold a
 * reference to the file, so closing the last file descriptor ends its
 * bindings (the slots then have no private backing) and frees its memory.
 *
 * Locking: the list of bindings of a file is changed with the mapping's
 * invalidate_lock held for write; binding and unbinding also run under the
 * VM's slots_lock, which release takes first, so a memslot cannot be freed
 * while release walks the list.  Faults find the file of a slot under RCU.
 */

#include <linux/fs.h>
/* Uses the __s16 and friends that fs.h brings in. */
#include <linux/falloc.h>
#include <linux/file.h>
#include <linux/kvm_host.h>
#include <linux/mount.h>
#include <linux/pagemap.h>
#include <linux/pseudo_fs.h>

#include "kvm_mm.h"

/* "KVMg" in ASCII; the filesystem is internal, the value only has to be unique. */
#define KVM_GMEM_FS_MAGIC	0x4b564d67

/**
 * struct kvm_gmem - What a guest_memfd knows about its users
 * @kvm: the VM that created the file; a reference is held
 * @bindings: memslots bound to the file, linked by their gmem.node
 */
struct kvm_gmem {
	struct kvm *kvm;
	struct list_head bindings;
};

static struct vfsmount *kvm_gmem_mnt;
static const struct file_operations kvm_gmem_fops;

static pgoff_t slot_first_index(const struct kvm_memory_slot *slot)
{
	return slot->gmem.pgoff;
}

static pgoff_t slot_end_index(const struct kvm_memory_slot *slot)
{
	return slot->gmem.pgoff + slot->npages;
}

/*
 * Zap the guest mappings of file pages [start, end) in every bound slot and
 * keep the VM's invalidation count raised until end_invalidation(), so that
 * a fault which looked the page up before the zap retries.
 */
static void begin_invalidation(struct kvm_gmem *gmem, pgoff_t start,
			       pgoff_t end)
{
	struct kvm *kvm = gmem->kvm;
	struct kvm_memory_slot *slot;
	bool flush = false;

	KVM_MMU_LOCK(kvm);
	kvm_mmu_invalidate_begin(kvm, 0, ULONG_MAX);
	list_for_each_entry(slot, &gmem->bindings, gmem.node) {
		pgoff_t first = max(start, slot_first_index(slot));
		pgoff_t last = min(end, slot_end_index(slot));
		struct kvm_gfn_range range = {
			.slot = slot,
			.pte = __pte(0),
			.may_block = true,
		};

		if (first >= last)
			continue;
		range.start = slot->base_gfn + first - slot->gmem.pgoff;
		range.end = slot->base_gfn + last - slot->gmem.pgoff;
		flush |= kvm_unmap_gfn_range(kvm, &range);
	}
	if (flush)
		kvm_flush_remote_tlbs(kvm);
	KVM_MMU_UNLOCK(kvm);
}

static void end_invalidation(struct kvm_gmem *gmem)
{
	struct kvm *kvm = gmem->kvm;

	KVM_MMU_LOCK(kvm);
	kvm_mmu_invalidate_end(kvm, 0, ULONG_MAX);
	KVM_MMU_UNLOCK(kvm);
}

/*
 * Find or allocate the folio at @index, locked and with a reference.  The
 * page is not cleared here: that happens when it is first given to the
 * guest, see kvm_gmem_get_pfn().
 */
static struct folio *get_locked_folio(struct inode *inode, pgoff_t index)
{
	struct folio *folio;

	folio = __filemap_get_folio(inode->i_mapping, index,
				    FGP_LOCK | FGP_ACCESSED | FGP_CREAT,
				    mapping_gfp_mask(inode->i_mapping));
	return folio ?: ERR_PTR(-ENOMEM);
}

static long kvm_gmem_allocate(struct inode *inode, loff_t offset, loff_t len)
{
	pgoff_t index = offset >> PAGE_SHIFT;
	pgoff_t end = (offset + len) >> PAGE_SHIFT;
	long r = 0;

	if (offset + len > i_size_read(inode))
		return -EINVAL;

	filemap_invalidate_lock_shared(inode->i_mapping);
	for (; index < end; index++) {
		struct folio *folio;

		if (fatal_signal_pending(current)) {
			r = -EINTR;
			break;
		}

		folio = get_locked_folio(inode, index);
		if (IS_ERR(folio)) {
			r = PTR_ERR(folio);
			break;
		}
		folio_unlock(folio);
		folio_put(folio);
		cond_resched();
	}
	filemap_invalidate_unlock_shared(inode->i_mapping);
	return r;
}

static long kvm_gmem_punch_hole(struct inode *inode, loff_t offset, loff_t len)
{
	struct kvm_gmem *gmem = inode->i_private;
	pgoff_t start = offset >> PAGE_SHIFT;
	pgoff_t end = (offset + len) >> PAGE_SHIFT;

	/*
	 * The invalidate_lock keeps faults through the page cache and new
	 * bindings out while the guest loses the pages.
	 */
	filemap_invalidate_lock(inode->i_mapping);
	begin_invalidation(gmem, start, end);
	truncate_inode_pages_range(inode->i_mapping, offset, offset + len - 1);
	end_invalidation(gmem);
	filemap_invalidate_unlock(inode->i_mapping);
	return 0;
}

static long kvm_gmem_fallocate(struct file *file, int mode, loff_t offset,
			       loff_t len)
{
	long r;

	/* The size is fixed at creation. */
	if (!(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	if (!PAGE_ALIGNED(offset) || !PAGE_ALIGNED(len))
		return -EINVAL;

	if (mode & FALLOC_FL_PUNCH_HOLE)
		r = kvm_gmem_punch_hole(file_inode(file), offset, len);
	else
		r = kvm_gmem_allocate(file_inode(file), offset, len);

	if (!r)
		file_modified(file);
	return r;
}

static int kvm_gmem_release(struct inode *inode, struct file *file)
{
	struct kvm_gmem *gmem = file->private_data;
	struct kvm_memory_slot *slot, *next;
	struct kvm *kvm = gmem->kvm;

	mutex_lock(&kvm->slots_lock);
	filemap_invalidate_lock(inode->i_mapping);

	/*
	 * The guest must not keep mappings of pages that are freed with the
	 * inode; the slots stay, without private backing.
	 */
	begin_invalidation(gmem, 0, -1UL);
	list_for_each_entry_safe(slot, next, &gmem->bindings, gmem.node) {
		rcu_assign_pointer(slot->gmem.file, NULL);
		list_del_init(&slot->gmem.node);
	}
	end_invalidation(gmem);

	filemap_invalidate_unlock(inode->i_mapping);
	mutex_unlock(&kvm->slots_lock);

	inode->i_private = NULL;
	kfree(gmem);
	kvm_put_kvm(kvm);
	return 0;
}

static const struct file_operations kvm_gmem_fops = {
	.open		= generic_file_open,
	.release	= kvm_gmem_release,
	.fallocate	= kvm_gmem_fallocate,
	.llseek		= noop_llseek,
};

/* The size is fixed at creation: no truncate, no other attribute change. */
static int kvm_gmem_setattr(struct user_namespace *mnt_userns,
			    struct dentry *dentry, struct iattr *attr)
{
	return -EINVAL;
}

static const struct inode_operations kvm_gmem_iops = {
	.setattr	= kvm_gmem_setattr,
};

/* The pages are pinned for the guest: never move them. */
static int kvm_gmem_migrate_folio(struct address_space *mapping,
				  struct folio *dst, struct folio *src,
				  enum migrate_mode mode)
{
	return -EBUSY;
}

/*
 * A poisoned page stays in the page cache so that kvm_gmem_get_pfn() can
 * report it; the guest loses its mapping now.
 */
static int kvm_gmem_error_remove_page(struct address_space *mapping,
				      struct page *page)
{
	struct kvm_gmem *gmem = mapping->host->i_private;
	pgoff_t index = page_folio(page)->index;

	filemap_invalidate_lock_shared(mapping);
	if (gmem) {
		begin_invalidation(gmem, index, index + 1);
		end_invalidation(gmem);
	}
	filemap_invalidate_unlock_shared(mapping);
	return MF_DELAYED;
}

#ifdef CONFIG_HAVE_KVM_ARCH_GMEM_INVALIDATE
/* The page leaves guest_memfd: the architecture makes it host memory again. */
static void kvm_gmem_free_folio(struct folio *folio)
{
	kvm_pfn_t pfn = folio_pfn(folio);

	kvm_arch_gmem_invalidate(pfn, pfn + folio_nr_pages(folio));
}
#endif

static const struct address_space_operations kvm_gmem_aops = {
	.dirty_folio		= noop_dirty_folio,
	.migrate_folio		= kvm_gmem_migrate_folio,
	.error_remove_page	= kvm_gmem_error_remove_page,
#ifdef CONFIG_HAVE_KVM_ARCH_GMEM_INVALIDATE
	.free_folio		= kvm_gmem_free_folio,
#endif
};

static struct inode *kvm_gmem_new_inode(struct kvm_gmem *gmem, loff_t size)
{
	struct inode *inode;

	inode = anon_inode_make_secure_inode(kvm_gmem_mnt->mnt_sb,
					     "[kvm-gmem]", NULL);
	if (IS_ERR(inode))
		return inode;

	/* fallocate() only works on regular files. */
	inode->i_mode |= S_IFREG;
	inode->i_op = &kvm_gmem_iops;
	inode->i_private = gmem;
	inode->i_size = size;
	inode->i_mapping->a_ops = &kvm_gmem_aops;
	/* Not movable (see migrate_folio) and never swapped out. */
	mapping_set_gfp_mask(inode->i_mapping, GFP_HIGHUSER);
	mapping_set_unevictable(inode->i_mapping);
	return inode;
}

/**
 * kvm_gmem_create() - Handle KVM_CREATE_GUEST_MEMFD
 * @kvm: the VM the memory is for
 * @args: the request, already copied from userspace
 *
 * Return: a new file descriptor, -EINVAL for a size that is zero, not
 * page-aligned or too large, or for non-zero flags or reserved fields, or
 * another negative errno if the file could not be created.
 */
int kvm_gmem_create(struct kvm *kvm, const struct kvm_create_guest_memfd *args)
{
	loff_t size = args->size;
	struct kvm_gmem *gmem;
	struct inode *inode;
	struct file *file;
	int fd, r;

	if (args->flags || memchr_inv(args->reserved, 0, sizeof(args->reserved)))
		return -EINVAL;
	if (size <= 0 || size > MAX_LFS_FILESIZE || !PAGE_ALIGNED(size))
		return -EINVAL;

	fd = get_unused_fd_flags(0);
	if (fd < 0)
		return fd;

	r = -ENOMEM;
	gmem = kzalloc(sizeof(*gmem), GFP_KERNEL_ACCOUNT);
	if (!gmem)
		goto err_fd;
	INIT_LIST_HEAD(&gmem->bindings);

	inode = kvm_gmem_new_inode(gmem, size);
	if (IS_ERR(inode)) {
		r = PTR_ERR(inode);
		goto err_gmem;
	}

	file = alloc_file_pseudo(inode, kvm_gmem_mnt, "kvm-gmem",
				 O_RDWR | O_LARGEFILE, &kvm_gmem_fops);
	if (IS_ERR(file)) {
		r = PTR_ERR(file);
		goto err_inode;
	}
	file->private_data = gmem;

	kvm_get_kvm(kvm);
	gmem->kvm = kvm;
	fd_install(fd, file);
	return fd;

err_inode:
	iput(inode);
err_gmem:
	kfree(gmem);
err_fd:
	put_unused_fd(fd);
	return r;
}

/**
 * kvm_gmem_bind() - Back a new memslot's private gfns with a guest_memfd
 * @kvm: the VM
 * @slot: the memslot being created; base_gfn and npages are set
 * @fd: the guest_memfd
 * @offset: byte offset in the file of the slot's first gfn
 *
 * Called with slots_lock held.
 *
 * Return: 0 on success, -EBADF if @fd is not open, -EINVAL if it is not a
 * guest_memfd of @kvm or the range is unaligned or not inside the file,
 * -EEXIST if the range overlaps another binding of the same file.
 */
int kvm_gmem_bind(struct kvm *kvm, struct kvm_memory_slot *slot,
		  unsigned int fd, loff_t offset)
{
	loff_t len = (loff_t)slot->npages << PAGE_SHIFT;
	struct kvm_memory_slot *other;
	struct kvm_gmem *gmem;
	struct inode *inode;
	struct file *file;
	int r = -EINVAL;

	lockdep_assert_held(&kvm->slots_lock);

	file = fget(fd);
	if (!file)
		return -EBADF;
	if (file->f_op != &kvm_gmem_fops)
		goto out;

	gmem = file->private_data;
	inode = file_inode(file);
	if (gmem->kvm != kvm)
		goto out;
	if (offset < 0 || !PAGE_ALIGNED(offset) ||
	    len > i_size_read(inode) || offset > i_size_read(inode) - len)
		goto out;

	slot->gmem.pgoff = offset >> PAGE_SHIFT;

	filemap_invalidate_lock(inode->i_mapping);
	r = -EEXIST;
	list_for_each_entry(other, &gmem->bindings, gmem.node) {
		if (slot_first_index(slot) < slot_end_index(other) &&
		    slot_first_index(other) < slot_end_index(slot))
			goto out_unlock;
	}
	list_add(&slot->gmem.node, &gmem->bindings);
	rcu_assign_pointer(slot->gmem.file, file);
	r = 0;
out_unlock:
	filemap_invalidate_unlock(inode->i_mapping);
out:
	fput(file);
	return r;
}

/**
 * kvm_gmem_unbind() - End a memslot's binding to its guest_memfd
 * @slot: the memslot, about to be freed
 *
 * Called with slots_lock held, or while the VM is destroyed: then every
 * guest_memfd of the VM has been released (each holds a VM reference) and
 * the slot is no longer bound.
 */
void kvm_gmem_unbind(struct kvm_memory_slot *slot)
{
	struct file *file;

	/*
	 * Under slots_lock a file whose last reference is gone still waits
	 * in kvm_gmem_release() for the lock, so it is safe to use here.
	 */
	file = rcu_dereference_protected(slot->gmem.file, true);
	if (!file)
		return;

	filemap_invalidate_lock(file->f_mapping);
	list_del_init(&slot->gmem.node);
	rcu_assign_pointer(slot->gmem.file, NULL);
	filemap_invalidate_unlock(file->f_mapping);

	/* Faults that found the file under RCU are done with the slot. */
	synchronize_rcu();
}

/* The slot's file with a reference, or NULL once it has been released. */
static struct file *get_slot_file(struct kvm_memory_slot *slot)
{
	struct file *file;

	rcu_read_lock();
	file = rcu_dereference(slot->gmem.file);
	if (file && !get_file_rcu(file))
		file = NULL;
	rcu_read_unlock();
	return file;
}

/**
 * kvm_gmem_get_pfn() - Get the private page that backs a gfn
 * @kvm: the VM
 * @slot: a memslot of @kvm with KVM_MEM_GUEST_MEMFD that contains @gfn
 * @gfn: the gfn
 * @pfn: set to the page's pfn; the caller holds a page reference and drops
 *       it with kvm_release_pfn_clean()
 * @max_order: set to the order of the largest mapping the backing allows
 *
 * The page is allocated if needed.  The first time a page is handed out
 * it is cleared and the architecture prepares it for private use.
 *
 * Return: 0 on success, -EFAULT if the slot has no guest_memfd any more,
 * -EHWPOISON for a poisoned page, -ENOMEM, or the architecture's error.
 */
int kvm_gmem_get_pfn(struct kvm *kvm, struct kvm_memory_slot *slot,
		     gfn_t gfn, kvm_pfn_t *pfn, int *max_order)
{
	pgoff_t index = slot->gmem.pgoff + (gfn - slot->base_gfn);
	struct kvm_gmem *gmem;
	struct folio *folio;
	struct file *file;
	int r = 0;

	file = get_slot_file(slot);
	if (!file)
		return -EFAULT;

	gmem = file->private_data;
	if (WARN_ON_ONCE(gmem->kvm != kvm)) {
		r = -EFAULT;
		goto out_fput;
	}

	folio = get_locked_folio(file_inode(file), index);
	if (IS_ERR(folio)) {
		r = PTR_ERR(folio);
		goto out_fput;
	}

	if (folio_test_hwpoison(folio)) {
		r = -EHWPOISON;
		goto out_folio;
	}

	*pfn = folio_pfn(folio);
	*max_order = 0;

	if (!folio_test_uptodate(folio)) {
		clear_highpage(folio_page(folio, 0));
		r = kvm_arch_gmem_prepare(kvm, gfn, *pfn, *max_order);
		if (!r)
			folio_mark_uptodate(folio);
	}

out_folio:
	folio_unlock(folio);
	if (r)
		folio_put(folio);
out_fput:
	fput(file);
	return r;
}
EXPORT_SYMBOL_GPL(kvm_gmem_get_pfn);

static int kvm_gmem_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, KVM_GMEM_FS_MAGIC) ? 0 : -ENOMEM;
}

static struct file_system_type kvm_gmem_fs = {
	.name		= "kvm_guest_memfd",
	.init_fs_context = kvm_gmem_init_fs_context,
	.kill_sb	= kill_anon_super,
};

int kvm_gmem_init(void)
{
	kvm_gmem_mnt = kern_mount(&kvm_gmem_fs);
	if (IS_ERR(kvm_gmem_mnt))
		return PTR_ERR(kvm_gmem_mnt);

	kvm_gmem_mnt->mnt_flags |= MNT_NOEXEC;
	return 0;
}

void kvm_gmem_exit(void)
{
	kern_unmount(kvm_gmem_mnt);
}
