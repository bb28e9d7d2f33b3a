// SPDX-License-Identifier: GPL-2.0
/* cli_hash.c - ucmdctl crypto hash of several files prints what sha256sum prints, and --check reads sha256sum's lists and reports OK, FAILED and unreadable files as it does, over ioctl and io_uring. */
#include <ctype.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

#define CRYPTO(r, in, in_len, ...) \
	t_cli_run((r), (in), (in_len), (const char *const[]){ "crypto", __VA_ARGS__, NULL })

/* FIPS 180-2 */
#define SHA256_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA256_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SHA1_ABC "a9993e364706816aba3e25717850c26c9cd0d89d"

/* ---- hash of several files and --check, as sha256sum ---- */

/* Runs sha256sum @a1 @a2 @a3 (NULL ends them early) into @r; false if there is none. */
static bool run_sha256sum(struct t_cli *r, const char *a1, const char *a2, const char *a3)
{
	const char *t = t_sha256sum_tool();
	const char *argv[] = { "sha256sum", a1, a2, a3, NULL };

	if (!t)
		return false;
	r->status = t_run(t, argv, -1, -1, r->out, sizeof(r->out), &r->out_len, r->err,
			  sizeof(r->err), 60);
	return true;
}

/* Whether the text on stdout is @want, with @status and stderr @err (NULL: anything). */
static bool says(const struct t_cli *r, int status, const char *want, const char *err)
{
	return r->status == status && r->out_len == strlen(want) &&
	       memcmp(r->out, want, r->out_len) == 0 && (!err || strcmp(r->err, err) == 0);
}

/* Several FILEs and -: one line each, as sha256sum prints them; names escaped as coreutils. */
static void several(struct t_cli *r, const char *p)
{
	const char *abc = t_cli_put("abc", "abc", 3), *empty = t_cli_put("empty", "", 0);
	char want[4 * PATH_MAX], err[PATH_MAX + 100];
	struct t_cli *ref = malloc(sizeof(*ref));

	if (!ref)
		t_bail("out of memory");
	CRYPTO(r, "abc", 3, "hash", "sha256", p, abc, empty, "-", abc);
	snprintf(want, sizeof(want),
		 SHA256_ABC "  %s\n" SHA256_EMPTY "  %s\n" SHA256_ABC "  -\n" SHA256_ABC "  %s\n",
		 abc, empty, abc);
	if (!t_ok(t_cli_out_is(r, want),
		  "%s: hash sha256 FILE FILE - FILE -> one sha256sum line each", p))
		t_cli_show(r);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, abc, empty);
	if (run_sha256sum(ref, abc, empty, NULL)) {
		if (!t_ok(ref->status == 0 && r->status == 0 && r->out_len == ref->out_len &&
				  memcmp(r->out, ref->out, r->out_len) == 0,
			  "%s: hash sha256 FILE FILE -> byte for byte what sha256sum prints", p))
			t_cli_show(ref);
	} else {
		t_skip("no sha256sum", "%s: comparing with sha256sum", p);
	}
	CRYPTO(r, NULL, 0, "hash", "sha256", p, abc, t_cli_path("missing"), empty);
	snprintf(want, sizeof(want), SHA256_ABC "  %s\n" SHA256_EMPTY "  %s\n", abc, empty);
	snprintf(err, sizeof(err), "ucmdctl: crypto hash: %s: No such file or directory\n",
		 t_cli_path("missing"));
	if (!t_ok(says(r, 1, want, err),
		  "%s: a missing FILE among others -> its message, the others' lines, exit 1", p))
		t_cli_show(r);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, t_cli_put("a\\b", "abc", 3),
	       t_cli_put("n\nl", "", 0));
	snprintf(want, sizeof(want), "\\" SHA256_ABC "  %s/a\\\\b\n\\" SHA256_EMPTY "  %s/n\\nl\n",
		 t_cli_dir, t_cli_dir);
	if (!t_ok(t_cli_out_is(r, want),
		  "%s: names with \\ and newline -> '\\' first, escaped (coreutils)", p))
		t_cli_show(r);
	free(ref);
}

/* Writes @text as checksum file @name; returns its path. */
static const char *sums(const char *name, const char *text)
{
	return t_cli_put(name, text, strlen(text));
}

/* -c: OK, FAILED, a missing file, a malformed line, a comment; sha256sum's words and status. */
static void check_mixed(struct t_cli *r, const char *p)
{
	const char *abc = t_cli_put("abc", "abc", 3), *empty = t_cli_put("empty", "", 0);
	char text[4 * PATH_MAX + 600], want[4 * PATH_MAX], err[PATH_MAX + 400];
	const char *f;

	snprintf(text, sizeof(text),
		 "# made by hand\n" SHA256_ABC "  %s\n" SHA256_EMPTY " *%s\n" SHA256_ABC
		 "  %s\n" SHA256_EMPTY "  %s\nnot a checksum line\n\n",
		 abc, empty, empty, t_cli_path("missing"));
	f = sums("mixed.sums", text);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, "-c", f);
	snprintf(want, sizeof(want), "%s: OK\n%s: OK\n%s: FAILED\n%s: FAILED open or read\n", abc,
		 empty, empty, t_cli_path("missing"));
	snprintf(err, sizeof(err),
		 "ucmdctl: crypto hash: %s: No such file or directory\n"
		 "ucmdctl: crypto hash: WARNING: 1 line is improperly formatted\n"
		 "ucmdctl: crypto hash: WARNING: 1 listed file could not be read\n"
		 "ucmdctl: crypto hash: WARNING: 1 computed checksum did NOT match\n",
		 t_cli_path("missing"));
	if (!t_ok(says(r, 1, want, err),
		  "%s: -c with OK, '*' mode, FAILED, missing, malformed -> sha256sum's lines, "
		  "WARNINGs, exit 1",
		  p))
		t_cli_show(r);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, "--check", "--status", f);
	if (!t_ok(says(r, 1, "", NULL) && t_count_lines(r->err) == 1,
		  "%s: --check --status -> nothing on stdout, only the open error, exit 1", p))
		t_cli_show(r);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, "-c", "-w", sums("bad.sums", "zz  x\n# c\n"));
	snprintf(err, sizeof(err),
		 "ucmdctl: crypto hash: %s: 1: improperly formatted sha256 checksum line\n"
		 "ucmdctl: crypto hash: %s: no properly formatted checksum lines found\n",
		 t_cli_path("bad.sums"), t_cli_path("bad.sums"));
	if (!t_ok(says(r, 1, "", err),
		  "%s: -c -w of malformed lines only -> exit 1, 'no properly formatted'", p))
		t_cli_show(r);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, "-c", t_cli_path("no.sums"));
	t_ok(t_cli_err_is(r, 1, "no.sums: No such file or directory", false),
	     "%s: -c of a missing SUMS -> exit 1", p);
}

/* -c of good lines (ours, sha256sum's, from stdin), --quiet, --strict, upper case, CRLF. */
static void check_good(struct t_cli *r, const char *p)
{
	const char *abc = t_cli_put("abc", "abc", 3), *odd = t_cli_put("a\\b", "abc", 3);
	char text[2 * PATH_MAX + 300], want[2 * PATH_MAX + 100];
	const char *f;

	CRYPTO(r, NULL, 0, "hash", "sha256", p, abc, odd, t_cli_put("n\nl", "", 0));
	t_cli_put("ours.sums", r->out, r->out_len);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, "-c", t_cli_path("ours.sums"));
	snprintf(want, sizeof(want), "%s: OK\n%s/a\\b: OK\n\\%s/n\\nl: OK\n", abc, t_cli_dir,
		 t_cli_dir);
	if (!t_ok(t_cli_out_is(r, want),
		  "%s: -c of its own output (escaped names) -> all OK, exit 0", p))
		t_cli_show(r);
	snprintf(text, sizeof(text), "  %s  %s\r\n", SHA256_ABC, abc);
	for (char *c = text + 2; c < text + 66; c++)
		*c = (char)toupper((unsigned char)*c);
	f = sums("good.sums", text);
	CRYPTO(r, text, strlen(text), "hash", "sha256", p, "-c");
	snprintf(want, sizeof(want), "%s: OK\n", abc);
	if (!t_ok(t_cli_out_is(r, want), "%s: -c of stdin, upper-case hex, blanks, CRLF -> OK", p))
		t_cli_show(r);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, "-c", "--quiet", f);
	t_ok(t_cli_out_is(r, ""), "%s: -c --quiet, all OK -> no output, exit 0", p);
	snprintf(text, sizeof(text), "%s  %s\nbad\n", SHA256_ABC, abc);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, "-c", "--strict", sums("strict.sums", text));
	t_ok(r->status == 1 && strstr(r->err, "WARNING: 1 line is improperly formatted"),
	     "%s: -c --strict with a malformed line -> exit 1", p);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, abc, t_cli_path("empty"));
	t_cli_put("plain.sums", r->out, r->out_len);
	if (run_sha256sum(r, "-c", t_cli_path("plain.sums"), NULL))
		t_ok(r->status == 0 && t_count_lines((char *)r->out) == 2,
		     "%s: sha256sum -c of ucmdctl's output -> OK, exit 0", p);
}

/* --check with other algorithms and keys; --json records of both modes. */
static void check_other(struct t_cli *r, const char *p)
{
	const char *abc = t_cli_put("abc", "abc", 3), *kf = t_cli_put("jefe.key", "Jefe", 4);
	char text[PATH_MAX + 200], want[PATH_MAX + 100];
	struct t_jobj o;
	char *nl;

	snprintf(text, sizeof(text), SHA1_ABC "  %s\n", abc);
	CRYPTO(r, NULL, 0, "hash", "sha1", p, "-c", sums("sha1.sums", text));
	snprintf(want, sizeof(want), "%s: OK\n", abc);
	t_ok(t_cli_out_is(r, want), "%s: sha1 -c -> OK", p);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, "-c", t_cli_path("sha1.sums"));
	t_ok(r->status == 1 && strstr(r->err, "no properly formatted checksum lines found"),
	     "%s: sha256 -c of sha1 lines -> improperly formatted, exit 1", p);
	CRYPTO(r, NULL, 0, "hash", "hmac(sha256)", "--key-file", kf, p, abc);
	t_cli_put("hmac.sums", r->out, r->out_len);
	CRYPTO(r, NULL, 0, "hash", "hmac(sha256)", "--key-file", kf, p, "-c",
	       t_cli_path("hmac.sums"));
	t_ok(t_cli_out_is(r, want), "%s: hmac(sha256) --key-file -c of its own output -> OK", p);
	CRYPTO(r, NULL, 0, "hash", "hmac(sha256)", "--key", "00", p, "-c", t_cli_path("hmac.sums"));
	t_ok(r->status == 1 && strstr((char *)r->out, ": FAILED\n"),
	     "%s: ... with another key -> FAILED, exit 1", p);

	CRYPTO(r, NULL, 0, "hash", "--json", "sha256", p, abc, t_cli_path("missing"));
	nl = memchr(r->out, '\n', r->out_len);
	if (!t_ok(r->status == 1 && nl &&
			  t_jparse((char *)r->out, (size_t)(nl - (char *)r->out), &o) &&
			  t_jstr(&o, "digest", SHA256_ABC) &&
			  t_jparse(nl + 1, r->out_len - (size_t)(nl + 1 - (char *)r->out) - 1,
				   &o) &&
			  t_jstr(&o, "file", t_cli_path("missing")) &&
			  t_jstr(&o, "error", "ENOENT"),
		  "%s: --json FILE MISSING -> a digest record, an ENOENT record, exit 1", p))
		t_cli_show(r);
	CRYPTO(r, NULL, 0, "hash", "--json", "sha1", p, "-c", t_cli_path("sha1.sums"));
	nl = memchr(r->out, '\n', r->out_len);
	if (!t_ok(r->status == 0 && nl &&
			  t_jparse((char *)r->out, (size_t)(nl - (char *)r->out), &o) &&
			  t_jstr(&o, "status", "OK") && t_jstr(&o, "file", t_cli_path("abc")) &&
			  t_jstr(&o, "check", t_cli_path("sha1.sums")) &&
			  t_jparse(nl + 1, r->out_len - (size_t)(nl + 1 - (char *)r->out) - 1,
				   &o) &&
			  t_jnum(&o, "ok", 1) && t_jnum(&o, "failed", 0),
		  "%s: --json -c -> a record per file and a summary", p))
		t_cli_show(r);
}

int main(void)
{
	struct stat st;

	t_init();
	t_cli_setup("cli_hash");
	if (stat(UCRYPTO_DEVICE, &st) < 0)
		t_skip_all("%s: %s (the ucrypto module is not loaded)", UCRYPTO_DEVICE,
			   strerror(errno));
	t_cli_both_paths(
		(const t_cli_checks[]){ several, check_mixed, check_good, check_other, NULL });
	return t_done();
}
