/* SPDX-License-Identifier: GPL-2.0 */
/* ucmdctl.h - entry points of ucmdctl's subcommands that live in files of their own. */
#ifndef UCMDCTL_H
#define UCMDCTL_H

/*
 * "ucmdctl crypto ...": @argc and @argv as main() got them, argv[1] being
 * "crypto".  Returns the exit status: 0 success, 1 the device or the kernel
 * refused (or an I/O error), 2 usage error.
 */
int ucmdctl_crypto_main(int argc, char **argv);

#endif /* UCMDCTL_H */
