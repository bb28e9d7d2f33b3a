// SPDX-License-Identifier: GPL-2.0
/* ucmd_demo.c - sample misc driver: every ucmd capability behind /dev/ucmd-demo. */

#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/ucmd.h>
#include <linux/uaccess.h>
#include <uapi/linux/ucmd_demo.h>

/* Per open file. */
struct demo_file {
	struct mutex lock;	/* protects value, seq and watchers */
	int value;
	u64 seq;		/* SET_VALUEs so far */
	struct list_head watchers;
};

/* Per WATCH stream, in the framework's per-command area. */
struct demo_watch {
	struct list_head node;	/* in demo_file.watchers while the driver posts */
	struct ucmd_stream st;
	struct demo_file *df;
	u32 left;		/* events until the driver ends it; 0: no limit */
};

/* Per deferred SLEEP, in the framework's per-command area. */
struct demo_sleep {
	struct hrtimer timer;
	struct ucmd_token tok;
	u64 tag;
};

/* Per-command scratch (pdu): kept when io_uring issues a command again. */
struct demo_pdu {
	u32 retries;
};

/* The buffer behind read/write, shared by all opens. */
static DEFINE_MUTEX(demo_buf_lock);
static u8 demo_buf[UCMD_DEMO_BUF_SIZE];
static size_t demo_buf_len;

static struct ucmd_dev demo_dev;

static struct demo_file *demo_file(struct ucmd *uc)
{
	return ucmd_file(uc)->private_data;
}

static int demo_hello(struct ucmd *uc)
{
	/* Rate-limited: a flood of HELLOs must not push other reports out of the log. */
	pr_info_ratelimited("ucmd-demo: hello over %s\n",
			    ucmd_is_uring(uc) ? "io_uring" : "ioctl");
	return 0;
}

static int demo_nop(struct ucmd *uc)
{
	return 0;
}

static int demo_get_value(struct ucmd *uc)
{
	struct demo_file *df = demo_file(uc);
	int value;

	mutex_lock(&df->lock);
	value = df->value;
	mutex_unlock(&df->lock);
	return ucmd_copy_out(uc, &value, sizeof(value));
}

/*
 * Takes the value's lock; from a context that must not block, a contended
 * lock sends the command back to io_uring to be issued again (UCMD_RETRY),
 * counting the attempts in the pdu.
 */
static int demo_lock_value(struct ucmd *uc, struct demo_file *df)
{
	if (!ucmd_nonblock(uc)) {
		mutex_lock(&df->lock);
		return 0;
	}
	if (mutex_trylock(&df->lock))
		return 0;
	ucmd_pdu(uc, struct demo_pdu)->retries++;
	return UCMD_RETRY;
}

/*
 * One event per watcher, under the value's lock.  A watcher whose stream the
 * user side ended stays listed until its cancel hook takes it off; one that
 * got its count is ended here.
 */
static void demo_watch_notify(struct demo_file *df)
{
	struct ucmd_demo_event ev = { .seq = df->seq, .value = df->value };
	struct demo_watch *w, *tmp;

	list_for_each_entry_safe(w, tmp, &df->watchers, node) {
		if (ucmd_stream_post(w->st, &ev, sizeof(ev)) || !w->left)
			continue;
		if (--w->left)
			continue;
		list_del_init(&w->node);
		ucmd_stream_end(w->st, 0);
	}
}

static int demo_set_value(struct ucmd *uc)
{
	struct demo_file *df = demo_file(uc);
	int ret = demo_lock_value(uc, df);

	if (ret)
		return ret;
	df->value = *ucmd_payload(uc, int);
	df->seq++;
	demo_watch_notify(df);
	mutex_unlock(&df->lock);
	return 0;
}

static int demo_watch(struct ucmd *uc)
{
	const struct ucmd_demo_watch *arg = ucmd_payload(uc, struct ucmd_demo_watch);
	struct demo_file *df = demo_file(uc);
	struct ucmd_stream st;
	struct demo_watch *w;
	int ret;

	if (arg->flags)
		return -EINVAL;
	ret = demo_lock_value(uc, df);
	if (ret)
		return ret;
	w = ucmd_stream_start(uc, &st);
	if (IS_ERR(w)) {
		mutex_unlock(&df->lock);
		return PTR_ERR(w);
	}
	w->st = st;
	w->df = df;
	w->left = arg->count;
	list_add_tail(&w->node, &df->watchers);
	mutex_unlock(&df->lock);
	return UCMD_QUEUED;
}

/*
 * The user side ended the stream (ring exit, no buffer left, a full queue):
 * whoever takes the watcher off the list ends its stream, exactly once.
 */
static void demo_watch_cancel(struct ucmd_stream st, void *priv)
{
	struct demo_watch *w = priv;
	struct demo_file *df = w->df;
	bool listed;

	mutex_lock(&df->lock);
	listed = !list_empty(&w->node);
	list_del_init(&w->node);
	mutex_unlock(&df->lock);
	if (listed)
		ucmd_stream_end(st, -ECANCELED);
}

static int demo_add(struct ucmd *uc)
{
	struct demo_file *df = demo_file(uc);
	int ret = demo_lock_value(uc, df);
	s64 delta = *ucmd_payload(uc, s64), sum;

	if (ret)
		return ret;
	if (check_add_overflow((s64)df->value, delta, &sum) || sum < INT_MIN || sum > INT_MAX) {
		mutex_unlock(&df->lock);
		return -ERANGE;
	}
	df->value = (int)sum;
	mutex_unlock(&df->lock);
	ucmd_set_res2(uc, (u64)sum);
	/* A negative result would read as an errno: the value is in res2. */
	return sum < 0 ? 0 : (int)sum;
}

static enum hrtimer_restart demo_sleep_expired(struct hrtimer *timer)
{
	struct demo_sleep *s = container_of(timer, struct demo_sleep, timer);

	/* Hard-IRQ context: the framework routes the CQE through task_work. */
	ucmd_complete_res2(s->tok, 0, s->tag);
	return HRTIMER_NORESTART;
}

static int demo_sleep(struct ucmd *uc)
{
	const struct ucmd_demo_sleep *arg = ucmd_payload(uc, struct ucmd_demo_sleep);
	struct demo_sleep *s;
	struct ucmd_token tok;

	if (arg->nsec > UCMD_DEMO_MAX_SLEEP_NSEC)
		return -EINVAL;
	s = ucmd_defer(uc, &tok);
	if (IS_ERR(s))
		return PTR_ERR(s);
	s->tok = tok;
	s->tag = arg->tag;
	ucmd_hrtimer_setup(&s->timer, demo_sleep_expired, CLOCK_MONOTONIC,
			   HRTIMER_MODE_REL);
	hrtimer_start(&s->timer, ns_to_ktime(arg->nsec), HRTIMER_MODE_REL);
	return UCMD_QUEUED;
}

/*
 * Called once the handler has returned (the timer is armed), under io_uring's
 * uring_lock, or from an interrupted ioctl.  hrtimer_cancel() waits for a
 * running callback, which never takes that lock; if the timer had not fired,
 * its completion is ours to make.
 */
static void demo_sleep_cancel(struct ucmd_token tok, void *priv)
{
	struct demo_sleep *s = priv;

	if (hrtimer_cancel(&s->timer))
		ucmd_complete(tok, -ECANCELED);
}

static int demo_sum128(struct ucmd *uc)
{
	const struct ucmd_demo_blob *blob = ucmd_payload(uc, struct ucmd_demo_blob);
	int i, sum = 0;

	for (i = 0; i < ARRAY_SIZE(blob->data); i++)
		sum += blob->data[i];
	return sum;
}

static int demo_reset_stats(struct ucmd *uc)
{
	ucmd_dev_reset_stats(&demo_dev);
	return 0;
}

static const struct ucmd_op demo_ops[] = {
	UCMD_OP(UCMD_DEMO_HELLO, demo_hello, 0),
	UCMD_OP(UCMD_DEMO_GET_VALUE, demo_get_value, 0),
	UCMD_OP(UCMD_DEMO_SET_VALUE, demo_set_value, UCMD_F_WRITE),
	UCMD_OP(UCMD_DEMO_NOP, demo_nop, 0),
	UCMD_OP(UCMD_DEMO_ADD, demo_add, UCMD_F_WRITE),
	UCMD_OP_ASYNC(UCMD_DEMO_SLEEP, demo_sleep, demo_sleep_cancel, 0),
	UCMD_OP(UCMD_DEMO_SUM128, demo_sum128, UCMD_F_SQE128),
	UCMD_OP(UCMD_DEMO_RESET_STATS, demo_reset_stats, UCMD_F_ADMIN),
	UCMD_OP_STREAM(UCMD_DEMO_WATCH, demo_watch, demo_watch_cancel, 0),
};

static int demo_open(struct inode *inode, struct file *file)
{
	struct demo_file *df = kzalloc(sizeof(*df), GFP_KERNEL);

	if (!df)
		return -ENOMEM;
	mutex_init(&df->lock);
	INIT_LIST_HEAD(&df->watchers);
	file->private_data = df;
	return 0;
}

static int demo_release(struct inode *inode, struct file *file)
{
	struct demo_file *df = file->private_data;

	/* Every stream holds the file: none is left. */
	WARN_ON_ONCE(!list_empty(&df->watchers));
	kfree(df);
	return 0;
}

static ssize_t demo_read(struct file *file, char __user *ubuf, size_t len,
			 loff_t *pos)
{
	ssize_t ret;

	mutex_lock(&demo_buf_lock);
	ret = simple_read_from_buffer(ubuf, len, pos, demo_buf, demo_buf_len);
	mutex_unlock(&demo_buf_lock);
	return ret;
}

/* All or nothing: a write past the buffer's end fails whole with -ENOSPC. */
static ssize_t demo_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *pos)
{
	loff_t off = *pos;
	void *tmp;

	if (off < 0)
		return -EINVAL;
	if (!len)
		return 0;
	if (off >= UCMD_DEMO_BUF_SIZE || len > UCMD_DEMO_BUF_SIZE - off)
		return -ENOSPC;
	tmp = memdup_user(ubuf, len);
	if (IS_ERR(tmp))
		return PTR_ERR(tmp);
	mutex_lock(&demo_buf_lock);
	memcpy(demo_buf + off, tmp, len);
	demo_buf_len = max_t(size_t, demo_buf_len, off + len);
	mutex_unlock(&demo_buf_lock);
	kfree(tmp);
	*pos = off + len;
	return len;
}

static loff_t demo_llseek(struct file *file, loff_t off, int whence)
{
	size_t len;

	mutex_lock(&demo_buf_lock);
	len = demo_buf_len;
	mutex_unlock(&demo_buf_lock);
	return generic_file_llseek_size(file, off, whence, UCMD_DEMO_BUF_SIZE, len);
}

UCMD_DEFINE_FOPS_HOOKS(demo, demo_dev)

static const struct file_operations demo_fops = {
	.owner = THIS_MODULE,
	.open = demo_open,
	.release = demo_release,
	.read = demo_read,
	.write = demo_write,
	.llseek = demo_llseek,
	UCMD_FOPS(demo),
};

static struct ucmd_dev demo_dev = {
	.misc = {
		.minor = MISC_DYNAMIC_MINOR,
		.name = "ucmd-demo",
		.fops = &demo_fops,
		.mode = 0666,
	},
	.ops = demo_ops,
	.nr_ops = ARRAY_SIZE(demo_ops),
	.req_priv_size = sizeof(struct demo_sleep) > sizeof(struct demo_watch) ?
			 sizeof(struct demo_sleep) : sizeof(struct demo_watch),
	.vec = true,
};

static int __init demo_init(void)
{
	return ucmd_dev_register(&demo_dev);
}

static void __exit demo_exit(void)
{
	ucmd_dev_unregister(&demo_dev);
}

module_init(demo_init);
module_exit(demo_exit);
MODULE_DESCRIPTION("ucmd sample driver: ioctl and io_uring commands from one table");
MODULE_LICENSE("GPL");
