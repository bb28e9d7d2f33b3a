/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* ucmd.h - the deprecated name of <libucmd.h>, kept so that programs written before the rename still build. */
#ifndef LIBUCMD_COMPAT_UCMD_H
#define LIBUCMD_COMPAT_UCMD_H

/*
 * libucmd's header was called <ucmd.h> until it was renamed <libucmd.h>: three
 * different headers were called ucmd.h (the kernel API <linux/ucmd.h>, the user
 * ABI <ucmd/ucmd.h> and this library's).  Include <libucmd.h> in new code; this
 * name stays installed and includes it, with nothing else in it.
 */
#include <libucmd.h>

#endif /* LIBUCMD_COMPAT_UCMD_H */
