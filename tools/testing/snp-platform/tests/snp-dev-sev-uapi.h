/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The /dev/sev uAPI of upstream Linux (include/uapi/linux/psp-sev.h, 6.12)
 * that the build machine's headers (Debian 12: 6.1) lack, for the model's
 * test programs: the SNP command numbers and structures, byte for byte,
 * under names of their own so that newer headers do not clash.
 */
#ifndef SNP_DEV_SEV_UAPI_H
#define SNP_DEV_SEV_UAPI_H

#include <stddef.h>
#include <linux/psp-sev.h>

#ifndef __packed
#define __packed __attribute__((packed))
#endif

/* The commands after SEV_GET_ID2 in upstream's enum (6.11 and later). */
enum {
	SNP_PLATFORM_STATUS_CMD = 9,
	SNP_COMMIT_CMD,
	SNP_SET_CONFIG_CMD,
	SNP_VLEK_LOAD_CMD,
	SEV_MAX_CMD,
};
_Static_assert(SEV_GET_ID2 + 1 == SNP_PLATFORM_STATUS_CMD,
	       "SNP_PLATFORM_STATUS follows SEV_GET_ID2");

/* struct sev_user_data_snp_status: the 32-byte SNP_PLATFORM_STATUS buffer. */
struct snp_status {
	__u8 api_major;
	__u8 api_minor;
	__u8 state;
	__u8 is_rmp_initialized:1;
	__u8 rsvd:7;
	__u32 build_id;
	__u32 mask_chip_id:1;
	__u32 mask_chip_key:1;
	__u32 vlek_en:1;
	__u32 rsvd1:29;
	__u32 guest_count;
	__u64 current_tcb_version;
	__u64 reported_tcb_version;
} __packed;

/* struct sev_user_data_snp_config */
struct snp_config {
	__u64 reported_tcb;
	__u32 mask_chip_id:1;
	__u32 mask_chip_key:1;
	__u32 rsvd:30;
	__u8 rsvd1[52];
} __packed;

/* struct sev_user_data_snp_vlek_load */
struct snp_vlek_load {
	__u32 len;
	__u8 vlek_wrapped_version;
	__u8 rsvd[3];
	__u64 vlek_wrapped_address;
} __packed;

/* struct sev_user_data_snp_wrapped_vlek_hashstick */
struct snp_vlek_hashstick {
	__u8 data[432];
} __packed;

_Static_assert(sizeof(struct snp_status) == 32, "snp_status size");
_Static_assert(offsetof(struct snp_status, state) == 2, "state");
_Static_assert(offsetof(struct snp_status, build_id) == 4, "build_id");
_Static_assert(offsetof(struct snp_status, guest_count) == 12, "guest_count");
_Static_assert(offsetof(struct snp_status, current_tcb_version) == 16,
	       "current_tcb_version");
_Static_assert(offsetof(struct snp_status, reported_tcb_version) == 24,
	       "reported_tcb_version");
_Static_assert(sizeof(struct snp_config) == 64, "snp_config size");
_Static_assert(sizeof(struct snp_vlek_load) == 16, "snp_vlek_load size");
_Static_assert(offsetof(struct snp_vlek_load, vlek_wrapped_address) == 8,
	       "vlek_wrapped_address");
_Static_assert(sizeof(struct sev_issue_cmd) == 16, "sev_issue_cmd size");

#endif /* SNP_DEV_SEV_UAPI_H */
