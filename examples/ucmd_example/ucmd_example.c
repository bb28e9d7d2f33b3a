// SPDX-License-Identifier: GPL-2.0
/* ucmd_example.c - /dev/ucmd-example: an out-of-tree driver built against the installed ucmd. */

#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/ucmd.h>
#include <linux/workqueue.h>

#include "ucmd_example.h"

/* Driver state of one deferred DELAY: the framework's per-command area. */
struct example_delay {
	struct delayed_work work;
	struct ucmd_token tok;
	u64 tag;
};

static struct workqueue_struct *example_wq;
static atomic64_t delays_fired = ATOMIC64_INIT(0);
static atomic64_t delays_cancelled = ATOMIC64_INIT(0);
static struct ucmd_dev example_dev;

/* _IOR: the payload is a user pointer; ucmd_copy_out() writes through it. */
static int example_info(struct ucmd *uc)
{
	struct ucmd_example_info info = {
		.abi_version = UCMD_EXAMPLE_ABI_VERSION,
		.max_delay_ms = UCMD_EXAMPLE_MAX_DELAY_MS,
		.delays_fired = atomic64_read(&delays_fired),
		.delays_cancelled = atomic64_read(&delays_cancelled),
	};

	return ucmd_copy_out(uc, &info, sizeof(info));
}

/* _IOW: the 16-byte argument is inline, already copied and checked. */
static int example_add(struct ucmd *uc)
{
	const struct ucmd_example_add *arg = ucmd_payload(uc, struct ucmd_example_add);
	u64 sum;

	if (check_add_overflow(arg->a, arg->b, &sum) || sum > INT_MAX)
		return -EOVERFLOW;
	ucmd_set_res2(uc, arg->a * arg->b);
	return sum;
}

static void example_delay_done(struct work_struct *work)
{
	struct example_delay *d = container_of(to_delayed_work(work),
					       struct example_delay, work);

	atomic64_inc(&delays_fired);
	/*
	 * The last touch of @d: once completed, the framework reuses it.  If
	 * the command was cancelled meanwhile, this returns -ECANCELED and
	 * the result is dropped.
	 */
	ucmd_complete_res2(d->tok, 0, d->tag);
}

static int example_delay(struct ucmd *uc)
{
	const struct ucmd_example_delay *arg = ucmd_payload(uc, struct ucmd_example_delay);
	struct example_delay *d;
	struct ucmd_token tok;

	if (arg->msec > UCMD_EXAMPLE_MAX_DELAY_MS || arg->flags)
		return -EINVAL;
	d = ucmd_defer(uc, &tok);
	if (IS_ERR(d))
		return PTR_ERR(d);
	d->tok = tok;
	d->tag = arg->tag;
	INIT_DELAYED_WORK(&d->work, example_delay_done);
	queue_delayed_work(example_wq, &d->work, msecs_to_jiffies(arg->msec));
	return UCMD_QUEUED;
}

/* User space gave up on a DELAY; the completion is ours if the work will not run. */
static void example_delay_cancel(struct ucmd_token tok, void *priv)
{
	struct example_delay *d = priv;

	if (cancel_delayed_work(&d->work)) {
		atomic64_inc(&delays_cancelled);
		ucmd_complete(tok, -ECANCELED);
	}
}

static int example_reset(struct ucmd *uc)
{
	atomic64_set(&delays_fired, 0);
	atomic64_set(&delays_cancelled, 0);
	ucmd_dev_reset_stats(&example_dev);
	return 0;
}

static const struct ucmd_op example_ops[] = {
	UCMD_OP(UCMD_EXAMPLE_INFO, example_info, 0),
	UCMD_OP(UCMD_EXAMPLE_ADD, example_add, 0),
	UCMD_OP_ASYNC(UCMD_EXAMPLE_DELAY, example_delay, example_delay_cancel, 0),
	UCMD_OP(UCMD_EXAMPLE_RESET, example_reset, UCMD_F_WRITE | UCMD_F_ADMIN),
};

UCMD_DEFINE_FOPS_HOOKS(example, example_dev)

static const struct file_operations example_fops = {
	.owner = THIS_MODULE,
	UCMD_FOPS(example),
};

static struct ucmd_dev example_dev = {
	.misc = {
		.minor = MISC_DYNAMIC_MINOR,
		.name = "ucmd-example",
		.fops = &example_fops,
		.mode = 0666,
	},
	.ops = example_ops,
	.nr_ops = ARRAY_SIZE(example_ops),
	.req_priv_size = sizeof(struct example_delay),
	.max_inflight = 1024,
};

static int __init example_init(void)
{
	int ret;

	/* Say WQ_UNBOUND: new kernels warn if neither it nor WQ_PERCPU is given. */
	example_wq = alloc_workqueue("ucmd_example", WQ_UNBOUND, 0);
	if (!example_wq)
		return -ENOMEM;
	ret = ucmd_dev_register(&example_dev);
	if (ret)
		destroy_workqueue(example_wq);
	return ret;
}

static void __exit example_exit(void)
{
	/* Waits for every DELAY to be completed; then no work is left to run. */
	ucmd_dev_unregister(&example_dev);
	destroy_workqueue(example_wq);
}

module_init(example_init);
module_exit(example_exit);
MODULE_DESCRIPTION("ucmd example: sync, async and cancellable commands from an out-of-tree driver");
MODULE_LICENSE("GPL");
