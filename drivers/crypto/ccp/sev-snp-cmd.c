// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV-SNP firmware commands: the size of each command buffer, names for
 * the firmware's status codes, and build-time checks that the command
 * buffers and the /dev/sev structures have the layout of the firmware ABI
 * and of the upstream uAPI.
 */

#include <linux/build_bug.h>
#include <linux/kernel.h>
#include <linux/psp-sev-snp.h>
#include <linux/stddef.h>
#include <uapi/linux/psp-sev.h>

#include "sev-snp.h"

#define SNP_ASSERT_SIZE(type, size) \
	static_assert(sizeof(struct type) == (size), #type " has the wrong size")
#define SNP_ASSERT_OFFSET(type, field, off) \
	static_assert(offsetof(struct type, field) == (off), \
		      #type "." #field " is at the wrong offset")

/* Firmware command buffers */
SNP_ASSERT_SIZE(sev_data_snp_paddr, 8);
SNP_ASSERT_SIZE(sev_data_snp_range, 16);
SNP_ASSERT_SIZE(sev_data_snp_range_list, 8);
SNP_ASSERT_SIZE(sev_data_snp_init_ex, 64);
SNP_ASSERT_OFFSET(sev_data_snp_init_ex, list_paddr, 0x08);
SNP_ASSERT_SIZE(sev_data_snp_shutdown_ex, 8);
SNP_ASSERT_SIZE(sev_data_snp_activate, 12);
SNP_ASSERT_OFFSET(sev_data_snp_activate, asid, 0x08);
SNP_ASSERT_SIZE(sev_data_snp_guest_status, 16);
SNP_ASSERT_SIZE(sev_data_snp_guest_request, 24);
SNP_ASSERT_OFFSET(sev_data_snp_guest_request, resp_paddr, 0x10);
SNP_ASSERT_SIZE(sev_data_snp_launch_start, 48);
SNP_ASSERT_OFFSET(sev_data_snp_launch_start, policy, 0x08);
SNP_ASSERT_OFFSET(sev_data_snp_launch_start, ma_gctx_paddr, 0x10);
SNP_ASSERT_OFFSET(sev_data_snp_launch_start, desired_tsc_khz, 0x1c);
SNP_ASSERT_OFFSET(sev_data_snp_launch_start, gosvw, 0x20);
SNP_ASSERT_SIZE(sev_data_snp_launch_update, 32);
SNP_ASSERT_OFFSET(sev_data_snp_launch_update, paddr, 0x10);
SNP_ASSERT_OFFSET(sev_data_snp_launch_update, vmpl1_perms, 0x19);
SNP_ASSERT_OFFSET(sev_data_snp_launch_update, vmpl3_perms, 0x1b);
SNP_ASSERT_SIZE(sev_data_snp_launch_finish, 64);
SNP_ASSERT_OFFSET(sev_data_snp_launch_finish, id_auth_paddr, 0x10);
SNP_ASSERT_OFFSET(sev_data_snp_launch_finish, host_data, 0x20);
SNP_ASSERT_SIZE(sev_data_snp_dbg, 24);
SNP_ASSERT_SIZE(sev_data_snp_commit, 4);

/* /dev/sev uAPI (include/uapi/linux/psp-sev.h) */
static_assert(SNP_PLATFORM_STATUS == 9 && SNP_COMMIT == 10 &&
	      SNP_SET_CONFIG == 11 && SNP_VLEK_LOAD == 12 && SEV_MAX == 13);
static_assert(SEV_RET_INVALID_PAGE_SIZE == 0x19 && SEV_RET_INVALID_KEY == 0x27);
SNP_ASSERT_SIZE(sev_issue_cmd, 16);
SNP_ASSERT_OFFSET(sev_issue_cmd, data, 0x04);
SNP_ASSERT_OFFSET(sev_issue_cmd, error, 0x0c);
SNP_ASSERT_SIZE(sev_user_data_snp_status, 32);
SNP_ASSERT_OFFSET(sev_user_data_snp_status, build_id, 0x04);
SNP_ASSERT_OFFSET(sev_user_data_snp_status, guest_count, 0x0c);
SNP_ASSERT_OFFSET(sev_user_data_snp_status, current_tcb_version, 0x10);
SNP_ASSERT_OFFSET(sev_user_data_snp_status, reported_tcb_version, 0x18);
SNP_ASSERT_SIZE(sev_user_data_snp_config, 64);
SNP_ASSERT_OFFSET(sev_user_data_snp_config, rsvd1, 0x0c);
SNP_ASSERT_SIZE(sev_user_data_snp_vlek_load, 16);
SNP_ASSERT_OFFSET(sev_user_data_snp_vlek_load, vlek_wrapped_version, 0x04);
SNP_ASSERT_OFFSET(sev_user_data_snp_vlek_load, vlek_wrapped_address, 0x08);
SNP_ASSERT_SIZE(sev_user_data_snp_wrapped_vlek_hashstick, 432);

/**
 * snp_cmd_buffer_len() - size of the command buffer of an SNP command
 * @cmd: firmware command ID
 *
 * Return: the size in bytes; 0 for commands without a buffer and for
 * commands that are not SNP commands.
 */
int snp_cmd_buffer_len(int cmd)
{
	switch (cmd) {
	case SEV_CMD_SNP_INIT_EX:
		return sizeof(struct sev_data_snp_init_ex);
	case SEV_CMD_SNP_SHUTDOWN_EX:
		return sizeof(struct sev_data_snp_shutdown_ex);
	case SEV_CMD_SNP_PLATFORM_STATUS:
	case SEV_CMD_SNP_DECOMMISSION:
	case SEV_CMD_SNP_GCTX_CREATE:
	case SEV_CMD_SNP_PAGE_RECLAIM:
	case SEV_CMD_SNP_PAGE_UNSMASH:
		return sizeof(struct sev_data_snp_paddr);
	case SEV_CMD_SNP_ACTIVATE:
		return sizeof(struct sev_data_snp_activate);
	case SEV_CMD_SNP_GUEST_STATUS:
		return sizeof(struct sev_data_snp_guest_status);
	case SEV_CMD_SNP_GUEST_REQUEST:
		return sizeof(struct sev_data_snp_guest_request);
	case SEV_CMD_SNP_LAUNCH_START:
		return sizeof(struct sev_data_snp_launch_start);
	case SEV_CMD_SNP_LAUNCH_UPDATE:
		return sizeof(struct sev_data_snp_launch_update);
	case SEV_CMD_SNP_LAUNCH_FINISH:
		return sizeof(struct sev_data_snp_launch_finish);
	case SEV_CMD_SNP_DBG_DECRYPT:
	case SEV_CMD_SNP_DBG_ENCRYPT:
		return sizeof(struct sev_data_snp_dbg);
	case SEV_CMD_SNP_CONFIG:
		return sizeof(struct sev_user_data_snp_config);
	case SEV_CMD_SNP_COMMIT:
		return sizeof(struct sev_data_snp_commit);
	case SEV_CMD_SNP_VLEK_LOAD:
		return sizeof(struct sev_user_data_snp_vlek_load);
	default:
		/* SNP_INIT, SNP_SHUTDOWN and SNP_DF_FLUSH take no buffer. */
		return 0;
	}
}

static const char * const sev_fw_status_names[] = {
	[SEV_RET_SUCCESS]			= "SUCCESS",
	[SEV_RET_INVALID_PLATFORM_STATE]	= "INVALID_PLATFORM_STATE",
	[SEV_RET_INVALID_GUEST_STATE]		= "INVALID_GUEST_STATE",
	[SEV_RET_INVALID_CONFIG]		= "INVALID_CONFIG",
	[SEV_RET_INVALID_LEN]			= "INVALID_LEN",
	[SEV_RET_ALREADY_OWNED]			= "ALREADY_OWNED",
	[SEV_RET_INVALID_CERTIFICATE]		= "INVALID_CERTIFICATE",
	[SEV_RET_POLICY_FAILURE]		= "POLICY_FAILURE",
	[SEV_RET_INACTIVE]			= "INACTIVE",
	[SEV_RET_INVALID_ADDRESS]		= "INVALID_ADDRESS",
	[SEV_RET_BAD_SIGNATURE]			= "BAD_SIGNATURE",
	[SEV_RET_BAD_MEASUREMENT]		= "BAD_MEASUREMENT",
	[SEV_RET_ASID_OWNED]			= "ASID_OWNED",
	[SEV_RET_INVALID_ASID]			= "INVALID_ASID",
	[SEV_RET_WBINVD_REQUIRED]		= "WBINVD_REQUIRED",
	[SEV_RET_DFFLUSH_REQUIRED]		= "DFFLUSH_REQUIRED",
	[SEV_RET_INVALID_GUEST]			= "INVALID_GUEST",
	[SEV_RET_INVALID_COMMAND]		= "INVALID_COMMAND",
	[SEV_RET_ACTIVE]			= "ACTIVE",
	[SEV_RET_HWSEV_RET_PLATFORM]		= "HWSEV_RET_PLATFORM",
	[SEV_RET_HWSEV_RET_UNSAFE]		= "HWSEV_RET_UNSAFE",
	[SEV_RET_UNSUPPORTED]			= "UNSUPPORTED",
	[SEV_RET_INVALID_PARAM]			= "INVALID_PARAM",
	[SEV_RET_RESOURCE_LIMIT]		= "RESOURCE_LIMIT",
	[SEV_RET_SECURE_DATA_INVALID]		= "SECURE_DATA_INVALID",
	[SEV_RET_INVALID_PAGE_SIZE]		= "INVALID_PAGE_SIZE",
	[SEV_RET_INVALID_PAGE_STATE]		= "INVALID_PAGE_STATE",
	[SEV_RET_INVALID_MDATA_ENTRY]		= "INVALID_MDATA_ENTRY",
	[SEV_RET_INVALID_PAGE_OWNER]		= "INVALID_PAGE_OWNER",
	[SEV_RET_AEAD_OFLOW]			= "AEAD_OFLOW",
	[SEV_RET_EXIT_RING_BUFFER]		= "EXIT_RING_BUFFER",
	[SEV_RET_RMP_INIT_REQUIRED]		= "RMP_INIT_REQUIRED",
	[SEV_RET_BAD_SVN]			= "BAD_SVN",
	[SEV_RET_BAD_VERSION]			= "BAD_VERSION",
	[SEV_RET_SHUTDOWN_REQUIRED]		= "SHUTDOWN_REQUIRED",
	[SEV_RET_UPDATE_FAILED]			= "UPDATE_FAILED",
	[SEV_RET_RESTORE_REQUIRED]		= "RESTORE_REQUIRED",
	[SEV_RET_RMP_INITIALIZATION_FAILED]	= "RMP_INITIALIZATION_FAILED",
	[SEV_RET_INVALID_KEY]			= "INVALID_KEY",
};

/**
 * sev_fw_status_name() - name of a firmware status code, for log messages
 * @status: the status the firmware returned, or SEV_RET_NO_FW_CALL
 *
 * Return: the name from the firmware ABI; "NO_FW_CALL" when the command
 * never reached the firmware; "UNKNOWN" for codes the ABI does not define.
 */
const char *sev_fw_status_name(int status)
{
	if (status == SEV_RET_NO_FW_CALL)
		return "NO_FW_CALL";
	if (status < 0 || status >= ARRAY_SIZE(sev_fw_status_names) ||
	    !sev_fw_status_names[status])
		return "UNKNOWN";
	return sev_fw_status_names[status];
}
