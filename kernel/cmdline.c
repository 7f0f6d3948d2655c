/*
 * Command line parsing. The line comes from outside (the VMM, a config
 * file): every byte is checked, lengths are bounded, and errors say what
 * and where instead of guessing.
 */
#include <string.h>
#include <mica/cmdline.h>
#include <mica/printk.h>

static int fail(char *err, size_t errlen, const char *what, size_t pos)
{
	mica_snprintf(err, errlen, "%s at offset %zu", what, pos);
	return -1;
}

/* Split into words (quotes, backslash escapes); returns the word count. */
static int split(char *out, char **words, const char *src, size_t len,
		 char *err, size_t errlen)
{
	size_t i = 0, o = 0;
	int n = 0;

	while (i < len) {
		bool quoted = false, any = false;

		while (i < len && (src[i] == ' ' || src[i] == '\t' ||
				   src[i] == '\n' || src[i] == '\r'))
			i++;
		if (i >= len)
			break;
		if (n >= CMDLINE_MAX_ARGS * 2)
			return fail(err, errlen, "too many words", i);
		words[n++] = &out[o];
		for (; i < len; i++) {
			char c = src[i];

			if (!quoted && (c == ' ' || c == '\t' || c == '\n' ||
					c == '\r'))
				break;
			if (c == '"') {
				quoted = !quoted;
				any = true;
				continue;
			}
			if (c == '\\') {
				if (++i >= len)
					return fail(err, errlen,
						    "trailing backslash", i - 1);
				c = src[i];
			}
			/* Escaped or not: a NUL would cut the word short. */
			if (c == '\0')
				return fail(err, errlen, "NUL byte", i);
			out[o++] = c;
			any = true;
		}
		if (quoted)
			return fail(err, errlen, "unterminated quote", i);
		(void)any;
		out[o++] = '\0';
	}
	return n;
}

int cmdline_parse(struct cmdline *cl, const char *src, size_t len, char *err,
		  size_t errlen)
{
	char *words[CMDLINE_MAX_ARGS * 2];
	int n, i;
	bool app = false;

	memset(cl, 0, sizeof(*cl));
	if (len > CMDLINE_MAX) {
		mica_snprintf(err, errlen,
			      "command line too long (%zu bytes, max %d)", len,
			      CMDLINE_MAX);
		return -1;
	}
	n = split(cl->buf, words, src, len, err, errlen);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		char *w = words[i], *eq;

		if (!app && strcmp(w, "--") == 0) {
			app = true;
			continue;
		}
		if (app) {
			if (cl->argc >= CMDLINE_MAX_ARGS)
				goto too_many;
			cl->argv[cl->argc++] = w;
			continue;
		}
		if (cl->nopts >= CMDLINE_MAX_ARGS)
			goto too_many;
		eq = strchr(w, '=');
		if (eq == w || !*w) { /* "=x" or "" */
			mica_snprintf(err, errlen, "option '%s' has no name", w);
			return -1;
		}
		if (eq)
			*eq = '\0';
		cl->opt_key[cl->nopts] = w;
		cl->opt_val[cl->nopts] = eq ? eq + 1 : NULL;
		cl->nopts++;
	}
	cl->argv[cl->argc] = NULL;
	return 0;
too_many:
	mica_snprintf(err, errlen, "too many arguments (max %d)",
		      CMDLINE_MAX_ARGS);
	return -1;
}

int cmdline_apply(const struct cmdline *cl, const struct kernel_option *known,
		  size_t nknown, char *err, size_t errlen)
{
	for (unsigned int i = 0; i < cl->nopts; i++) {
		const struct kernel_option *o = NULL;
		char why[160];

		for (size_t k = 0; k < nknown && !o; k++)
			if (strcmp(known[k].key, cl->opt_key[i]) == 0)
				o = &known[k];
		if (!o) {
			size_t len = (size_t)mica_snprintf(
				err, errlen,
				"unknown option '%s' (known:", cl->opt_key[i]);
			for (size_t k = 0; k < nknown && len < errlen; k++)
				len += (size_t)mica_snprintf(err + len,
							     errlen - len, " %s",
							     known[k].key);
			if (len < errlen)
				mica_snprintf(err + len, errlen - len,
					      "; app arguments go after --)");
			return -1;
		}
		why[0] = '\0';
		if (o->set(cl->opt_val[i], why, sizeof(why)) < 0) {
			mica_snprintf(err, errlen, "option '%s': %s", o->key,
				      why[0] ? why : "invalid value");
			return -1;
		}
	}
	return 0;
}

int parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	unsigned int base = 10;

	if (!s || !*s)
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s)
			return -1;
	}
	for (; *s; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned int)(*s - 'A' + 10);
		else
			return -1;
		if (v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	*out = v;
	return 0;
}
