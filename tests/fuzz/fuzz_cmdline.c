/*
 * cmdline_parse + cmdline_apply (+ parse_u64 on every word).
 *
 * Input: one byte choosing the error buffer size, then the command line.
 * Checked: lines with a NUL or too long are refused; errors are terminated
 * inside their buffer; a parsed line has sane counts, keys without '=',
 * words inside the buffer, and parses to the same words again when written
 * back with quoting; cmdline_apply fails exactly on the first unknown key
 * or refused value; parse_u64 agrees with a reference on every word.
 */
#include <stdlib.h>
#include <string.h>
#include <mica/cmdline.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cmdline cl, again;

static bool in_buf(const struct cmdline *c, const char *s)
{
	return s >= c->buf && s < c->buf + sizeof(c->buf) &&
	       memchr(s, '\0', (size_t)(c->buf + sizeof(c->buf) - s));
}

/* Append @s to @out quoting what the parser would split or eat. */
static bool put_word(char *out, size_t *o, size_t cap, const char *s)
{
	if (*s == '\0') {
		if (*o + 2 > cap)
			return false;
		out[(*o)++] = '"';
		out[(*o)++] = '"';
		return true;
	}
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
		    *s == '"' || *s == '\\') {
			if (*o + 1 > cap)
				return false;
			out[(*o)++] = '\\';
		}
		if (*o + 1 > cap)
			return false;
		out[(*o)++] = *s;
	}
	return true;
}

/* Write @c back as a command line; false if it would be too long. */
static bool unparse(const struct cmdline *c, char *out, size_t cap,
		    size_t *len)
{
	size_t o = 0;

	for (unsigned int i = 0; i < c->nopts; i++) {
		if (o) {
			if (o + 1 > cap)
				return false;
			out[o++] = ' ';
		}
		if (!put_word(out, &o, cap, c->opt_key[i]))
			return false;
		if (c->opt_val[i]) {
			if (o + 1 > cap)
				return false;
			out[o++] = '=';
			if (*c->opt_val[i] &&
			    !put_word(out, &o, cap, c->opt_val[i]))
				return false;
		}
	}
	if (o + 3 > cap)
		return false;
	memcpy(out + o, " --", 3);
	o += 3;
	for (int i = 0; i < c->argc; i++) {
		if (o + 1 > cap)
			return false;
		out[o++] = ' ';
		if (!put_word(out, &o, cap, c->argv[i]))
			return false;
	}
	*len = o;
	return true;
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* What parse_u64 should say, written independently. */
static int ref_u64(const char *s, uint64_t *out)
{
	unsigned __int128 v = 0;
	unsigned int base = 10;

	if (!s || !*s)
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -1;
	for (; *s; s++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -1;
		v = v * base + (unsigned int)d;
		if (v > UINT64_MAX)
			return -1;
	}
	*out = (uint64_t)v;
	return 0;
}

static void check_u64(const char *s)
{
	uint64_t got = 1, want = 2;
	int rc = parse_u64(s, &got), ref = ref_u64(s, &want);

	if (rc != ref || (rc == 0 && got != want))
		fuzz_fail("parse_u64(\"%s\") = %d (%llu), expected %d (%llu)",
			  s ? s : "(null)", rc, (unsigned long long)got, ref,
			  (unsigned long long)want);
}

/* Options for cmdline_apply: "num" takes a number, "flag" no value. */
static const struct cmdline *applying;

static int set_num(const char *val, char *why, size_t len)
{
	uint64_t v;

	FUZZ_ASSERT(val == NULL || in_buf(applying, val));
	FUZZ_ASSERT(why && len > 0 && why[0] == '\0');
	return parse_u64(val, &v);
}

static int set_flag(const char *val, char *why, size_t len)
{
	(void)why;
	(void)len;
	FUZZ_ASSERT(val == NULL || in_buf(applying, val));
	return val ? -1 : 0;
}

static const struct kernel_option known[] = {
	{ "num", "a number", set_num },
	{ "flag", "a flag", set_flag },
};

static void check_apply(const struct cmdline *c, char *err, size_t errlen)
{
	int want = 0, rc;
	bool unknown = false;

	for (unsigned int i = 0; i < c->nopts && !want; i++) {
		const char *k = c->opt_key[i], *v = c->opt_val[i];
		uint64_t x;

		if (strcmp(k, "num") == 0) {
			want = parse_u64(v, &x);
		} else if (strcmp(k, "flag") == 0) {
			want = v ? -1 : 0;
		} else {
			want = -1;
			unknown = true;
		}
	}
	applying = c;
	memset(err, 0x7f, errlen);
	rc = cmdline_apply(c, known, ARRAY_SIZE(known), err, errlen);
	FUZZ_ASSERT(rc == want);
	if (rc == 0)
		return;
	FUZZ_ASSERT(memchr(err, '\0', errlen));
	if (errlen > 16) {
		const char *start = unknown ? "unknown option '" : "option '";

		FUZZ_ASSERT(strncmp(err, start, strlen(start)) == 0);
	}
	if (unknown && errlen >= 300 && strlen(err) < errlen - 1)
		FUZZ_ASSERT(strstr(err, "(known: num flag;"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char line[CMDLINE_MAX + 1];
	char *src, *err;
	size_t errlen, len;
	bool has_nul;
	int rc;

	if (size < 1)
		return 0;
	errlen = data[0] & 0x80 ? 400 : (size_t)(data[0] & 0x3f) + 1;
	data++;
	size--;
	/* Exact-size copies: ASan sees any read or write past them. */
	src = malloc(size ? size : 1);
	err = malloc(errlen);
	if (!src || !err)
		abort();
	memcpy(src, data, size);
	memset(err, 0x7f, errlen);
	has_nul = memchr(src, '\0', size) != NULL;

	rc = cmdline_parse(&cl, src, size, err, errlen);
	if (rc != 0) {
		FUZZ_ASSERT(rc == -1);
		FUZZ_ASSERT(memchr(err, '\0', errlen));
		if (errlen > 1)
			FUZZ_ASSERT(err[0] != '\0');
		goto out;
	}
	FUZZ_ASSERT(!has_nul);
	FUZZ_ASSERT(size <= CMDLINE_MAX);
	FUZZ_ASSERT(cl.nopts <= CMDLINE_MAX_ARGS);
	FUZZ_ASSERT(cl.argc >= 0 && cl.argc <= CMDLINE_MAX_ARGS);
	FUZZ_ASSERT(cl.argv[cl.argc] == NULL);
	for (unsigned int i = 0; i < cl.nopts; i++) {
		FUZZ_ASSERT(in_buf(&cl, cl.opt_key[i]));
		FUZZ_ASSERT(cl.opt_key[i][0] != '\0');
		FUZZ_ASSERT(!strchr(cl.opt_key[i], '='));
		FUZZ_ASSERT(!cl.opt_val[i] || in_buf(&cl, cl.opt_val[i]));
		check_u64(cl.opt_key[i]);
		check_u64(cl.opt_val[i]);
	}
	for (int i = 0; i < cl.argc; i++) {
		FUZZ_ASSERT(in_buf(&cl, cl.argv[i]));
		check_u64(cl.argv[i]);
	}

	/* Written back, it parses to the same words. */
	if (unparse(&cl, line, CMDLINE_MAX, &len)) {
		char e2[200];

		if (cmdline_parse(&again, line, len, e2, sizeof(e2)) != 0)
			fuzz_fail("re-parse of \"%.*s\" failed: %s", (int)len,
				  line, e2);
		FUZZ_ASSERT(again.nopts == cl.nopts && again.argc == cl.argc);
		for (unsigned int i = 0; i < cl.nopts; i++)
			FUZZ_ASSERT(same(again.opt_key[i], cl.opt_key[i]) &&
				    same(again.opt_val[i], cl.opt_val[i]));
		for (int i = 0; i < cl.argc; i++)
			FUZZ_ASSERT(same(again.argv[i], cl.argv[i]));
	}
	check_apply(&cl, err, errlen);
out:
	free(err);
	free(src);
	return 0;
}
