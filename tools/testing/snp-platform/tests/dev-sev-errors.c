// SPDX-License-Identifier: GPL-2.0
/*
 * dev-sev-errors: what /dev/sev answers to requests that are wrong in one
 * way each (a bad command, a missing or bad pointer, a read-only open, a
 * bad length, version or reserved field), and to a few good ones. One
 * KTAP test per case; it passes when the ioctl returned at all, and its
 * detail is the answer:
 *
 *   ok 7 snp-set-config:ro # rc -1 errno EPERM error 0xdeadbeef
 *
 * "error" is the firmware status field of struct sev_issue_cmd, which the
 * program sets to 0xdeadbeef before each call: it shows whether and what
 * the kernel wrote there. The program judges nothing: L3 runs it under
 * this series' kernel and under Debian's stock 6.12 on the same model,
 * and harness/bin/stock-eval.sh requires the same answer from both (the
 * order of the checks shows in which error wins).
 *
 * Run with SNP initialised. The only requests that may change the
 * platform set the configuration it already has (SNP_SET_CONFIG with the
 * reported TCB and masks of SNP_PLATFORM_STATUS).
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/psp-sev.h>

#include "kselftest.h"
#include "snp-dev-sev-uapi.h"

#define ERROR_UNSET	0xdeadbeefU
/* An address no process has mapped: the first page. */
#define BAD_PTR		((__u64)8)

static int fd_ro, fd_rw;

static const char *errno_name(int e)
{
	switch (e) {
	case 0:		return "0";
	case EPERM:	return "EPERM";
	case EINVAL:	return "EINVAL";
	case EFAULT:	return "EFAULT";
	case ENOMEM:	return "ENOMEM";
	case EIO:	return "EIO";
	case EBUSY:	return "EBUSY";
	case ENODEV:	return "ENODEV";
	case ENOTTY:	return "ENOTTY";
	case E2BIG:	return "E2BIG";
	case EBADF:	return "EBADF";
	case ENOSPC:	return "ENOSPC";
	default:	return NULL;
	}
}

/* Issue one request and report the answer as the case's detail. */
static void answer(const char *name, int fd, unsigned long nr, __u32 cmd,
		   __u64 data)
{
	struct sev_issue_cmd arg = {
		.cmd = cmd,
		.data = data,
		.error = ERROR_UNSET,
	};
	const char *en;
	int rc, e;

	errno = 0;
	rc = ioctl(fd, nr, &arg);
	e = rc ? errno : 0;
	en = errno_name(e);
	if (en)
		ksft_test_result_pass("%s # rc %d errno %s error %#x\n", name,
				      rc, en, arg.error);
	else
		ksft_test_result_pass("%s # rc %d errno %d error %#x\n", name,
				      rc, e, arg.error);
}

static void issue(const char *name, int fd, __u32 cmd, const void *data)
{
	answer(name, fd, SEV_ISSUE_CMD, cmd, (__u64)(uintptr_t)data);
}

static void test_dispatch(void)
{
	int rc, e;

	/* Another ioctl number of the same type and size. */
	answer("ioctl-not-issue-cmd", fd_rw, _IOWR('S', 0x1, struct sev_issue_cmd),
	       SEV_PLATFORM_STATUS, 0);
	issue("cmd-max", fd_rw, SEV_MAX_CMD, NULL);
	issue("cmd-huge", fd_rw, 0x7fffffff, NULL);

	/* The argument itself unreadable. */
	errno = 0;
	rc = ioctl(fd_rw, SEV_ISSUE_CMD, (void *)(uintptr_t)BAD_PTR);
	e = rc ? errno : 0;
	ksft_test_result_pass("issue-cmd-bad-arg # rc %d errno %s\n", rc,
			      errno_name(e) ?: "other");
}

static void test_snp_platform_status(struct snp_status *st)
{
	issue("snp-platform-status:null", fd_rw, SNP_PLATFORM_STATUS_CMD, NULL);
	answer("snp-platform-status:bad-ptr", fd_rw, SEV_ISSUE_CMD,
	       SNP_PLATFORM_STATUS_CMD, BAD_PTR);
	issue("snp-platform-status:ro", fd_ro, SNP_PLATFORM_STATUS_CMD, st);
	memset(st, 0, sizeof(*st));
	issue("snp-platform-status:rw", fd_rw, SNP_PLATFORM_STATUS_CMD, st);
}

static void test_snp_commit(void)
{
	issue("snp-commit:ro", fd_ro, SNP_COMMIT_CMD, NULL);
	issue("snp-commit:rw", fd_rw, SNP_COMMIT_CMD, NULL);
}

static void test_snp_set_config(const struct snp_status *st)
{
	struct snp_config cfg;

	/* What the platform has already: setting it changes nothing. */
	memset(&cfg, 0, sizeof(cfg));
	cfg.reported_tcb = st->reported_tcb_version;
	cfg.mask_chip_id = st->mask_chip_id;
	cfg.mask_chip_key = st->mask_chip_key;

	issue("snp-set-config:ro:null", fd_ro, SNP_SET_CONFIG_CMD, NULL);
	issue("snp-set-config:ro", fd_ro, SNP_SET_CONFIG_CMD, &cfg);
	issue("snp-set-config:null", fd_rw, SNP_SET_CONFIG_CMD, NULL);
	answer("snp-set-config:bad-ptr", fd_rw, SEV_ISSUE_CMD,
	       SNP_SET_CONFIG_CMD, BAD_PTR);
	issue("snp-set-config:same", fd_rw, SNP_SET_CONFIG_CMD, &cfg);

	cfg.rsvd = 1;
	issue("snp-set-config:rsvd", fd_rw, SNP_SET_CONFIG_CMD, &cfg);
	cfg.rsvd = 0;
	cfg.rsvd1[51] = 1;
	issue("snp-set-config:rsvd1", fd_rw, SNP_SET_CONFIG_CMD, &cfg);
}

static void test_snp_vlek_load(void)
{
	static struct snp_vlek_hashstick blob;
	struct snp_vlek_load req;

	memset(&req, 0, sizeof(req));
	req.len = sizeof(req);
	req.vlek_wrapped_address = (__u64)(uintptr_t)&blob;

	issue("snp-vlek-load:ro:null", fd_ro, SNP_VLEK_LOAD_CMD, NULL);
	issue("snp-vlek-load:ro", fd_ro, SNP_VLEK_LOAD_CMD, &req);
	issue("snp-vlek-load:null", fd_rw, SNP_VLEK_LOAD_CMD, NULL);
	answer("snp-vlek-load:bad-ptr", fd_rw, SEV_ISSUE_CMD, SNP_VLEK_LOAD_CMD,
	       BAD_PTR);

	req.len = sizeof(req) + 1;
	issue("snp-vlek-load:len", fd_rw, SNP_VLEK_LOAD_CMD, &req);
	req.len = sizeof(req);
	req.vlek_wrapped_version = 1;
	issue("snp-vlek-load:version", fd_rw, SNP_VLEK_LOAD_CMD, &req);
	req.vlek_wrapped_version = 0;
	req.rsvd[2] = 1;
	issue("snp-vlek-load:rsvd", fd_rw, SNP_VLEK_LOAD_CMD, &req);
	req.rsvd[2] = 0;
	req.vlek_wrapped_address = BAD_PTR;
	issue("snp-vlek-load:bad-blob-ptr", fd_rw, SNP_VLEK_LOAD_CMD, &req);
	/* A hashstick of zeroes: the firmware refuses to unwrap it. */
	req.vlek_wrapped_address = (__u64)(uintptr_t)&blob;
	issue("snp-vlek-load:zero-blob", fd_rw, SNP_VLEK_LOAD_CMD, &req);
}

/* The legacy commands that need a writable open, and two status reads. */
static void test_legacy(void)
{
	struct sev_user_data_pek_csr csr = {};
	struct sev_user_data_pek_cert_import imp = {};
	struct sev_user_data_pdh_cert_export exp = {};
	struct sev_user_data_get_id2 id = {};

	issue("factory-reset:ro", fd_ro, SEV_FACTORY_RESET, NULL);
	issue("pek-gen:ro", fd_ro, SEV_PEK_GEN, NULL);
	issue("pdh-gen:ro", fd_ro, SEV_PDH_GEN, NULL);
	issue("pek-csr:ro", fd_ro, SEV_PEK_CSR, &csr);
	issue("pek-cert-import:ro", fd_ro, SEV_PEK_CERT_IMPORT, &imp);
	issue("pdh-cert-export:ro", fd_ro, SEV_PDH_CERT_EXPORT, &exp);
	issue("platform-status:null", fd_rw, SEV_PLATFORM_STATUS, NULL);
	/* A length query: no buffer, the firmware says how much it needs. */
	issue("get-id2:length", fd_rw, SEV_GET_ID2, &id);
}

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/sev";
	struct snp_status st;

	ksft_print_header();
	ksft_set_plan(34);
	fd_ro = open(dev, O_RDONLY);
	fd_rw = open(dev, O_RDWR);
	if (fd_ro < 0 || fd_rw < 0)
		ksft_exit_fail_msg("cannot open %s: errno %d (%s)\n", dev, errno,
				   strerror(errno));

	test_dispatch();
	test_snp_platform_status(&st);
	test_snp_commit();
	test_snp_set_config(&st);
	test_snp_vlek_load();
	test_legacy();

	close(fd_rw);
	close(fd_ro);
	return ksft_get_fail_cnt() ? 1 : 0;
}
