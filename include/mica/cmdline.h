/*
 * The kernel command line: `key=value` (or bare `key`) options for Mica,
 * then `--`, then the application's arguments (argv[1..]).
 * Double quotes group words with spaces; a backslash escapes a character.
 */
#ifndef MICA_CMDLINE_H
#define MICA_CMDLINE_H

#include <mica/types.h>

#define CMDLINE_MAX 2048
#define CMDLINE_MAX_ARGS 64

struct cmdline {
	char buf[CMDLINE_MAX + 1];	/* parsed words, NUL separated */
	unsigned int nopts;
	char *opt_key[CMDLINE_MAX_ARGS];
	char *opt_val[CMDLINE_MAX_ARGS];	/* NULL for a bare key */
	int argc;			/* app arguments, argv[0] excluded */
	char *argv[CMDLINE_MAX_ARGS + 1];
};

/*
 * Parse @len bytes of @src. Returns 0, or -1 with a message in @err
 * (too long, too many words, unterminated quote, empty key, NUL inside).
 */
int cmdline_parse(struct cmdline *cl, const char *src, size_t len, char *err,
		  size_t errlen);

/* Known kernel options and their handlers. */
struct kernel_option {
	const char *key;
	const char *help;
	/* Return 0, or -1 with a message in @err. */
	int (*set)(const char *val, char *err, size_t errlen);
};

/* Apply parsed options against @known; unknown keys are errors. */
int cmdline_apply(const struct cmdline *cl, const struct kernel_option *known,
		  size_t nknown, char *err, size_t errlen);

/* Parse a decimal or 0x number fully; returns -1 on junk or overflow. */
int parse_u64(const char *s, uint64_t *out);

#endif
