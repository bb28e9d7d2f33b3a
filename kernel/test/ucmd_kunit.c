// SPDX-License-Identifier: GPL-2.0
/* ucmd_kunit.c - in-kernel tests of the ucmd state machine: KUnit, or a KTAP shim without it. */

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "ucmd_internal.h"

#if IS_ENABLED(CONFIG_KUNIT)
#include <kunit/test.h>
#define UCMD_KUNIT 1
#else
/* Stock kernels without KUnit: the same cases, KTAP output of our own. */
#define UCMD_KUNIT 0
struct kunit {
	const char *name;
	int failed;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
};

#define KUNIT_CASE(fn)	{ .run_case = fn, .name = #fn }
#define KUNIT_EXPECT_EQ(test, a, b) do {				\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a != _b) {							\
		pr_info("    # %s: %s:%d: expected %s == %s (%lld != %lld)\n", \
			(test)->name, __FILE__, __LINE__, #a, #b, _a, _b); \
		(test)->failed = 1;					\
	}								\
} while (0)
#define KUNIT_EXPECT_TRUE(test, c)	KUNIT_EXPECT_EQ(test, !!(c), 1)
#endif

#define ST_SYNC		_IO('s', 1)
#define ST_WRITE	_IO('s', 2)
#define ST_DEFER_NOW	_IO('s', 3)
#define ST_DEFER_WORK	_IO('s', 4)
#define ST_DOUBLE	_IO('s', 5)
#define ST_NO_DEFER	_IO('s', 6)
#define ST_BAD_DEFER	_IO('s', 7)
#define ST_PDU		_IO('s', 8)
#define ST_INTERNAL	_IO('s', 9)
#define ST_DEFER_INTERNAL _IO('s', 10)

struct st_work {
	struct delayed_work dw;
	struct ucmd_token tok;
};

static struct ucmd_dev st_dev;
static int st_second_ret;
static struct ucmd_token st_last_tok;

static u64 st_stat(size_t offset)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *(u64 *)((char *)per_cpu_ptr(st_dev.stats, cpu) + offset);
	return sum;
}

#define ST_STAT(field)	st_stat(offsetof(struct ucmd_stats, field))

static int st_sync(struct ucmd *uc)
{
	return 1234;
}

static int st_defer_now(struct ucmd *uc)
{
	struct ucmd_token tok;
	void *priv = ucmd_defer(uc, &tok);

	if (IS_ERR(priv))
		return PTR_ERR(priv);
	st_last_tok = tok;
	ucmd_complete(tok, 77);
	return UCMD_QUEUED;
}

static void st_work_fn(struct work_struct *work)
{
	struct st_work *w = container_of(to_delayed_work(work), struct st_work, dw);

	ucmd_complete(w->tok, 99);
}

static int st_defer_work(struct ucmd *uc)
{
	struct ucmd_token tok;
	struct st_work *w = ucmd_defer(uc, &tok);

	if (IS_ERR(w))
		return PTR_ERR(w);
	w->tok = tok;
	INIT_DELAYED_WORK(&w->dw, st_work_fn);
	schedule_delayed_work(&w->dw, msecs_to_jiffies(5));
	return UCMD_QUEUED;
}

static int st_double(struct ucmd *uc)
{
	struct ucmd_token tok;
	void *priv = ucmd_defer(uc, &tok);

	if (IS_ERR(priv))
		return PTR_ERR(priv);
	ucmd_complete(tok, 5);
	st_second_ret = ucmd_complete(tok, 6);
	return UCMD_QUEUED;
}

static int st_no_defer(struct ucmd *uc)
{
	return UCMD_QUEUED;
}

static int st_bad_defer(struct ucmd *uc)
{
	struct ucmd_token tok;

	return PTR_ERR_OR_ZERO(ucmd_defer(uc, &tok));
}

/* Returns 0 if the pdu arrived zeroed, then dirties it. */
static int st_pdu(struct ucmd *uc)
{
	struct st_pdu { u64 v[3]; } *pdu = ucmd_pdu(uc, struct st_pdu);
	int dirty = pdu->v[0] || pdu->v[1] || pdu->v[2];

	memset(pdu, 0xff, sizeof(*pdu));
	return dirty;
}

/* Passes a kernel-internal errno through, as a careless handler would. */
static int st_internal(struct ucmd *uc)
{
	return -EIOCBQUEUED;
}

static int st_defer_internal(struct ucmd *uc)
{
	struct ucmd_token tok;
	void *priv = ucmd_defer(uc, &tok);

	if (IS_ERR(priv))
		return PTR_ERR(priv);
	ucmd_complete(tok, -ENOTSUPP);
	return UCMD_QUEUED;
}

static const struct ucmd_op st_ops[] = {
	UCMD_OP(ST_SYNC, st_sync, 0),
	UCMD_OP(ST_WRITE, st_sync, UCMD_F_WRITE),
	UCMD_OP_ASYNC(ST_DEFER_NOW, st_defer_now, NULL, 0),
	UCMD_OP_ASYNC(ST_DEFER_WORK, st_defer_work, NULL, 0),
	UCMD_OP_ASYNC(ST_DOUBLE, st_double, NULL, 0),
	UCMD_OP(ST_NO_DEFER, st_no_defer, 0),
	UCMD_OP(ST_BAD_DEFER, st_bad_defer, 0),
	UCMD_OP(ST_PDU, st_pdu, 0),
	UCMD_OP(ST_INTERNAL, st_internal, 0),
	UCMD_OP_ASYNC(ST_DEFER_INTERNAL, st_defer_internal, NULL, 0),
};

static const struct file_operations st_fops = {
	.owner = THIS_MODULE,
};

static struct ucmd_dev st_dev = {
	.misc = {
		.minor = MISC_DYNAMIC_MINOR,
		.name = "ucmd-selftest",
		.fops = &st_fops,
	},
	.ops = st_ops,
	.nr_ops = ARRAY_SIZE(st_ops),
	.req_priv_size = sizeof(struct st_work),
};

static long st_call(unsigned int cmd, int flags)
{
	struct file *file = anon_inode_getfile("ucmd-selftest", &st_fops, NULL,
					       flags);
	long ret;

	if (IS_ERR(file))
		return PTR_ERR(file);
	ret = ucmd_ioctl(&st_dev, file, cmd, 0);
	fput(file);
	return ret;
}

static void st_stream_cancel(struct ucmd_stream st, void *priv)
{
}

static void ucmd_test_bad_tables(struct kunit *test)
{
	static const struct ucmd_op dup[] = {
		UCMD_OP(_IO('s', 1), st_sync, 0),
		UCMD_OP(_IO('t', 1), st_sync, 0),
	};
	static const struct ucmd_op big[] = {
		UCMD_OP(_IOW('s', 1, struct ucmd_vec_entry), st_sync, 0),
	};
	static const struct ucmd_op vec[] = {
		UCMD_OP(UCMD_VEC, st_sync, 0),
	};
	static const struct ucmd_op nohandler[] = {
		{ .cmd = _IO('s', 1) },
	};
	/* A stream without its cancel hook, a deferrable stream, a hook without a stream. */
	static const struct ucmd_op streams[][1] = {
		{ UCMD_OP(_IO('s', 1), st_sync, UCMD_F_MULTISHOT) },
		{ UCMD_OP_STREAM(_IO('s', 1), st_sync, st_stream_cancel, UCMD_F_ASYNC) },
		{ { .cmd = _IO('s', 1), .handler = st_sync, .stream_cancel = st_stream_cancel } },
	};
	struct ucmd_dev bad = { .misc = { .name = "ucmd-bad" } };

	bad.ops = dup;
	bad.nr_ops = ARRAY_SIZE(dup);
	KUNIT_EXPECT_EQ(test, ucmd_dev_register(&bad), -EINVAL);
	bad.ops = big;
	bad.nr_ops = ARRAY_SIZE(big);
	KUNIT_EXPECT_EQ(test, ucmd_dev_register(&bad), -EINVAL);
	bad.ops = vec;
	bad.nr_ops = ARRAY_SIZE(vec);
	KUNIT_EXPECT_EQ(test, ucmd_dev_register(&bad), -EINVAL);
	bad.ops = nohandler;
	bad.nr_ops = ARRAY_SIZE(nohandler);
	KUNIT_EXPECT_EQ(test, ucmd_dev_register(&bad), -EINVAL);
	bad.nr_ops = 0;
	KUNIT_EXPECT_EQ(test, ucmd_dev_register(&bad), -EINVAL);
	for (int i = 0; i < ARRAY_SIZE(streams); i++) {
		bad.ops = streams[i];
		bad.nr_ops = 1;
		KUNIT_EXPECT_EQ(test, ucmd_dev_register(&bad), -EINVAL);
	}
}

static void st_release(struct ucmd_dev *ud)
{
}

/* ucmd_dev_add() needs a release and the framework's open and release in the fops. */
static void ucmd_test_add_needs_dev_fops(struct kunit *test)
{
	static const struct ucmd_op ops[] = {
		UCMD_OP(_IO('s', 1), st_sync, 0),
	};
	static const struct file_operations plain = { .owner = THIS_MODULE };
	static const struct file_operations dev_fops = {
		.owner = THIS_MODULE,
		UCMD_DEV_FOPS,
	};
	struct ucmd_dev bad = {
		.misc = { .name = "ucmd-bad", .fops = &dev_fops },
		.ops = ops,
		.nr_ops = ARRAY_SIZE(ops),
	};

	KUNIT_EXPECT_EQ(test, ucmd_dev_add(&bad), -EINVAL);
	bad.release = st_release;
	bad.misc.fops = &plain;
	KUNIT_EXPECT_EQ(test, ucmd_dev_add(&bad), -EINVAL);
	bad.misc.fops = NULL;
	KUNIT_EXPECT_EQ(test, ucmd_dev_add(&bad), -EINVAL);
}

static int st_released;

static void st_free_release(struct ucmd_dev *ud)
{
	st_released++;
	kfree(ud);
}

/*
 * An added device may serve streams on every kernel (without multishot
 * uring commands they fail at dispatch); removed with no file open, it
 * is freed at once, its release called once.
 */
static void ucmd_test_add_stream_op(struct kunit *test)
{
	static const struct ucmd_op ops[] = {
		UCMD_OP_STREAM(ST_SYNC, st_sync, st_stream_cancel, 0),
	};
	static const struct file_operations dev_fops = {
		.owner = THIS_MODULE,
		UCMD_DEV_FOPS,
	};
	struct ucmd_dev *ud = kzalloc(sizeof(*ud), GFP_KERNEL);
	int ret;

	KUNIT_EXPECT_TRUE(test, ud);
	if (!ud)
		return;
	ud->misc.minor = MISC_DYNAMIC_MINOR;
	ud->misc.name = "ucmd-kunit-stream";
	ud->misc.fops = &dev_fops;
	ud->ops = ops;
	ud->nr_ops = ARRAY_SIZE(ops);
	ud->release = st_free_release;
	st_released = 0;
	ret = ucmd_dev_add(ud);
	KUNIT_EXPECT_EQ(test, ret, 0);
	if (ret) {
		kfree(ud);
		return;
	}
	KUNIT_EXPECT_EQ(test, st_released, 0);
	ucmd_dev_remove(ud);
	KUNIT_EXPECT_EQ(test, st_released, 1);
}

static void ucmd_test_unknown_enotty(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, st_call(_IO('s', 99), O_RDWR), -ENOTTY);
	KUNIT_EXPECT_EQ(test, st_call(_IO('x', 1), O_RDWR), -ENOTTY);
}

static void ucmd_test_write_needs_writable(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, st_call(ST_WRITE, O_RDONLY), -EBADF);
	KUNIT_EXPECT_EQ(test, st_call(ST_WRITE, O_RDWR), 1234);
	KUNIT_EXPECT_EQ(test, st_call(ST_SYNC, O_RDONLY), 1234);
}

static void ucmd_test_defer_inline(struct kunit *test)
{
	u64 async = ST_STAT(completed_async);

	KUNIT_EXPECT_EQ(test, st_call(ST_DEFER_NOW, O_RDWR), 77);
	KUNIT_EXPECT_EQ(test, ST_STAT(completed_async), async + 1);
	KUNIT_EXPECT_EQ(test, ucmd_dev_inflight(&st_dev), 0);
}

static void ucmd_test_defer_workqueue(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, st_call(ST_DEFER_WORK, O_RDWR), 99);
	KUNIT_EXPECT_EQ(test, ucmd_dev_inflight(&st_dev), 0);
}

static void ucmd_test_double_completion(struct kunit *test)
{
	u64 refused = ST_STAT(refused);

	ucmd_set_warn_refusals(false);
	KUNIT_EXPECT_EQ(test, st_call(ST_DOUBLE, O_RDWR), 5);
	ucmd_set_warn_refusals(true);
	KUNIT_EXPECT_EQ(test, st_second_ret, -EALREADY);
	KUNIT_EXPECT_EQ(test, ST_STAT(refused), refused + 1);
	KUNIT_EXPECT_EQ(test, ucmd_dev_inflight(&st_dev), 0);
}

static void ucmd_test_bogus_token(struct kunit *test)
{
	struct ucmd_token tok = { .req = NULL };
	u64 refused = ST_STAT(refused);

	ucmd_set_warn_refusals(false);
	KUNIT_EXPECT_EQ(test, ucmd_complete(tok, 1), -EALREADY);
	ucmd_set_warn_refusals(true);
	KUNIT_EXPECT_EQ(test, ST_STAT(refused), refused);

	/* A stale token of a finished, pooled request: refused and counted. */
	KUNIT_EXPECT_EQ(test, st_call(ST_DEFER_NOW, O_RDWR), 77);
	ucmd_set_warn_refusals(false);
	KUNIT_EXPECT_EQ(test, ucmd_complete(st_last_tok, 1), -EALREADY);
	ucmd_set_warn_refusals(true);
	KUNIT_EXPECT_EQ(test, ST_STAT(refused), refused + 1);
	/* The reused request serves a new command normally. */
	KUNIT_EXPECT_EQ(test, st_call(ST_DEFER_NOW, O_RDWR), 77);
}

static void ucmd_test_queued_without_defer(struct kunit *test)
{
	ucmd_set_warn_refusals(false);
	KUNIT_EXPECT_EQ(test, st_call(ST_NO_DEFER, O_RDWR), -EIO);
	KUNIT_EXPECT_EQ(test, st_call(ST_BAD_DEFER, O_RDWR), -EINVAL);
	ucmd_set_warn_refusals(true);
}

/* Kernel-internal errnos never reach user space: -EIO, counted as refusals. */
static void ucmd_test_internal_errno(struct kunit *test)
{
	u64 refused = ST_STAT(refused);

	ucmd_set_warn_refusals(false);
	KUNIT_EXPECT_EQ(test, st_call(ST_INTERNAL, O_RDWR), -EIO);
	KUNIT_EXPECT_EQ(test, st_call(ST_DEFER_INTERNAL, O_RDWR), -EIO);
	ucmd_set_warn_refusals(true);
	KUNIT_EXPECT_EQ(test, ST_STAT(refused), refused + 2);
	KUNIT_EXPECT_EQ(test, ucmd_dev_inflight(&st_dev), 0);
}

static void ucmd_test_pdu_zeroed(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, st_call(ST_PDU, O_RDWR), 0);
	KUNIT_EXPECT_EQ(test, st_call(ST_PDU, O_RDWR), 0);
}

static void ucmd_test_counters_balance(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ST_STAT(issued),
			ST_STAT(completed_sync) + ST_STAT(completed_async) +
			ST_STAT(cancelled));
}

static struct kunit_case ucmd_test_cases[] = {
	KUNIT_CASE(ucmd_test_bad_tables),
	KUNIT_CASE(ucmd_test_add_needs_dev_fops),
	KUNIT_CASE(ucmd_test_add_stream_op),
	KUNIT_CASE(ucmd_test_unknown_enotty),
	KUNIT_CASE(ucmd_test_write_needs_writable),
	KUNIT_CASE(ucmd_test_defer_inline),
	KUNIT_CASE(ucmd_test_defer_workqueue),
	KUNIT_CASE(ucmd_test_double_completion),
	KUNIT_CASE(ucmd_test_bogus_token),
	KUNIT_CASE(ucmd_test_queued_without_defer),
	KUNIT_CASE(ucmd_test_internal_errno),
	KUNIT_CASE(ucmd_test_pdu_zeroed),
	KUNIT_CASE(ucmd_test_counters_balance),
	{}
};

#if UCMD_KUNIT
/* KUnit runs a module's suites before its init function: register here. */
static int st_suite_init(struct kunit_suite *suite)
{
	return ucmd_dev_register(&st_dev);
}

static void st_suite_exit(struct kunit_suite *suite)
{
	ucmd_dev_unregister(&st_dev);
}

static struct kunit_suite ucmd_test_suite = {
	.name = "ucmd",
	.suite_init = st_suite_init,
	.suite_exit = st_suite_exit,
	.test_cases = ucmd_test_cases,
};
kunit_test_suite(ucmd_test_suite);

static int __init st_init(void)
{
	return 0;
}

static void __exit st_exit(void)
{
}
#else
static int __init st_init(void)
{
	struct kunit_case *c;
	int n = 0, failed = 0;
	int ret = ucmd_dev_register(&st_dev);

	if (ret)
		return ret;
	for (c = ucmd_test_cases; c->run_case; c++)
		n++;
	pr_info("KTAP version 1\n");
	pr_info("1..%d\n", n);
	n = 0;
	for (c = ucmd_test_cases; c->run_case; c++) {
		struct kunit test = { .name = c->name };

		c->run_case(&test);
		pr_info("%sok %d %s\n", test.failed ? "not " : "", ++n, c->name);
		failed += test.failed;
	}
	pr_info("# ucmd selftest: %d of %d failed\n", failed, n);
	return 0;
}

static void __exit st_exit(void)
{
	ucmd_dev_unregister(&st_dev);
}
#endif

module_init(st_init);
module_exit(st_exit);
MODULE_DESCRIPTION("ucmd framework self-tests");
MODULE_LICENSE("GPL");
