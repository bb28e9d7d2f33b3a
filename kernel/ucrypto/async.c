// SPDX-License-Identifier: GPL-2.0
/* async.c - operations of asynchronous sessions: deferred, completed from the crypto callback through a worker. */

#include <linux/sched.h>
#include <linux/workqueue.h>

#include "ucrypto_compat.h"
#include "ucrypto_req.h"

/* Copies results of asynchronous operations to user memory. */
static struct workqueue_struct *ucrypto_wq;

/*
 * Hands a finished operation to the framework, in process context.  Its
 * output goes to user space in ucrypto_finish(), which the framework runs
 * only for a command user space has not cancelled, just before delivering
 * the result: nothing is ever written after -ECANCELED or -EINTR.
 */
static void ucrypto_async_complete(struct ucrypto_req *r, int err)
{
	struct ucrypto_file *uf = r->uf;

	/* The file may go away once the command is complete. */
	atomic_sub(r->buf.len, &uf->inflight_bytes);
	atomic_dec(&uf->inflight);
	/* Completed: @r belongs to ucrypto_finish(), unless it was cancelled. */
	if (ucmd_complete(r->tok, err) == -ECANCELED)
		ucrypto_req_free(r);
}

/**
 * ucrypto_finish() - ucmd finish hook of the operations: output to user space
 * @priv: the command's &struct ucrypto_priv
 * @res: 0 or the crypto error the operation ended with
 *
 * Return: the operation's result (digest size, length, or a negative errno).
 */
int ucrypto_finish(void *priv, int res)
{
	struct ucrypto_req *r = ((struct ucrypto_priv *)priv)->r;

	res = ucrypto_req_copy_out(r, res);
	ucrypto_req_free(r);
	return res;
}

static void ucrypto_async_work(struct work_struct *work)
{
	struct ucrypto_req *r = container_of(work, struct ucrypto_req, work);

	ucrypto_async_complete(r, r->err);
}

/* The crypto callback, perhaps in softirq context: copying out waits for a worker. */
UCRYPTO_CRYPTO_CB(ucrypto_async_done)
{
	struct ucrypto_req *r = data;

	if (err == -EINPROGRESS)
		return;		/* left the backlog; the result follows */
	r->err = err;
	queue_work(ucrypto_wq, &r->work);
}

/* An operation of an asynchronous session: may complete from a callback. */
int ucrypto_op_async(struct ucmd *uc, struct ucrypto_sess *s,
			    const struct ucrypto_op *op, u32 cmd,
			    unsigned int bytes, struct ucrypto_io *io)
{
	struct ucrypto_file *uf = ucrypto_file(uc);
	struct ucrypto_priv *priv;
	struct ucmd_token tok;
	struct ucrypto_req *r;
	int ret;

	if (!current->mm) {
		ret = -EOPNOTSUPP;
		goto err_put;
	}
	ret = -EBUSY;
	if (atomic_inc_return(&uf->inflight) > UCRYPTO_MAX_INFLIGHT)
		goto err_dec;
	if (atomic_add_return(bytes, &uf->inflight_bytes) >
	    UCRYPTO_MAX_INFLIGHT_BYTES)
		goto err_sub;
	ret = ucrypto_req_prepare(s, op, cmd, bytes, io, &r);
	if (ret)
		goto err_sub;
	priv = ucmd_defer(uc, &tok);
	if (IS_ERR(priv)) {
		atomic_sub(bytes, &uf->inflight_bytes);
		atomic_dec(&uf->inflight);
		ucrypto_req_free(r);
		return PTR_ERR(priv);
	}
	priv->r = r;
	r->tok = tok;
	r->uf = uf;
	INIT_WORK(&r->work, ucrypto_async_work);
	ucrypto_req_set_callback(r, CRYPTO_TFM_REQ_MAY_BACKLOG,
				 ucrypto_async_done);
	ret = ucrypto_req_start(r);
	if (ret != -EINPROGRESS && ret != -EBUSY) {
		/* Finished already, here in the issuer's context. */
		ucrypto_async_complete(r, ret);
	}
	return UCMD_QUEUED;

err_sub:
	atomic_sub(bytes, &uf->inflight_bytes);
err_dec:
	atomic_dec(&uf->inflight);
err_put:
	ucrypto_session_put(s);
	return ret;
}

int ucrypto_async_init(void)
{
	ucrypto_wq = alloc_workqueue("ucrypto", WQ_UNBOUND, 0);
	return ucrypto_wq ? 0 : -ENOMEM;
}

/* Waits for the workers: no code of this module runs afterwards. */
void ucrypto_async_exit(void)
{
	destroy_workqueue(ucrypto_wq);
}
