// SPDX-License-Identifier: GPL-2.0
/* buffer.c - read/write/pread/pwrite/lseek on the 4096-byte buffer shared by all opens: positions, sharing, and -ENOSPC past the cap with earlier content intact. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

#define CAP UCMD_DEMO_BUF_SIZE

static char buf[CAP + 64];

static bool range_is(int fd, off_t off, size_t len, char c)
{
	if (pread(fd, buf, len, off) != (ssize_t)len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (buf[i] != c)
			return false;
	return true;
}

/* Expects @len bytes at @off to be refused with ENOSPC, the buffer's end intact. */
static void beyond(int fd, off_t off, size_t len)
{
	char data[64];
	ssize_t ret;

	memset(data, 'z', sizeof(data));
	errno = 0;
	ret = pwrite(fd, data, len, off);
	t_ok(ret == -1 && errno == ENOSPC, "pwrite of %zu bytes at %lld -> ENOSPC", len,
	     (long long)off);
	if (ret != -1)
		t_diag("  got %zd (errno %d)", ret, errno);
	t_ok(range_is(fd, CAP - 16, 16, 'A'), "... the end of the buffer is intact");
}

int main(void)
{
	int fd, fd2;
	ssize_t ret;

	t_init();
	fd = t_open(O_RDWR);
	fd2 = t_open(O_RDWR);

	memset(buf, 'A', CAP);
	t_eq(pwrite(fd, buf, CAP, 0), CAP, "pwrite fills all 4096 bytes");
	t_ok(range_is(fd2, 0, CAP, 'A'), "another open reads the 4096 bytes back");

	beyond(fd, CAP, 1);
	beyond(fd, CAP + 1000, 10);
	beyond(fd, 1 << 20, 1);

	t_eq(lseek(fd, CAP, SEEK_SET), CAP, "lseek to 4096");
	errno = 0;
	ret = write(fd, "x", 1);
	t_ok(ret == -1 && errno == ENOSPC, "write at position 4096 -> ENOSPC");
	t_eq(lseek(fd, 0, SEEK_CUR), CAP, "... and the position stays at 4096");
	t_ok(range_is(fd, 0, CAP, 'A'), "the whole buffer is intact after the refused writes");

	/* A write that starts inside and crosses the cap fails whole: nothing partially lost. */
	errno = 0;
	ret = pwrite(fd, "0123456789", 10, CAP - 6);
	t_ok(ret == -1 && errno == ENOSPC, "a write crossing the cap (10 bytes at 4090) -> ENOSPC");
	if (ret != -1)
		t_diag("  got %zd", ret);
	t_ok(range_is(fd, CAP - 16, 16, 'A'), "... and none of it was written");
	errno = 0;
	ret = pwrite(fd, buf, CAP + 1, 0);
	t_ok(ret == -1 && errno == ENOSPC, "a write of 4097 bytes at 0 -> ENOSPC");
	t_ok(range_is(fd, 0, CAP, 'A'), "... and the whole buffer is intact");
	t_eq(pwrite(fd, "abcdef", 6, CAP - 6), 6, "a write ending exactly at the cap");
	t_ok(pread(fd2, buf, 6, CAP - 6) == 6 && memcmp(buf, "abcdef", 6) == 0,
	     "... is read back by another open");
	t_ok(range_is(fd, CAP - 16, 10, 'A'), "... and the bytes before it are untouched");

	t_eq(pread(fd, buf, 10, CAP), 0, "pread at 4096 -> 0 (end of buffer)");
	t_eq(pread(fd, buf, 10, CAP - 1), 1, "pread of 10 at 4095 -> 1 byte");
	t_eq(buf[0], 'f', "... the last byte");

	/* Positions: per open file, moved by read/write, not by pread/pwrite. */
	t_eq(lseek(fd, 100, SEEK_SET), 100, "lseek SEEK_SET 100");
	t_eq(lseek(fd, 10, SEEK_CUR), 110, "lseek SEEK_CUR +10 -> 110");
	t_eq(lseek(fd, -10, SEEK_CUR), 100, "lseek SEEK_CUR -10 -> 100");
	errno = 0;
	t_ok(lseek(fd, -200, SEEK_CUR) == -1 && errno == EINVAL,
	     "lseek to a negative offset -> EINVAL");
	errno = 0;
	t_ok(lseek(fd, -1, SEEK_SET) == -1 && errno == EINVAL, "lseek SEEK_SET -1 -> EINVAL");
	t_eq(lseek(fd, 0, SEEK_CUR), 100, "a refused lseek leaves the position at 100");
	t_eq(write(fd, "xyz", 3), 3, "write 3 bytes at 100");
	t_eq(lseek(fd, 0, SEEK_CUR), 103, "... position 103");
	t_eq(lseek(fd2, 0, SEEK_CUR), 0, "another open's position is still 0");
	t_eq(lseek(fd2, 99, SEEK_SET), 99, "other open: lseek 99");
	t_eq(read(fd2, buf, 5), 5, "other open: read 5 bytes");
	t_ok(memcmp(buf, "AxyzA", 5) == 0, "... reads the 3 bytes written through the first open");
	t_eq(lseek(fd2, 0, SEEK_CUR), 104, "... and moves its own position to 104");
	t_eq(pwrite(fd, "Q", 1, 0), 1, "pwrite at 0");
	t_eq(lseek(fd, 0, SEEK_CUR), 103, "... leaves the position at 103");
	t_eq(pread(fd, buf, 1, 0), 1, "pread at 0");
	t_eq(buf[0], 'Q', "... reads what pwrite wrote");
	t_eq(lseek(fd, 0, SEEK_CUR), 103, "... and leaves the position at 103");

	/* A read-only open may read but not write. */
	{
		int ro = t_open(O_RDONLY);

		t_eq(pread(ro, buf, 1, 0), 1, "O_RDONLY: pread works");
		errno = 0;
		t_ok(pwrite(ro, "n", 1, 0) == -1 && errno == EBADF, "O_RDONLY: pwrite -> EBADF");
		close(ro);
	}

	close(fd2);
	close(fd);
	return t_done();
}
