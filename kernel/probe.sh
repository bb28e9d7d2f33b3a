#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Prints -D flags for kernel API features found in a kernel's headers (read by Kbuild).
src=$1
uring=$src/include/linux/io_uring/cmd.h
if [ -f "$uring" ]; then
	printf ' -DUCMD_HAVE_IO_URING_CMD_H'
else
	uring=$src/include/linux/io_uring.h
fi
has() { grep -q "$2" "$1" && printf ' -D%s' "$3"; }
has "$uring" 'io_uring_cmd_done32' UCMD_HAVE_DONE32
has "$uring" 'io_uring_cmd_from_tw' UCMD_HAVE_TW_REQ
has "$uring" 'io_uring_cmd_mark_cancelable' UCMD_HAVE_CANCELABLE
has "$uring" 'io_uring_cmd_do_in_task_lazy' UCMD_HAVE_LAZY
has "$uring" 'const struct io_uring_sqe \*sqe;' UCMD_HAVE_CMD_SQE
has "$uring" 'IORING_URING_CMD_REISSUE' UCMD_HAVE_REISSUE_FLAG
has "$uring" 'io_uring_mshot_cmd_post_cqe' UCMD_HAVE_MULTISHOT
has "$src/include/linux/hrtimer.h" 'void hrtimer_setup(' UCMD_HAVE_HRTIMER_SETUP
has "$src/include/linux/uio.h" 'int import_ubuf(' UCMD_HAVE_IMPORT_UBUF
# Registered buffers: since 6.15 the import takes the issue's flags (its declaration spans lines).
awk '/int io_uring_cmd_import_fixed\(/ { d = 1 } d { print } d && /;/ { exit }' "$uring" |
	grep -q 'issue_flags' &&
	printf ' -D%s' UCMD_HAVE_IMPORT_FIXED_FLAGS
has "$src/include/linux/crypto.h" 'crypto_completion_t)(void \*' UCRYPTO_HAVE_COMPLETION_DATA
echo
