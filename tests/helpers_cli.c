// SPDX-License-Identifier: GPL-2.0
/* helpers_cli.c - the CLI tests' side of ucmdctl: running it with input and capturing what it prints, and the files of the test's own directory (see helpers.h). */
#include <dirent.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

static char cli_tool[PATH_MAX];
char t_cli_dir[256];

/* Removes the test's directory and what the test left in it (no subdirectories). */
static void cli_cleanup(void)
{
	DIR *d = opendir(t_cli_dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			unlink(t_cli_path(e->d_name));
	closedir(d);
	rmdir(t_cli_dir);
}

void t_cli_setup(const char *name)
{
	const char *tmp = getenv("TMPDIR");

	if (!t_find_ucmdctl(cli_tool, sizeof(cli_tool)))
		t_skip_all("ucmdctl not found (set UCMDCTL, or install it as /bin/ucmdctl)");
	if (snprintf(t_cli_dir, sizeof(t_cli_dir), "%s/%s.XXXXXX", tmp && *tmp ? tmp : "/tmp",
		     name) >= (int)sizeof(t_cli_dir) ||
	    !mkdtemp(t_cli_dir))
		t_bail("mkdtemp %s: %s", t_cli_dir, strerror(errno));
	atexit(cli_cleanup);
	t_diag("testing %s in %s", cli_tool, t_cli_dir);
}

/*
 * Runs ucmdctl @args (NULL-terminated).  Standard input is a pipe fed with
 * @in_len bytes at @in by a child of its own, or /dev/null if @in is NULL.
 */
const char *t_sha256sum_tool(void)
{
	static const char *const cands[] = { "/usr/bin/sha256sum", "/bin/sha256sum" };

	for (size_t i = 0; i < sizeof(cands) / sizeof(cands[0]); i++)
		if (access(cands[i], X_OK) == 0)
			return cands[i];
	return NULL;
}

void t_cli_run(struct t_cli *r, const void *in, size_t in_len, const char *const *args)
{
	int inp[2] = { -1, -1 };
	const char *argv[32];
	pid_t writer = -1;
	int n = 0;

	argv[n++] = "ucmdctl";
	while (*args && n < 31)
		argv[n++] = *args++;
	argv[n] = NULL;
	if (in && pipe(inp))
		t_bail("pipe: %s", strerror(errno));
	if (in) {
		writer = t_fork();
		if (writer == 0) {
			const uint8_t *p = in;

			signal(SIGPIPE, SIG_IGN); /* ucmdctl may stop reading early */
			close(inp[0]);
			while (in_len) {
				ssize_t w = write(inp[1], p, in_len);

				if (w <= 0)
					_exit(0);
				p += w;
				in_len -= (size_t)w;
			}
			_exit(0);
		}
	}
	/* Only the writer keeps the write end: ucmdctl sees EOF when it is done. */
	if (in)
		close(inp[1]);
	r->status = t_run(cli_tool, argv, in ? inp[0] : -1, -1, r->out, sizeof(r->out), &r->out_len,
			  r->err, sizeof(r->err), 120);
	if (in)
		close(inp[0]);
	if (writer > 0) {
		kill(writer, SIGKILL);
		waitpid(writer, NULL, 0);
	}
}

void t_cli_show(const struct t_cli *r)
{
	t_diag("  exit %d", r->status);
	if (r->out_len)
		t_diag("  stdout (%zu bytes): %.300s", r->out_len, (const char *)r->out);
	if (*r->err)
		t_diag("  stderr: %.600s", r->err);
}

/* Exit 0, nothing on stderr, and exactly @want on stdout. */
bool t_cli_out_is(const struct t_cli *r, const char *want)
{
	return r->status == 0 && !*r->err && r->out_len == strlen(want) &&
	       memcmp(r->out, want, r->out_len) == 0;
}

/* Exactly @want on stdout, whatever the status and stderr. */
bool t_cli_out_is_text(const struct t_cli *r, const char *want)
{
	return r->out_len == strlen(want) && memcmp(r->out, want, r->out_len) == 0;
}

bool t_cli_out_bytes(const struct t_cli *r, const uint8_t *want, size_t len)
{
	return r->status == 0 && !*r->err && r->out_len == len && memcmp(r->out, want, len) == 0;
}

/* Exit @status, nothing on stdout, one line on stderr equal to @want (or containing it). */
bool t_cli_err_is(const struct t_cli *r, int status, const char *want, bool exact)
{
	return r->status == status && r->out_len == 0 && t_count_lines(r->err) == 1 &&
	       (exact ? strcmp(r->err, want) == 0 : strstr(r->err, want) != NULL);
}

/* Exit @status and exactly one JSON object on stdout, parsed into @o. */
bool t_cli_json_is(const struct t_cli *r, int status, struct t_jobj *o)
{
	return r->status == status && r->out_len > 0 && r->out[r->out_len - 1] == '\n' &&
	       t_count_lines((const char *)r->out) == 1 &&
	       t_jparse((const char *)r->out, r->out_len - 1, o);
}

/* ---- files ---- */

const char *t_cli_path(const char *name)
{
	static char bufs[8][PATH_MAX];
	static int next;
	char *p = bufs[next++ % 8];

	snprintf(p, PATH_MAX, "%s/%s", t_cli_dir, name);
	return p;
}

const char *t_cli_put(const char *name, const void *data, size_t len)
{
	const char *p = t_cli_path(name);
	FILE *f = fopen(p, "wb");

	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f))
		t_bail("%s: %s", p, strerror(errno));
	return p;
}

/* Reads @name into a new buffer; NULL if it does not exist. */
uint8_t *t_cli_get(const char *name, size_t *len)
{
	FILE *f = fopen(t_cli_path(name), "rb");
	uint8_t *buf;

	if (!f) {
		if (errno != ENOENT)
			t_bail("%s: %s", t_cli_path(name), strerror(errno));
		return NULL;
	}
	buf = malloc(UCRYPTO_MAX_LEN + 2);
	if (!buf)
		t_bail("out of memory");
	*len = fread(buf, 1, UCRYPTO_MAX_LEN + 1, f);
	fclose(f);
	return buf;
}

bool t_cli_file_is(const char *name, const uint8_t *want, size_t len)
{
	size_t got_len = 0;
	uint8_t *got = t_cli_get(name, &got_len);
	bool ok = got && got_len == len && memcmp(got, want, len) == 0;

	if (!ok)
		t_diag("  %s: %s, %zu bytes (want %zu)", name, got ? "differs" : "missing", got_len,
		       len);
	free(got);
	return ok;
}

bool t_cli_exists(const char *name)
{
	struct stat st;

	return stat(t_cli_path(name), &st) == 0;
}

void t_cli_both_paths(const t_cli_checks *checks)
{
	struct t_cli *r = malloc(sizeof(*r));

	if (!r)
		t_bail("out of memory");
	for (int i = 0; i < 2; i++)
		for (const t_cli_checks *c = checks; *c; c++)
			(*c)(r, i ? "--uring" : "--ioctl");
	free(r);
}
