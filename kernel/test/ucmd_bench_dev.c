// SPDX-License-Identifier: GPL-2.0
/* ucmd_bench_dev.c - benchmark and test-only devices: a no-op through ucmd, the same by hand, race openers. */

#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/task_work.h>
#include <linux/ucmd.h>
#include <uapi/linux/ucmd_bench.h>

#include "ucmd_compat.h"

static int bench_nop(struct ucmd *uc)
{
	return 0;
}

static int bench_anop(struct ucmd *uc)
{
	struct ucmd_token tok;
	void *priv = ucmd_defer(uc, &tok);

	if (IS_ERR(priv))
		return PTR_ERR(priv);
	ucmd_complete(tok, 0);
	return UCMD_QUEUED;
}

/* ANOP_LATER's per-command state: completed from task_work, after the handler returned. */
struct bench_later {
	struct callback_head cb;
	struct ucmd_token tok;
};

static void bench_later_run(struct callback_head *cb)
{
	struct bench_later *l = container_of(cb, struct bench_later, cb);

	ucmd_complete(l->tok, 0);
}

static int bench_anop_later(struct ucmd *uc)
{
	struct ucmd_token tok;
	struct bench_later *l = ucmd_defer(uc, &tok);

	if (IS_ERR(l))
		return PTR_ERR(l);
	l->tok = tok;
	init_task_work(&l->cb, bench_later_run);
	if (task_work_add(current, &l->cb, TWA_RESUME))
		ucmd_complete(tok, -ESRCH);
	return UCMD_QUEUED;
}

/* SLOW_ARM's per-command state. */
struct bench_slow {
	struct hrtimer timer;
	struct ucmd_token tok;
};

static enum hrtimer_restart bench_slow_expired(struct hrtimer *timer)
{
	struct bench_slow *s = container_of(timer, struct bench_slow, timer);

	ucmd_complete(s->tok, 0);
	return HRTIMER_NORESTART;
}

/* Defers, then takes its time before arming: the window a cancel must not enter. */
static int bench_slow_arm(struct ucmd *uc)
{
	u32 usec = *ucmd_payload(uc, u32);
	struct ucmd_token tok;
	struct bench_slow *s;

	if (usec > 100000)
		return -EINVAL;
	if (ucmd_nonblock(uc))
		return UCMD_RETRY;
	s = ucmd_defer(uc, &tok);
	if (IS_ERR(s))
		return PTR_ERR(s);
	usleep_range(usec, usec + 100);
	s->tok = tok;
	ucmd_hrtimer_setup(&s->timer, bench_slow_expired, CLOCK_MONOTONIC,
			   HRTIMER_MODE_REL);
	hrtimer_start(&s->timer, ms_to_ktime(1), HRTIMER_MODE_REL);
	return UCMD_QUEUED;
}

/* Runs under io_uring's uring_lock; the timer callback never takes it. */
static void bench_slow_cancel(struct ucmd_token tok, void *priv)
{
	struct bench_slow *s = priv;

	if (hrtimer_cancel(&s->timer))
		ucmd_complete(tok, -ECANCELED);
}

static int bench_reissue_probe(struct ucmd *uc)
{
	if (ucmd_nonblock(uc))
		return UCMD_RETRY;
	return ucmd_is_reissue(uc);
}

static int bench_block(struct ucmd *uc)
{
	u32 msec = *ucmd_payload(uc, u32);

	if (msec > 1000)
		return -EINVAL;
	if (ucmd_nonblock(uc))
		return UCMD_RETRY;
	msleep(msec);
	return 0;
}

static const struct ucmd_op bench_ops[] = {
	UCMD_OP(UCMD_BENCH_NOP, bench_nop, 0),
	UCMD_OP_ASYNC(UCMD_BENCH_ANOP, bench_anop, NULL, 0),
	UCMD_OP_ASYNC(UCMD_BENCH_ANOP_LAZY, bench_anop, NULL, UCMD_F_LAZY),
};

/* On a device of its own: its per-command state would cost ANOP a larger memset. */
static const struct ucmd_op later_ops[] = {
	UCMD_OP_ASYNC(UCMD_BENCH_ANOP_LATER, bench_anop_later, NULL, 0),
};

/* The test-only commands, on a device of their own so the benchmark's stays minimal. */
static const struct ucmd_op test_ops[] = {
	UCMD_OP_ASYNC(UCMD_BENCH_SLOW_ARM, bench_slow_arm, bench_slow_cancel, 0),
	UCMD_OP(UCMD_BENCH_REISSUE_PROBE, bench_reissue_probe, 0),
	UCMD_OP(UCMD_BENCH_BLOCK, bench_block, 0),
};

static struct ucmd_dev bench_dev;
UCMD_DEFINE_FOPS_HOOKS(bench, bench_dev)

static const struct file_operations bench_fops = {
	.owner = THIS_MODULE,
	UCMD_FOPS(bench),
};

static struct ucmd_dev bench_dev = {
	.misc = {
		.minor = MISC_DYNAMIC_MINOR,
		.name = "ucmd-bench",
		.fops = &bench_fops,
		.mode = 0666,
	},
	.ops = bench_ops,
	.nr_ops = ARRAY_SIZE(bench_ops),
	.vec = true,
};

static struct ucmd_dev later_dev;
UCMD_DEFINE_FOPS_HOOKS(later, later_dev)

static const struct file_operations later_fops = {
	.owner = THIS_MODULE,
	UCMD_FOPS(later),
};

static struct ucmd_dev later_dev = {
	.misc = {
		.minor = MISC_DYNAMIC_MINOR,
		.name = "ucmd-bench-later",
		.fops = &later_fops,
		.mode = 0666,
	},
	.ops = later_ops,
	.nr_ops = ARRAY_SIZE(later_ops),
	.req_priv_size = sizeof(struct bench_later),
};

static struct ucmd_dev test_dev;
UCMD_DEFINE_FOPS_HOOKS(test, test_dev)

static const struct file_operations test_fops = {
	.owner = THIS_MODULE,
	UCMD_FOPS(test),
};

static struct ucmd_dev test_dev = {
	.misc = {
		.minor = MISC_DYNAMIC_MINOR,
		.name = "ucmd-test",
		.fops = &test_fops,
		.mode = 0666,
	},
	.ops = test_ops,
	.nr_ops = ARRAY_SIZE(test_ops),
	.req_priv_size = sizeof(struct bench_slow),
};

UCMD_TW_CB(raw_anop_done)
{
	ucmd_compat_done(ioucmd, 0, 0, false, issue_flags);
}

/* The hand-written async baseline: straight to task_work and back. */
static int raw_uring_cmd_async(struct io_uring_cmd *ioucmd)
{
	const u64 *area = ucmd_compat_sqe_cmd(ioucmd);

	if (READ_ONCE(area[0]) | READ_ONCE(area[1]))
		return -EINVAL;
	ucmd_compat_complete_in_task(ioucmd, raw_anop_done, false);
	return -EIOCBQUEUED;
}

/* The pdu of a raw ANOP_LATER: the task_work and the command it completes. */
struct raw_later {
	struct callback_head cb;
	struct io_uring_cmd *ioucmd;
};

static void raw_later_run(struct callback_head *cb)
{
	struct raw_later *l = container_of(cb, struct raw_later, cb);

	ucmd_compat_complete_in_task(l->ioucmd, raw_anop_done, false);
}

/* The same, completed later: from the issuing task's task_work. */
static int raw_uring_cmd_later(struct io_uring_cmd *ioucmd)
{
	const u64 *area = ucmd_compat_sqe_cmd(ioucmd);
	struct raw_later *l = (struct raw_later *)ioucmd->pdu;

	BUILD_BUG_ON(sizeof(*l) > sizeof_field(struct io_uring_cmd, pdu));
	if (READ_ONCE(area[0]) | READ_ONCE(area[1]))
		return -EINVAL;
	l->ioucmd = ioucmd;
	init_task_work(&l->cb, raw_later_run);
	if (task_work_add(current, &l->cb, TWA_RESUME))
		return -ESRCH;
	return -EIOCBQUEUED;
}

/*
 * The baseline: what a careful driver writes by hand for the same no-op,
 * including the check that the command area's unused bytes are zero.
 */
static int raw_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags)
{
	const u64 *area;

	if (ioucmd->cmd_op == UCMD_BENCH_ANOP)
		return raw_uring_cmd_async(ioucmd);
	if (ioucmd->cmd_op == UCMD_BENCH_ANOP_LATER)
		return raw_uring_cmd_later(ioucmd);
	if (ioucmd->cmd_op != UCMD_BENCH_NOP)
		return -ENOTTY;
	area = ucmd_compat_sqe_cmd(ioucmd);
	if (READ_ONCE(area[0]) | READ_ONCE(area[1]))
		return -EINVAL;
	return 0;
}

static long raw_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return cmd == UCMD_BENCH_NOP ? 0 : -ENOTTY;
}

static const struct file_operations raw_fops = {
	.owner = THIS_MODULE,
	.uring_cmd = raw_uring_cmd,
	.unlocked_ioctl = raw_ioctl,
};

static struct miscdevice raw_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "ucmd-bench-raw",
	.fops = &raw_fops,
	.mode = 0666,
};

static int __init bench_init(void)
{
	int ret = ucmd_dev_register(&bench_dev);

	if (ret)
		return ret;
	ret = misc_register(&raw_misc);
	if (ret)
		goto err_bench;
	ret = ucmd_dev_register(&test_dev);
	if (ret)
		goto err_raw;
	ret = ucmd_dev_register(&later_dev);
	if (ret)
		goto err_test;
	return 0;
err_test:
	ucmd_dev_unregister(&test_dev);
err_raw:
	misc_deregister(&raw_misc);
err_bench:
	ucmd_dev_unregister(&bench_dev);
	return ret;
}

static void __exit bench_exit(void)
{
	ucmd_dev_unregister(&later_dev);
	ucmd_dev_unregister(&test_dev);
	misc_deregister(&raw_misc);
	ucmd_dev_unregister(&bench_dev);
}

module_init(bench_init);
module_exit(bench_exit);
MODULE_DESCRIPTION("ucmd benchmark devices: framework no-op and hand-written no-op");
MODULE_LICENSE("GPL");
