// SPDX-License-Identifier: GPL-2.0
/* efault.c - bad user pointers (unmapped, kernel, read-only memory) fail with -EFAULT on both paths and change nothing. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "helpers.h"

int main(void)
{
	struct t_path paths[T_NPATHS];
	void *unmapped, *kernel = (void *)0xffff888000000000ULL;
	int *ro_page;
	int fd, v = -1;

	t_init();
	t_require_device();
	t_paths(paths);
	fd = t_open(O_RDWR);

	/* An address that was mapped and no longer is, and a page we may not write. */
	unmapped = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro_page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (unmapped == MAP_FAILED || ro_page == MAP_FAILED)
		t_bail("mmap: %s", strerror(errno));
	munmap(unmapped, 4096);

	t_eq(t_demo_set(&paths[0], fd, 17), 0, "SET_VALUE 17");
	for (int i = 0; i < T_NPATHS; i++) {
		const struct t_path *p = &paths[i];

		t_err(t_demo_get(p, fd, (int *)8), -EFAULT, "%s: GET_VALUE to address 8 -> -EFAULT",
		      p->name);
		t_err(t_demo_get(p, fd, unmapped), -EFAULT,
		      "%s: GET_VALUE to an unmapped page -> -EFAULT", p->name);
		t_err(t_demo_get(p, fd, kernel), -EFAULT,
		      "%s: GET_VALUE to a kernel address -> -EFAULT", p->name);
		t_err(t_demo_get(p, fd, ro_page), -EFAULT,
		      "%s: GET_VALUE to a read-only page -> -EFAULT", p->name);
		t_eq(*ro_page, 0, "%s: ... which stays untouched", p->name);
		t_ok(t_demo_get(p, fd, &v) == 0 && v == 17,
		     "%s: GET_VALUE to good memory still works", p->name);
	}

	/* Through ioctl every argument is a pointer. */
	{
		static const struct {
			const char *name;
			unsigned long cmd;
		} in[] = {
			{ "SET_VALUE", UCMD_DEMO_SET_VALUE },
			{ "ADD", UCMD_DEMO_ADD },
			{ "SLEEP", UCMD_DEMO_SLEEP },
			{ "SUM128", UCMD_DEMO_SUM128 },
		};

		for (size_t k = 0; k < sizeof(in) / sizeof(in[0]); k++) {
			t_err(ucmd_call_ioctl(fd, in[k].cmd, (void *)8), -EFAULT,
			      "ioctl: %s from address 8 -> -EFAULT", in[k].name);
			t_err(ucmd_call_ioctl(fd, in[k].cmd, unmapped), -EFAULT,
			      "ioctl: %s from an unmapped page -> -EFAULT", in[k].name);
			t_err(ucmd_call_ioctl(fd, in[k].cmd, kernel), -EFAULT,
			      "ioctl: %s from a kernel address -> -EFAULT", in[k].name);
		}
		/* The argument straddling into an unmapped page. */
		{
			char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (two == MAP_FAILED)
				t_bail("mmap: %s", strerror(errno));
			munmap(two + 4096, 4096);
			t_err(ucmd_call_ioctl(fd, UCMD_DEMO_SUM128, two + 4096 - 40), -EFAULT,
			      "ioctl: SUM128 blob crossing into an unmapped page -> -EFAULT");
			t_err(ucmd_call_ioctl(fd, UCMD_DEMO_ADD, two + 4096 - 4), -EFAULT,
			      "ioctl: ADD delta crossing into an unmapped page -> -EFAULT");
			munmap(two, 4096);
		}
	}
	t_ok(t_demo_get(&paths[0], fd, &v) == 0 && v == 17,
	     "faulting SET_VALUE/ADD changed nothing");

	close(fd);
	t_paths_exit(paths);
	return t_done();
}
