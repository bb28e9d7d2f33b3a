// SPDX-License-Identifier: GPL-2.0
/* helpers_json.c - the tests' small JSON reader for the tools' --json output (see helpers.h). */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static const char *ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

static const char *jstring(const char *p)
{
	if (*p++ != '"')
		return NULL;
	for (; *p && *p != '"'; p++) {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)p[i]))
						return NULL;
				p += 4;
			} else if (!strchr("\"\\/bfnrt", *p) || !*p) {
				return NULL;
			}
		}
	}
	return *p == '"' ? p + 1 : NULL;
}

static const char *jvalue(const char *p, int depth, struct t_jobj *top);

static const char *jnumber(const char *p)
{
	const char *s = p;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (isdigit((unsigned char)*p))
			p++;
	else
		return NULL;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return NULL;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			return NULL;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return p > s ? p : NULL;
}

static const char *jobject(const char *p, int depth, struct t_jobj *top)
{
	p = ws(p + 1);
	if (*p == '}')
		return p + 1;
	for (;;) {
		const char *k = p, *v;

		p = jstring(p);
		if (!p)
			return NULL;
		p = ws(p);
		if (*p++ != ':')
			return NULL;
		v = ws(p);
		p = jvalue(v, depth + 1, NULL);
		if (!p)
			return NULL;
		if (top && depth == 0 && top->n < 64)
			top->kv[top->n++] = (struct t_jv){ k + 1, v, (size_t)(p - v) };
		p = ws(p);
		if (*p == '}')
			return p + 1;
		if (*p++ != ',')
			return NULL;
		p = ws(p);
	}
}

static const char *jvalue(const char *p, int depth, struct t_jobj *top)
{
	p = ws(p);
	if (depth > 16)
		return NULL;
	switch (*p) {
	case '{':
		return jobject(p, depth, top);
	case '[':
		p = ws(p + 1);
		if (*p == ']')
			return p + 1;
		for (;;) {
			p = jvalue(p, depth + 1, NULL);
			if (!p)
				return NULL;
			p = ws(p);
			if (*p == ']')
				return p + 1;
			if (*p++ != ',')
				return NULL;
		}
	case '"':
		return jstring(p);
	case 't':
		return strncmp(p, "true", 4) ? NULL : p + 4;
	case 'f':
		return strncmp(p, "false", 5) ? NULL : p + 5;
	case 'n':
		return strncmp(p, "null", 4) ? NULL : p + 4;
	default:
		return jnumber(p);
	}
}

/* Parses one line holding exactly one JSON object. */
bool t_jparse(const char *line, size_t len, struct t_jobj *o)
{
	char buf[4096];
	const char *end;

	if (len >= sizeof(buf))
		return false;
	memcpy(buf, line, len);
	buf[len] = '\0';
	o->n = 0;
	if (*ws(buf) != '{')
		return false;
	end = jvalue(buf, 0, o);
	if (!end || *ws(end))
		return false;
	/* Re-point into @line: @buf goes away. */
	for (int i = 0; i < o->n; i++) {
		o->kv[i].key = line + (o->kv[i].key - buf);
		o->kv[i].val = line + (o->kv[i].val - buf);
	}
	return true;
}

const struct t_jv *t_jget(const struct t_jobj *o, const char *key)
{
	size_t kl = strlen(key);

	for (int i = 0; i < o->n; i++)
		if (strncmp(o->kv[i].key, key, kl) == 0 && o->kv[i].key[kl] == '"')
			return &o->kv[i];
	return NULL;
}

/* An integer value. */
bool t_jll(const struct t_jobj *o, const char *key, long long *out)
{
	const struct t_jv *v = t_jget(o, key);
	char buf[32];

	if (!v || v->vlen >= sizeof(buf))
		return false;
	memcpy(buf, v->val, v->vlen);
	buf[v->vlen] = '\0';
	if (jnumber(buf) != buf + v->vlen || strpbrk(buf, ".eE"))
		return false;
	*out = strtoll(buf, NULL, 10);
	return true;
}

bool t_jnum(const struct t_jobj *o, const char *key, long long want)
{
	long long v;

	return t_jll(o, key, &v) && v == want;
}

bool t_jstr(const struct t_jobj *o, const char *key, const char *want)
{
	const struct t_jv *v = t_jget(o, key);
	size_t wl = strlen(want);

	return v && v->vlen == wl + 2 && v->val[0] == '"' && strncmp(v->val + 1, want, wl) == 0;
}

bool t_jbool(const struct t_jobj *o, const char *key, bool want)
{
	const struct t_jv *v = t_jget(o, key);
	const char *w = want ? "true" : "false";

	return v && v->vlen == strlen(w) && strncmp(v->val, w, v->vlen) == 0;
}
