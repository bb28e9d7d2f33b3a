// SPDX-License-Identifier: GPL-2.0
/* dev.c - a ucmd device's registration, teardown and counters, and the module itself. */

#include <linux/module.h>
#include <linux/slab.h>

#include "ucmd_req.h"

/**
 * ucmd_dev_register() - check the op table and register the misc device
 * @ud: the device, with misc, ops and nr_ops filled in
 *
 * Adds the framework counters under /sys/class/misc/<name>/ucmd/.
 *
 * Return: 0 or a negative errno (-EINVAL for a malformed op table).
 */
int ucmd_dev_register(struct ucmd_dev *ud)
{
	int ret;

	if (WARN_ON_ONCE(ud->misc.groups))
		return -EINVAL;
	ret = ucmd_build_table(ud);
	if (ret)
		return ret;
	ret = -ENOMEM;
	ud->stats = alloc_percpu(struct ucmd_stats);
	if (!ud->stats)
		goto out_entries;
	ud->req_cache = alloc_percpu(struct ucmd_req *);
	if (!ud->req_cache)
		goto out_stats;
	ud->inflight = alloc_percpu(int);
	if (!ud->inflight)
		goto out_cache;
	spin_lock_init(&ud->pool_lock);
	init_llist_head(&ud->pool);
	ud->nr_reqs = 0;
	ud->dying = false;
	init_waitqueue_head(&ud->idle);
	INIT_LIST_HEAD(&ud->reqs);
	refcount_set(&ud->refs, 1);
	ud->gone = false;
	if (!ud->max_inflight)
		ud->max_inflight = UCMD_DEFAULT_MAX_INFLIGHT;
	ud->misc.groups = ucmd_sysfs_groups();
	ret = misc_register(&ud->misc);
	if (!ret)
		return 0;
	ud->misc.groups = NULL;
	free_percpu(ud->inflight);
out_cache:
	free_percpu(ud->req_cache);
out_stats:
	free_percpu(ud->stats);
out_entries:
	kfree(ud->entries);
	ud->entries = NULL;
	return ret;
}
EXPORT_SYMBOL_GPL(ucmd_dev_register);

/* Frees what ucmd_dev_register() allocated: no request is in flight any more. */
void ucmd_dev_teardown(struct ucmd_dev *ud)
{
	ucmd_pool_drain(ud);
	ucmd_stream_drain(ud);
	free_percpu(ud->inflight);
	free_percpu(ud->req_cache);
	free_percpu(ud->stats);
	kfree(ud->entries);
	ud->entries = NULL;
	ud->misc.groups = NULL;
}

/**
 * ucmd_dev_unregister() - remove the device once no command uses it
 * @ud: the device, registered with ucmd_dev_register()
 *
 * Waits until every deferred command has been completed by the driver.  A
 * device added with ucmd_dev_add() is removed with ucmd_dev_remove().
 */
void ucmd_dev_unregister(struct ucmd_dev *ud)
{
	WARN_ON_ONCE(ud->release);
	misc_deregister(&ud->misc);
	/* The flag before the count; pairs with ucmd_req_free(). */
	smp_store_mb(ud->dying, true);
	wait_event(ud->idle, !ucmd_dev_inflight(ud));
	ucmd_dev_teardown(ud);
}
EXPORT_SYMBOL_GPL(ucmd_dev_unregister);

/**
 * ucmd_dev_reset_stats() - zero the counters, keeping in-flight commands issued
 * @ud: the device
 *
 * Commands in flight (the caller's own included) stay counted as issued, so
 * issued == completed_sync + completed_async + cancelled holds again once
 * they finish.  Commands racing with the reset on other CPUs may be missed.
 */
void ucmd_dev_reset_stats(struct ucmd_dev *ud)
{
	u64 issued = 0, finished = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct ucmd_stats *s = per_cpu_ptr(ud->stats, cpu);

		issued += s->issued;
		finished += s->completed_sync + s->completed_async + s->cancelled;
		memset(s, 0, sizeof(*s));
	}
	this_cpu_add(ud->stats->issued, issued - finished);
}
EXPORT_SYMBOL_GPL(ucmd_dev_reset_stats);

/**
 * ucmd_hrtimer_setup() - set up a driver's hrtimer, on every kernel ucmd supports
 * @timer: the timer
 * @function: its callback
 * @clock_id: the clock to use
 * @mode: the timer mode
 *
 * hrtimer_setup() replaced hrtimer_init() and a store to ->function in 6.13
 * (and stable kernels may carry either).  A driver that completes commands
 * from a timer calls this instead, with no probe of its own: ucmd.ko was
 * built for the same kernel and probed its headers.
 */
void ucmd_hrtimer_setup(struct hrtimer *timer,
			enum hrtimer_restart (*function)(struct hrtimer *),
			clockid_t clock_id, enum hrtimer_mode mode)
{
	ucmd_compat_hrtimer_setup(timer, function, clock_id, mode);
}
EXPORT_SYMBOL_GPL(ucmd_hrtimer_setup);

MODULE_DESCRIPTION("ucmd: safe io_uring commands for character devices");
MODULE_LICENSE("GPL");
