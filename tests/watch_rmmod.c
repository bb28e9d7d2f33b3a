// SPDX-License-Identifier: GPL-2.0
/* watch_rmmod.c - ucmd_demo cannot be removed while a WATCH stream lives (even with its file closed), can be once every stream ended, and loads again. */
#include "helpers.h"

int main(void)
{
	struct ucmd_stats s0, st;
	struct io_uring ring;
	struct ucmd_bufs b;
	struct t_watch w[2];
	const char *why;
	unsigned int tries = 0;
	int fd, ret;

	t_init();
	t_watch_require("module removal after streams");
	why = t_demo_reloadable();
	if (why) {
		t_skip(why, "module removal after streams");
		return t_done();
	}
	fd = t_open(O_RDWR);
	t_stats(&s0);
	t_ring(&ring, 16, 0);
	if (ucmd_bufs_init(&ring, &b, 1, 16, sizeof(struct ucmd_demo_event)))
		t_bail("ucmd_bufs_init");
	t_watch_init(&w[0], 1, &b);
	t_watch_init(&w[1], 2, &b);
	t_watch_submit(&ring, fd, 2, 1, 1);
	t_watch_submit(&ring, fd, 0, 1, 2);
	t_eq(t_set_ioctl(fd, 1), 0, "SET_VALUE 1");
	t_eq(t_watch_reap(&ring, w, 2, 2, 5000), 2, "both watchers got it");
	close(fd);
	ret = t_module_delete(T_DEMO_MODULE);
	t_ok(t_module_busy(ret), "file closed, streams live: delete_module refused (%d)", ret);
	t_ok(t_module_loaded(T_DEMO_MODULE), "... ucmd_demo still loaded");
	/* Both end with their ring (the first had 1 of its 2 events). */
	io_uring_queue_exit(&ring);
	ucmd_bufs_free(NULL, &b);
	t_settle("streams ended by the ring's exit", &s0, 3, 1, 2, 10000, &st);
	ret = t_module_delete_wait(T_DEMO_MODULE, 15000, &tries);
	t_eq(ret, 0, "after every stream ended: ucmd_demo removed (%u tries)", tries);
	ret = t_module_load(T_DEMO_KO);
	if (ret)
		t_bail("finit_module(%s): %s: later tests lack the device", T_DEMO_KO,
		       strerror(-ret));
	t_ok(t_wait_path(t_dev_path(), true, 5000), "loaded again: %s is back", t_dev_path());
	fd = t_open(O_RDWR);
	t_eq(t_set_ioctl(fd, 2), 0, "SET_VALUE works on the new module");
	close(fd);
	return t_done();
}
