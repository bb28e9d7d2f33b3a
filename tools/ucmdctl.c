// SPDX-License-Identifier: GPL-2.0
/* ucmdctl.c - ucmdctl's entry point: the command table, the usage made from it, and the command line (getopt_long, options in any order). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ucmd/ucmd_demo.h>

#include "ucmdctl.h"

/* The demo device's commands: N positional arguments, --read-only allowed. */
#define DEMO_CMD(n, a, h, min, max, f)                                             \
	{                                                                          \
		.name = n, .args = a, .help = h, .min_args = min, .max_args = max, \
		.opts = OPT_READ_ONLY, .run = f                                    \
	}

static const struct command commands[] = {
	DEMO_CMD("hello", "", "HELLO: the device logs a greeting", 0, 0, cmd_hello),
	DEMO_CMD("get", "", "GET_VALUE: print this open file's value", 0, 0, cmd_get),
	DEMO_CMD("set", "N", "SET_VALUE to the int N, then read it back", 1, 1, cmd_set),
	DEMO_CMD("add", "N", "ADD the signed 64-bit N; prints the new value", 1, 1, cmd_add),
	{ .name = "sleep",
	  .args = "NSEC [--tag T]",
	  .help = "SLEEP: complete after NSEC ns (at most 10 s); over\n"
		  "io_uring the tag T comes back as the second result",
	  .min_args = 1,
	  .max_args = 1,
	  .opts = OPT_READ_ONLY | OPT_TAG,
	  .run = cmd_sleep },
	DEMO_CMD("sum128", "BYTES", "SUM128 of up to 80 byte values (io_uring: SQE128 ring)", 1, -1,
		 cmd_sum128),
	DEMO_CMD("reset", "", "RESET_STATS: zero the framework counters (CAP_SYS_ADMIN)", 0, 0,
		 cmd_reset),
	DEMO_CMD("stats", "", "print the framework counters from sysfs", 0, 0, cmd_stats),
	{ .name = "demo",
	  .args = "",
	  .help = "run every command over both paths, then 256 concurrent\n"
		  "SLEEPs on one ring, then show the counters",
	  .run = cmd_demo },
	{ .name = "crypto",
	  .args = "...",
	  .help = "hash files (or check their digests), encrypt or decrypt\n"
		  "a file with " UCRYPTO_DEVICE " (see ucmdctl crypto --help)",
	  .max_args = -1,
	  .opts = OPT_KEY | OPT_IV | OPT_AAD | OPT_OUTPUT | OPT_CHECK | OPT_FIXED,
	  .run = cmd_crypto,
	  .usage = crypto_usage,
	  .what = "crypto",
	  .help_hint = PROG " crypto --help" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char usage_head[] =
	"usage: ucmdctl [OPTIONS] COMMAND [ARGS]\n"
	"\n"
	"Runs the commands of a ucmd demo device through ioctl(2) or io_uring\n"
	"(IORING_OP_URING_CMD). Every run opens the device anew, so each run starts\n"
	"with the per-file value at 0. The device must be the ucmd device it is meant\n"
	"to be (its /sys/dev/char/MAJ:MIN/ucmd directory tells), else nothing is sent.\n"
	"\n"
	"Commands:\n";

static const char usage_tail[] =
	"\n"
	"Options (in any order, before or after the command):\n"
	"  --dev PATH            device node (default " UCMD_DEMO_DEVICE ")\n"
	"  --uring               issue commands as io_uring commands (default; without\n"
	"                        --uring, where io_uring is disabled, ioctl(2) is used)\n"
	"  --ioctl               issue commands through ioctl(2)\n"
	"  --read-only           open the device O_RDONLY (SET and ADD then fail)\n"
	"  --json                print one JSON object per line instead of text\n"
	"  --tag T               tag of a sleep (default 0)\n"
	"  -h, --help            show this help\n"
	"  -V, --version         show the version\n"
	"\n"
	"Numbers may be decimal, 0x-hex or 0-octal. BYTES are byte values 0-255\n"
	"separated by commas and/or spaces, in one or more arguments, e.g.\n"
	"  ucmdctl sum128 1,2,3 0x10   or   ucmdctl sum128 \"1 2 3\"\n"
	"Unlisted bytes are 0.\n"
	"\n"
	"Exit status: 0 success, 1 the device or the kernel refused, 2 usage error.\n";

/* The usage: its head and tail around the command table, one line per line of help. */
static void usage(void)
{
	fputs(usage_head, stdout);
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct command *k = &commands[i];
		const char *h = k->help;
		char syn[64];

		snprintf(syn, sizeof(syn), "%s%s%s", k->name, *k->args ? " " : "", k->args);
		for (bool first = true; *h; first = false) {
			int len = (int)strcspn(h, "\n");

			printf("  %-22s%.*s\n", first ? syn : "", len, h);
			h += len + (h[len] == '\n');
		}
	}
	fputs(usage_tail, stdout);
}

bool parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	while (*s == ' ')
		s++;
	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

/* ---- the command line ---- */

enum {
	O_DEV = 0x100,
	O_URING,
	O_IOCTL,
	O_READ_ONLY,
	O_JSON,
	O_TAG,
	O_KEY,
	O_KEY_FILE,
	O_KEY_FD,
	O_IV,
	O_AAD,
	O_QUIET,
	O_STATUS,
	O_STRICT,
	O_IGNORE_MISSING,
	O_FIXED
};

static const struct option long_opts[] = {
	{ "dev", required_argument, NULL, O_DEV },
	{ "uring", no_argument, NULL, O_URING },
	{ "ioctl", no_argument, NULL, O_IOCTL },
	{ "read-only", no_argument, NULL, O_READ_ONLY },
	{ "json", no_argument, NULL, O_JSON },
	{ "tag", required_argument, NULL, O_TAG },
	{ "key", required_argument, NULL, O_KEY },
	{ "key-file", required_argument, NULL, O_KEY_FILE },
	{ "key-fd", required_argument, NULL, O_KEY_FD },
	{ "iv", required_argument, NULL, O_IV },
	{ "aad", required_argument, NULL, O_AAD },
	{ "output", required_argument, NULL, 'o' },
	{ "check", no_argument, NULL, 'c' },
	{ "quiet", no_argument, NULL, O_QUIET },
	{ "status", no_argument, NULL, O_STATUS },
	{ "warn", no_argument, NULL, 'w' },
	{ "strict", no_argument, NULL, O_STRICT },
	{ "ignore-missing", no_argument, NULL, O_IGNORE_MISSING },
	{ "fixed", no_argument, NULL, O_FIXED },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* The names of the OPT_* bits, for "does not apply" messages. */
static const struct {
	unsigned int bit;
	const char *name;
} opt_names[] = {
	{ OPT_READ_ONLY, "--read-only" },
	{ OPT_TAG, "--tag" },
	{ OPT_KEY, "--key" },
	{ OPT_IV, "--iv" },
	{ OPT_AAD, "--aad" },
	{ OPT_OUTPUT, "--output" },
	{ OPT_CHECK, "--check" },
	{ OPT_FIXED, "--fixed" },
};

/* What the command line gave besides the options. */
struct cmdline {
	const struct command *cmd;
	const char **args; /* room for every argument */
	int nargs;
	bool help;
};

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* A positional argument: the command's name first (which names the messages), then its arguments. */
static void positional(struct cmdline *l, const char *a)
{
	if (l->cmd) {
		l->args[l->nargs++] = a;
		return;
	}
	l->cmd = find_command(a);
	if (!l->cmd)
		die_usage("unknown command '%s'", a);
	if (l->cmd->what)
		out_family(l->cmd->what, l->cmd->help_hint);
}

static void set_key(struct opts *o, int opt, const char *v)
{
	uint64_t fd;

	o->given |= OPT_KEY;
	o->nkeys++;
	if (opt == O_KEY) {
		o->key_hex = v;
	} else if (opt == O_KEY_FILE) {
		o->key_file = v;
	} else {
		if (!parse_u64(v, &fd) || fd > INT_MAX)
			die_usage("--key-fd needs a file descriptor number N, not '%s'", v);
		o->key_fd = (int)fd;
	}
}

/* --check and the options that go with it. */
static void check_option(struct opts *o, int opt)
{
	o->given |= OPT_CHECK;
	if (opt == 'c')
		o->check |= CHECK_ON;
	else if (opt == O_QUIET)
		o->check |= CHECK_QUIET;
	else if (opt == O_STATUS)
		o->check |= CHECK_STATUS;
	else if (opt == 'w')
		o->check |= CHECK_WARN;
	else if (opt == O_STRICT)
		o->check |= CHECK_STRICT;
	else if (opt == O_IGNORE_MISSING)
		o->check |= CHECK_IGNORE_MISSING;
}

/* One option getopt_long() returned. */
static void option(struct cmdline *l, struct opts *o, int opt, const char *v)
{
	switch (opt) {
	case O_DEV:
		o->dev = v;
		break;
	case O_URING:
	case O_IOCTL:
		o->use_ioctl = opt == O_IOCTL;
		o->uring_given = opt == O_URING;
		break;
	case O_READ_ONLY:
		o->given |= OPT_READ_ONLY;
		break;
	case O_JSON:
		o->json = true;
		out_json(true);
		break;
	case O_TAG:
		if (!parse_u64(v, &o->tag))
			die_usage("--tag needs a number T");
		o->given |= OPT_TAG;
		break;
	case O_KEY:
	case O_KEY_FILE:
	case O_KEY_FD:
		set_key(o, opt, v);
		break;
	case O_IV:
		o->iv_hex = v;
		o->given |= OPT_IV;
		break;
	case O_AAD:
		o->aad_hex = v;
		o->given |= OPT_AAD;
		break;
	case 'o':
		o->output = v;
		o->given |= OPT_OUTPUT;
		break;
	case O_FIXED:
		o->fixed = true;
		o->given |= OPT_FIXED;
		break;
	case 'h':
		l->help = true;
		break;
	default:
		check_option(o, opt);
		break;
	}
}

/* Whether @a is a negative number ("-5", "-0x10"): an argument, not an option. */
static bool is_negative(const char *a)
{
	return a[0] == '-' && a[1] >= '0' && a[1] <= '9';
}

static void parse(int argc, char **argv, struct cmdline *l, struct opts *o)
{
	int opt;

	l->args = calloc((size_t)argc + 1, sizeof(*l->args));
	if (!l->args)
		die(ENOMEM, "out of memory");
	opterr = 0;
	for (;;) {
		/* getopt_long() would take a negative number for short options. */
		while (optind < argc && is_negative(argv[optind]))
			positional(l, argv[optind++]);
		opt = getopt_long(argc, argv, "-:ho:Vcw", long_opts, NULL);
		if (opt == -1)
			break;
		if (opt == 1) {
			positional(l, optarg);
		} else if (opt == 'V') {
			printf(PROG " %s\n", UCMD_VERSION_STRING);
			exit(EXIT_OK);
		} else if (opt == '?') {
			if (optopt && optopt < 0x100)
				die_usage("unknown option '-%c'", optopt);
			die_usage("unknown option '%s'", argv[optind - 1]);
		} else if (opt == ':') {
			die_usage("%s needs a value", argv[optind - 1]);
		} else {
			option(l, o, opt, optarg);
		}
	}
	while (optind < argc) /* after "--" */
		positional(l, argv[optind++]);
}

/* The checks every command gets from its table entry. */
static void check_cmdline(const struct cmdline *l, const struct opts *o)
{
	const struct command *k = l->cmd;

	if (!k)
		die_usage("no command given");
	if (o->dev && !*o->dev)
		die_usage("--dev needs a PATH");
	for (size_t i = 0; i < sizeof(opt_names) / sizeof(opt_names[0]); i++)
		if (o->given & opt_names[i].bit & ~k->opts)
			die_usage("%s: %s does not apply", k->name, opt_names[i].name);
	if (l->nargs < k->min_args)
		die_usage("%s: missing argument (see usage)", k->name);
	if (k->max_args >= 0 && l->nargs > k->max_args)
		die_usage("%s: unexpected argument '%s'", k->name, l->args[k->max_args]);
}

int main(int argc, char **argv)
{
	static struct cmdline l;
	struct ctx c = { .o = { .key_fd = -1 }, .fd = -1 };
	int ret;

	parse(argc, argv, &l, &c.o);
	if (l.help) {
		fputs(l.cmd && l.cmd->usage ? l.cmd->usage : "", stdout);
		if (!l.cmd || !l.cmd->usage)
			usage();
		return EXIT_OK;
	}
	check_cmdline(&l, &c.o);
	if (!c.o.dev)
		c.o.dev = l.cmd->run == cmd_crypto ? UCRYPTO_DEVICE : UCMD_DEMO_DEVICE;
	c.cmd = l.cmd->name;
	c.args = l.args;
	c.nargs = l.nargs;
	out_context(c.cmd, NULL);
	ret = l.cmd->run(&c);
	free(l.args);
	if (c.have_ring)
		io_uring_queue_exit(&c.ring);
	if (c.fd >= 0)
		close(c.fd);
	return ret;
}
