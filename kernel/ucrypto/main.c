// SPDX-License-Identifier: GPL-2.0
/* main.c - /dev/ucrypto: the op table, the device and its files, the module. */

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "ucrypto_internal.h"

static struct ucmd_dev ucrypto_dev;

/* Operations may defer (asynchronous sessions); the rest never does. */
static const struct ucmd_op ucrypto_ops[] = {
	UCMD_OP(UCRYPTO_SESSION_CREATE, ucrypto_session_create, 0),
	UCMD_OP(UCRYPTO_SESSION_DESTROY, ucrypto_session_destroy, 0),
	/* A crypto request cannot be stopped: no cancel hook; output in finish. */
	UCMD_OP_ASYNC_FINISH(UCRYPTO_HASH, ucrypto_data_op, NULL, ucrypto_finish, UCMD_F_BUF),
	UCMD_OP_ASYNC_FINISH(UCRYPTO_ENCRYPT, ucrypto_data_op, NULL, ucrypto_finish, UCMD_F_BUF),
	UCMD_OP_ASYNC_FINISH(UCRYPTO_DECRYPT, ucrypto_data_op, NULL, ucrypto_finish, UCMD_F_BUF),
#ifdef UCRYPTO_WITH_BENCH
	UCMD_OP(UCRYPTO_BENCH_LOOP, ucrypto_bench_loop, UCMD_F_ADMIN),
#endif
};

static int ucrypto_open(struct inode *inode, struct file *file)
{
	struct ucrypto_file *uf = kzalloc(sizeof(*uf), GFP_KERNEL_ACCOUNT);

	if (!uf)
		return -ENOMEM;
	mutex_init(&uf->lock);
	file->private_data = uf;
	return 0;
}

/*
 * No operation is running: the framework holds the file until every
 * deferred one completed, and those hold their own session references.
 */
static int ucrypto_release(struct inode *inode, struct file *file)
{
	struct ucrypto_file *uf = file->private_data;
	struct ucrypto_sess *s;
	unsigned int i;

	for (i = 0; i < UCRYPTO_MAX_SESSIONS; i++) {
		s = rcu_dereference_protected(uf->slot[i], true);
		if (s)
			ucrypto_session_put(s);
	}
	mutex_destroy(&uf->lock);
	kfree(uf);
	return 0;
}

UCMD_DEFINE_FOPS_HOOKS(ucrypto, ucrypto_dev)

static const struct file_operations ucrypto_fops = {
	.owner = THIS_MODULE,
	.open = ucrypto_open,
	.release = ucrypto_release,
	.llseek = noop_llseek,
	UCMD_FOPS(ucrypto),
};

static struct ucmd_dev ucrypto_dev = {
	.misc = {
		.minor = MISC_DYNAMIC_MINOR,
		.name = "ucrypto",
		.fops = &ucrypto_fops,
		.mode = 0666,
	},
	.ops = ucrypto_ops,
	.nr_ops = ARRAY_SIZE(ucrypto_ops),
	.req_priv_size = sizeof(struct ucrypto_priv),
	.max_inflight = 4096,
	.vec = true,
};

static int __init ucrypto_init(void)
{
	int ret = ucrypto_async_init();

	if (ret)
		return ret;
	ret = ucmd_dev_register(&ucrypto_dev);
	if (ret)
		ucrypto_async_exit();
	return ret;
}

static void __exit ucrypto_exit(void)
{
	ucmd_dev_unregister(&ucrypto_dev);
	ucrypto_async_exit();
}

module_init(ucrypto_init);
module_exit(ucrypto_exit);
MODULE_DESCRIPTION("ucrypto: the kernel crypto API over io_uring commands and ioctl");
MODULE_LICENSE("GPL");
