// SPDX-License-Identifier: GPL-2.0
/* multi_rmmod.c - a file of a destroyed ucmd_multi device keeps the module loaded; once closed, rmmod removes the devices left and the module loads again. */
#include "helpers.h"

int main(void)
{
	int ctl, a, b, fd, ret;
	unsigned int tries;

	t_init();
	ctl = t_multi_ctl();
	if (!t_module_loaded(T_MULTI_MODULE) || access(T_MULTI_KO, R_OK))
		t_skip_all("ucmd_multi is not a module that can be loaded again from %s",
			   T_MULTI_KO);
	a = t_multi_create(ctl);
	b = t_multi_create(ctl);
	if (a < 0 || b < 0)
		t_bail("CREATE: %d %d", a, b);
	fd = t_multi_open(a, O_RDWR);
	t_eq(t_multi_destroy(ctl, a), 0, "DESTROY a device with a file open");
	/* Its own file holds the module too. */
	close(ctl);
	ret = t_module_delete(T_MULTI_MODULE);
	t_ok(t_module_busy(ret), "rmmod while the removed device's file is open: busy (%d)", ret);
	t_ok(t_module_loaded(T_MULTI_MODULE), "... the module stays");
	t_err(t_multi_id(&(struct t_path){ .name = "ioctl" }, fd), -ENODEV,
	      "... its file fails with -ENODEV");
	close(fd);

	ret = t_module_delete_wait(T_MULTI_MODULE, 5000, &tries);
	t_eq(ret, 0, "rmmod once the file is closed, with device %d still created", b);
	t_ok(!t_module_loaded(T_MULTI_MODULE), "... the module is gone");
	t_ok(t_wait_path(t_multi_path(b), false, 2000), "... and so is %s", t_multi_path(b));
	t_eq(t_module_load(T_MULTI_KO), 0, "ucmd_multi loads again");
	t_ok(t_wait_path(UCMD_MULTI_CTL_DEVICE, true, 2000), "... with its control device");
	{
		struct ucmd_multi_stats st;

		ctl = t_multi_ctl();
		t_multi_stats(ctl, &st);
		t_eq_u64(st.allocated, 0, "... and no device");
		close(ctl);
	}
	return t_done();
}
