// SPDX-License-Identifier: GPL-2.0
/* ucmd_multi.c - sample driver: a control device creates and removes ucmd devices at run time. */

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/ucmd.h>
#include <linux/xarray.h>
#include <uapi/linux/ucmd_multi.h>

/* One created device; freed by the framework's release once removed and closed. */
struct multi_dev {
	struct ucmd_dev ud;
	u32 id;
	atomic64_t value;
	char name[32];
};

/* Per deferred SLEEP, in the framework's per-command area. */
struct multi_sleep {
	struct hrtimer timer;
	struct ucmd_token tok;
	u32 id;
};

/* Per TICK stream, in the framework's per-command area. */
struct multi_tick {
	struct hrtimer timer;
	struct ucmd_stream st;
	u64 period;
	u64 seq;		/* events posted */
	u32 count;		/* 0: no end of the driver's own */
	u32 id;
	bool done;		/* the timer ended the stream at its count */
	bool hooked;		/* the cancel hook ran */
};

/* The devices not yet removed, by number; multi_lock orders creation and removal. */
static DEFINE_MUTEX(multi_lock);
static DEFINE_XARRAY_ALLOC(multi_devs);
static atomic64_t multi_allocated, multi_created, multi_cancelled, multi_expired;
static atomic64_t multi_streams, multi_stream_hooks, multi_stream_ends;
static atomic64_t multi_gone_posts, multi_stream_bad;

static struct multi_dev *multi_dev(struct ucmd *uc)
{
	return container_of(ucmd_dev_of(uc), struct multi_dev, ud);
}

static int multi_id(struct ucmd *uc)
{
	return multi_dev(uc)->id;
}

static int multi_set(struct ucmd *uc)
{
	atomic64_set(&multi_dev(uc)->value, *ucmd_payload(uc, u64));
	return 0;
}

static int multi_get(struct ucmd *uc)
{
	u64 v = atomic64_read(&multi_dev(uc)->value);

	return ucmd_copy_out(uc, &v, sizeof(v));
}

static enum hrtimer_restart multi_sleep_expired(struct hrtimer *timer)
{
	struct multi_sleep *s = container_of(timer, struct multi_sleep, timer);

	atomic64_inc(&multi_expired);
	ucmd_complete(s->tok, s->id);
	return HRTIMER_NORESTART;
}

/* Defers the command and arms its timer. */
static int multi_sleep_start(struct ucmd *uc, u64 nsec)
{
	struct multi_sleep *s;
	struct ucmd_token tok;

	if (nsec > UCMD_MULTI_MAX_SLEEP_NSEC)
		return -EINVAL;
	s = ucmd_defer(uc, &tok);
	if (IS_ERR(s))
		return PTR_ERR(s);
	s->tok = tok;
	s->id = multi_dev(uc)->id;
	ucmd_hrtimer_setup(&s->timer, multi_sleep_expired, CLOCK_MONOTONIC,
			   HRTIMER_MODE_REL);
	hrtimer_start(&s->timer, ns_to_ktime(nsec), HRTIMER_MODE_REL);
	return 0;
}

static int multi_sleep(struct ucmd *uc)
{
	int ret = multi_sleep_start(uc, *ucmd_payload(uc, u64));

	return ret ? ret : UCMD_QUEUED;
}

/* A handler still running when the device is removed: its issuer ends the command. */
static int multi_sleep_slow(struct ucmd *uc)
{
	const struct ucmd_multi_slow *arg = ucmd_payload(uc, struct ucmd_multi_slow);
	int ret;

	if (arg->pad || arg->handler_ms > 1000)
		return -EINVAL;
	if (ucmd_nonblock(uc))
		return UCMD_RETRY;
	ret = multi_sleep_start(uc, arg->nsec);
	if (ret)
		return ret;
	msleep(arg->handler_ms);
	return UCMD_QUEUED;
}

/*
 * Ring exit, an interrupted ioctl or the device's removal: the timer is
 * armed (the handler has returned).  If it had not fired, the completion
 * is ours to make; hrtimer_cancel() waits for a running callback.
 */
static void multi_sleep_cancel(struct ucmd_token tok, void *priv)
{
	struct multi_sleep *s = priv;

	if (hrtimer_cancel(&s->timer)) {
		atomic64_inc(&multi_cancelled);
		ucmd_complete(tok, -ECANCELED);
	}
}

/*
 * One event per period, from hard IRQ.  A post the stream refuses stops the
 * timer: the user side or the removal ended the stream, and the cancel hook
 * ends it for the driver.  At its count the timer ends it itself.
 */
static enum hrtimer_restart multi_tick_fire(struct hrtimer *timer)
{
	struct multi_tick *t = container_of(timer, struct multi_tick, timer);
	struct ucmd_multi_event ev = { .seq = t->seq + 1, .id = t->id };
	int ret = ucmd_stream_post(t->st, &ev, sizeof(ev));

	if (ret) {
		if (ret == -ENODEV)
			atomic64_inc(&multi_gone_posts);
		return HRTIMER_NORESTART;
	}
	if (++t->seq == t->count) {
		t->done = true;
		atomic64_inc(&multi_stream_ends);
		/* Last: the stream may be reused once ended. */
		ucmd_stream_end(t->st, 0);
		return HRTIMER_NORESTART;
	}
	hrtimer_forward_now(timer, ns_to_ktime(t->period));
	return HRTIMER_RESTART;
}

static int multi_tick(struct ucmd *uc)
{
	const struct ucmd_multi_tick *arg = ucmd_payload(uc, struct ucmd_multi_tick);
	struct ucmd_stream st;
	struct multi_tick *t;

	if (arg->pad || arg->handler_ms > 1000 ||
	    arg->period_ns < UCMD_MULTI_MIN_TICK_NSEC ||
	    arg->period_ns > UCMD_MULTI_MAX_SLEEP_NSEC)
		return -EINVAL;
	if (arg->handler_ms && ucmd_nonblock(uc))
		return UCMD_RETRY;
	t = ucmd_stream_start(uc, &st);
	if (IS_ERR(t))
		return PTR_ERR(t);
	t->st = st;
	t->period = arg->period_ns;
	t->count = arg->count;
	t->id = multi_dev(uc)->id;
	atomic64_inc(&multi_streams);
	ucmd_hrtimer_setup(&t->timer, multi_tick_fire, CLOCK_MONOTONIC,
			   HRTIMER_MODE_REL);
	hrtimer_start(&t->timer, ns_to_ktime(t->period), HRTIMER_MODE_REL);
	/* A removal meanwhile leaves the stream to the framework's issuer. */
	if (arg->handler_ms)
		msleep(arg->handler_ms);
	return UCMD_QUEUED;
}

/*
 * The user side ended the stream or the device was removed.  Once the timer
 * is stopped (hrtimer_cancel() waits for a running callback) nothing else
 * ends the stream, unless the timer did at its count meanwhile.  Posting
 * must fail now; the end is absorbed.
 */
static void multi_tick_cancel(struct ucmd_stream st, void *priv)
{
	struct multi_tick *t = priv;
	struct ucmd_multi_event ev = { .id = t->id };
	int ret;

	atomic64_inc(&multi_stream_hooks);
	if (t->hooked)
		atomic64_inc(&multi_stream_bad);
	t->hooked = true;
	hrtimer_cancel(&t->timer);
	if (t->done)
		return;
	ret = ucmd_stream_post(st, &ev, sizeof(ev));
	if (ret == -ENODEV)
		atomic64_inc(&multi_gone_posts);
	else if (ret != -ECANCELED)
		atomic64_inc(&multi_stream_bad);
	ret = ucmd_stream_end(st, -ECANCELED);
	if (ret != -ENODEV && ret != -ECANCELED)
		atomic64_inc(&multi_stream_bad);
}

static const struct ucmd_op multi_dev_ops[] = {
	UCMD_OP(UCMD_MULTI_ID, multi_id, 0),
	UCMD_OP(UCMD_MULTI_SET, multi_set, UCMD_F_WRITE),
	UCMD_OP(UCMD_MULTI_GET, multi_get, 0),
	UCMD_OP_ASYNC(UCMD_MULTI_SLEEP, multi_sleep, multi_sleep_cancel, 0),
	UCMD_OP_ASYNC(UCMD_MULTI_SLEEP_SLOW, multi_sleep_slow, multi_sleep_cancel, 0),
	UCMD_OP_STREAM(UCMD_MULTI_TICK, multi_tick, multi_tick_cancel, 0),
};

/* One fops for every device: the framework finds the device from the file. */
static const struct file_operations multi_dev_fops = {
	.owner = THIS_MODULE,
	UCMD_DEV_FOPS,
};

static void multi_dev_release(struct ucmd_dev *ud)
{
	kfree(container_of(ud, struct multi_dev, ud));
	atomic64_dec(&multi_allocated);
}

static int multi_create(struct ucmd *uc)
{
	struct multi_dev *md;
	u32 id;
	int ret;

	/* Registration sleeps: not from io_uring's non-blocking issue. */
	if (ucmd_nonblock(uc))
		return UCMD_RETRY;
	md = kzalloc(sizeof(*md), GFP_KERNEL);
	if (!md)
		return -ENOMEM;
	md->ud.misc.minor = MISC_DYNAMIC_MINOR;
	md->ud.misc.fops = &multi_dev_fops;
	md->ud.misc.mode = 0600;
	md->ud.ops = multi_dev_ops;
	md->ud.nr_ops = ARRAY_SIZE(multi_dev_ops);
	md->ud.req_priv_size = max(sizeof(struct multi_sleep),
				   sizeof(struct multi_tick));
	md->ud.release = multi_dev_release;
	mutex_lock(&multi_lock);
	ret = xa_alloc(&multi_devs, &id, md,
		       XA_LIMIT(0, UCMD_MULTI_MAX_DEVICES - 1), GFP_KERNEL);
	if (ret) {
		ret = ret == -EBUSY ? -ENOSPC : ret;
		goto out_free;
	}
	md->id = id;
	snprintf(md->name, sizeof(md->name), "ucmd-multi%u", id);
	md->ud.misc.name = md->name;
	ret = ucmd_dev_add(&md->ud);
	if (ret) {
		xa_erase(&multi_devs, id);
		goto out_free;
	}
	atomic64_inc(&multi_allocated);
	atomic64_inc(&multi_created);
	mutex_unlock(&multi_lock);
	return id;

out_free:
	mutex_unlock(&multi_lock);
	kfree(md);
	return ret;
}

static int multi_destroy(struct ucmd *uc)
{
	u32 id = *ucmd_payload(uc, u32);
	struct multi_dev *md;

	if (ucmd_nonblock(uc))
		return UCMD_RETRY;
	mutex_lock(&multi_lock);
	md = xa_erase(&multi_devs, id);
	/* Under the lock: the number is free again only once the node is gone. */
	if (md)
		ucmd_dev_remove(&md->ud);
	mutex_unlock(&multi_lock);
	return md ? 0 : -ENOENT;
}

static int multi_stats(struct ucmd *uc)
{
	struct ucmd_multi_stats st = {
		.allocated = atomic64_read(&multi_allocated),
		.created = atomic64_read(&multi_created),
		.cancelled = atomic64_read(&multi_cancelled),
		.expired = atomic64_read(&multi_expired),
		.streams = atomic64_read(&multi_streams),
		.stream_hooks = atomic64_read(&multi_stream_hooks),
		.stream_ends = atomic64_read(&multi_stream_ends),
		.gone_posts = atomic64_read(&multi_gone_posts),
		.stream_bad = atomic64_read(&multi_stream_bad),
	};

	return ucmd_copy_out(uc, &st, sizeof(st));
}

static const struct ucmd_op multi_ctl_ops[] = {
	UCMD_OP(UCMD_MULTI_CREATE, multi_create, UCMD_F_ADMIN | UCMD_F_WRITE),
	UCMD_OP(UCMD_MULTI_DESTROY, multi_destroy, UCMD_F_ADMIN | UCMD_F_WRITE),
	UCMD_OP(UCMD_MULTI_STATS, multi_stats, UCMD_F_ADMIN),
};

static struct ucmd_dev multi_ctl;

UCMD_DEFINE_FOPS_HOOKS(multi_ctl, multi_ctl)

static const struct file_operations multi_ctl_fops = {
	.owner = THIS_MODULE,
	UCMD_FOPS(multi_ctl),
};

static struct ucmd_dev multi_ctl = {
	.misc = {
		.minor = MISC_DYNAMIC_MINOR,
		.name = "ucmd-multi-ctl",
		.fops = &multi_ctl_fops,
		.mode = 0600,
	},
	.ops = multi_ctl_ops,
	.nr_ops = ARRAY_SIZE(multi_ctl_ops),
};

static int __init multi_init(void)
{
	return ucmd_dev_register(&multi_ctl);
}

/* No file of any device is open (each holds the module): every removal frees at once. */
static void __exit multi_exit(void)
{
	struct multi_dev *md;
	unsigned long id;

	ucmd_dev_unregister(&multi_ctl);
	xa_for_each(&multi_devs, id, md) {
		xa_erase(&multi_devs, id);
		ucmd_dev_remove(&md->ud);
	}
	xa_destroy(&multi_devs);
}

module_init(multi_init);
module_exit(multi_exit);
MODULE_DESCRIPTION("ucmd sample driver: ucmd devices created and removed at run time");
MODULE_LICENSE("GPL");
