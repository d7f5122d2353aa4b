// SPDX-License-Identifier: GPL-2.0
/*
 * snp-platform-status: ask the SEV firmware behind /dev/sev for its
 * SNP_PLATFORM_STATUS and its legacy SEV PLATFORM_STATUS. KTAP, one test
 * per command, with what the firmware answered:
 *
 *   ok 1 SNP_PLATFORM_STATUS # api 1.55 state 1 rmp_initialized 1 build 21 ...
 *   ok 2 PLATFORM_STATUS # api 1.55 state 0 flags 0x0 build 21 guest_count 0
 *
 * A command that fails is "not ok" with errno and the firmware's error
 * code. Exit status: 0 when both commands worked, 1 when one of them
 * failed, 2 when /dev/sev cannot be opened.
 *
 * Built static (with kselftest.h) on the build machine; L3 runs it on the
 * SNP platform model, under this series' kernel (harness/bin/l3-model.sh)
 * and Debian's stock 6.12 (harness/bin/l3-stock.sh).
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/psp-sev.h>

#include "kselftest.h"
#include "snp-dev-sev-uapi.h"

_Static_assert(sizeof(struct sev_user_data_status) == 12,
	       "sev_user_data_status size");

static int sev_cmd(int fd, const char *name, __u32 cmd, void *data)
{
	struct sev_issue_cmd arg = {
		.cmd = cmd,
		.data = (__u64)(unsigned long)data,
	};

	if (ioctl(fd, SEV_ISSUE_CMD, &arg) == 0)
		return 0;
	ksft_test_result_fail("%s # SEV_ISSUE_CMD cmd %u failed: errno %d (%s), firmware error %#x\n",
			      name, cmd, errno, strerror(errno), arg.error);
	return -1;
}

static int snp_platform_status(int fd)
{
	const char *name = "SNP_PLATFORM_STATUS";
	struct snp_status st;

	memset(&st, 0, sizeof(st));
	if (sev_cmd(fd, name, SNP_PLATFORM_STATUS_CMD, &st))
		return -1;
	ksft_test_result_pass("%s # api %u.%u state %u rmp_initialized %u build %u guest_count %u"
			      " mask_chip_id %u mask_chip_key %u vlek_en %u tcb %#llx reported_tcb %#llx\n",
			      name, st.api_major, st.api_minor, st.state, st.is_rmp_initialized,
			      st.build_id, st.guest_count, st.mask_chip_id, st.mask_chip_key,
			      st.vlek_en, (unsigned long long)st.current_tcb_version,
			      (unsigned long long)st.reported_tcb_version);
	return 0;
}

static int sev_platform_status(int fd)
{
	const char *name = "PLATFORM_STATUS";
	struct sev_user_data_status st;

	memset(&st, 0, sizeof(st));
	if (sev_cmd(fd, name, SEV_PLATFORM_STATUS, &st))
		return -1;
	ksft_test_result_pass("%s # api %u.%u state %u flags %#x build %u guest_count %u\n",
			      name, st.api_major, st.api_minor, st.state, st.flags, st.build,
			      st.guest_count);
	return 0;
}

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/sev";
	int fd;

	ksft_print_header();
	ksft_set_plan(2);
	fd = open(dev, O_RDWR);
	if (fd < 0) {
		ksft_test_result_fail("SNP_PLATFORM_STATUS # cannot open %s: errno %d (%s)\n",
				      dev, errno, strerror(errno));
		ksft_test_result_fail("PLATFORM_STATUS # cannot open %s\n", dev);
		return 2;
	}
	snp_platform_status(fd);
	sev_platform_status(fd);
	close(fd);
	/* Every failed case counts, not only those a helper reported back. */
	return ksft_get_fail_cnt() ? 1 : 0;
}
