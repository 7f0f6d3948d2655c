/* kernel/cmdline.c: splitting, options, app arguments, errors. */
#include <stdio.h>
#include <string.h>
#include <mica/cmdline.h>
#include "unit.h"

static struct cmdline cl;
static char err[400];

static int parse(const char *s)
{
	err[0] = '\0';
	return cmdline_parse(&cl, s, strlen(s), err, sizeof(err));
}

TEST(cmdline_options_then_app_args)
{
	REQUIRE(parse("loglevel=2 quiet mainstack=0x40 -- one two") == 0);
	REQUIRE(cl.nopts == 3);
	CHECK_STR(cl.opt_key[0], "loglevel");
	CHECK_STR(cl.opt_val[0], "2");
	CHECK_STR(cl.opt_key[1], "quiet");
	CHECK(cl.opt_val[1] == NULL); /* bare key */
	CHECK_STR(cl.opt_key[2], "mainstack");
	CHECK_STR(cl.opt_val[2], "0x40");
	REQUIRE(cl.argc == 2);
	CHECK_STR(cl.argv[0], "one");
	CHECK_STR(cl.argv[1], "two");
	CHECK(cl.argv[2] == NULL);
}

TEST(cmdline_empty_and_blank)
{
	REQUIRE(cmdline_parse(&cl, "", 0, err, sizeof(err)) == 0);
	CHECK_EQ(cl.nopts, 0);
	CHECK_EQ(cl.argc, 0);
	CHECK(cl.argv[0] == NULL);
	REQUIRE(parse(" \t\r\n  ") == 0);
	CHECK_EQ(cl.nopts, 0);
	REQUIRE(parse("--") == 0);
	CHECK_EQ(cl.nopts, 0);
	CHECK_EQ(cl.argc, 0);
}

TEST(cmdline_values_with_equals_and_empty)
{
	REQUIRE(parse("a=b=c empty= -- x=y --") == 0);
	REQUIRE(cl.nopts == 2);
	CHECK_STR(cl.opt_key[0], "a");
	CHECK_STR(cl.opt_val[0], "b=c");
	CHECK_STR(cl.opt_key[1], "empty");
	CHECK_STR(cl.opt_val[1], "");
	/* After --, nothing is an option, not even another --. */
	REQUIRE(cl.argc == 2);
	CHECK_STR(cl.argv[0], "x=y");
	CHECK_STR(cl.argv[1], "--");
}

TEST(cmdline_whitespace_kinds)
{
	REQUIRE(parse("\ta\n\rb  \t c\n") == 0);
	REQUIRE(cl.nopts == 3);
	CHECK_STR(cl.opt_key[0], "a");
	CHECK_STR(cl.opt_key[1], "b");
	CHECK_STR(cl.opt_key[2], "c");
}

TEST(cmdline_quotes)
{
	REQUIRE(parse("msg=\"hello  world\" -- \"arg one\" a\"b c\"d \"\"") ==
		0);
	REQUIRE(cl.nopts == 1);
	CHECK_STR(cl.opt_val[0], "hello  world");
	REQUIRE(cl.argc == 3);
	CHECK_STR(cl.argv[0], "arg one");
	CHECK_STR(cl.argv[1], "ab cd");
	CHECK_STR(cl.argv[2], ""); /* an empty argument is kept */
}

TEST(cmdline_escapes)
{
	REQUIRE(parse("-- a\\ b \\\"q\\\" back\\\\slash \"in\\\"side\" \\x") ==
		0);
	REQUIRE(cl.argc == 5);
	CHECK_STR(cl.argv[0], "a b");
	CHECK_STR(cl.argv[1], "\"q\"");
	CHECK_STR(cl.argv[2], "back\\slash");
	CHECK_STR(cl.argv[3], "in\"side");
	CHECK_STR(cl.argv[4], "x");
}

TEST(cmdline_unterminated_quote)
{
	CHECK_EQ(parse("a=\"open ended"), -1);
	CHECK_CONTAINS(err, "unterminated quote");
	CHECK_CONTAINS(err, "offset 13");
	CHECK_EQ(parse("-- \"x\" \""), -1);
	CHECK_CONTAINS(err, "unterminated quote");
}

TEST(cmdline_trailing_backslash)
{
	CHECK_EQ(parse("a b\\"), -1);
	CHECK_CONTAINS(err, "trailing backslash at offset 3");
	CHECK_EQ(parse("\"a\\"), -1);
	CHECK_CONTAINS(err, "trailing backslash");
}

TEST(cmdline_nul_byte)
{
	static const char plain[] = "a b\0c";
	static const char quoted[] = "\"a\0\"";
	static const char escaped[] = "key=x\\\0y";
	static const char lone[] = "a \0";

	CHECK_EQ(cmdline_parse(&cl, plain, 5, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "NUL byte at offset 3");
	CHECK_EQ(cmdline_parse(&cl, quoted, 4, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "NUL byte");
	CHECK_EQ(cmdline_parse(&cl, lone, 3, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "NUL byte at offset 2");
	/* An escaped NUL is still a NUL: it must not cut the word short. */
	err[0] = '\0';
	CHECK_EQ(cmdline_parse(&cl, escaped, 8, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "NUL byte");
}

TEST(cmdline_length_limit)
{
	static char s[CMDLINE_MAX + 2];

	memset(s, 'x', CMDLINE_MAX);
	CHECK_EQ(cmdline_parse(&cl, s, CMDLINE_MAX, err, sizeof(err)), 0);
	CHECK_EQ(strlen(cl.opt_key[0]), CMDLINE_MAX);
	memset(s, 'x', CMDLINE_MAX + 1);
	CHECK_EQ(cmdline_parse(&cl, s, CMDLINE_MAX + 1, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "too long (2049 bytes, max 2048)");
}

/* The densest line: 1-byte words fill the buffer to the last byte. */
TEST(cmdline_buffer_exactly_full)
{
	static char s[CMDLINE_MAX + 1];
	size_t n = 0;

	/* 63 one-letter options, "--", then a last long word. */
	for (int i = 0; i < 63; i++) {
		s[n++] = 'k';
		s[n++] = ' ';
	}
	s[n++] = '-';
	s[n++] = '-';
	s[n++] = ' ';
	while (n < CMDLINE_MAX)
		s[n++] = 'z';
	REQUIRE(cmdline_parse(&cl, s, n, err, sizeof(err)) == 0);
	CHECK_EQ(cl.nopts, 63);
	REQUIRE(cl.argc == 1);
	CHECK_EQ(strlen(cl.argv[0]), CMDLINE_MAX - 63 * 2 - 3);
	CHECK(cl.argv[0] + strlen(cl.argv[0]) <= cl.buf + CMDLINE_MAX);
}

static void repeat(char *s, const char *prefix, const char *word, int n)
{
	strcpy(s, prefix);
	for (int i = 0; i < n; i++)
		strcat(s, word);
}

TEST(cmdline_too_many_args)
{
	static char s[CMDLINE_MAX + 1];

	repeat(s, "", "o ", CMDLINE_MAX_ARGS);
	CHECK_EQ(parse(s), 0);
	CHECK_EQ(cl.nopts, CMDLINE_MAX_ARGS);
	repeat(s, "", "o ", CMDLINE_MAX_ARGS + 1);
	CHECK_EQ(parse(s), -1);
	CHECK_CONTAINS(err, "too many arguments (max 64)");

	repeat(s, "-- ", "a ", CMDLINE_MAX_ARGS);
	CHECK_EQ(parse(s), 0);
	CHECK_EQ(cl.argc, CMDLINE_MAX_ARGS);
	CHECK(cl.argv[CMDLINE_MAX_ARGS] == NULL);
	repeat(s, "-- ", "a ", CMDLINE_MAX_ARGS + 1);
	CHECK_EQ(parse(s), -1);
	CHECK_CONTAINS(err, "too many arguments");

	repeat(s, "", "w ", 2 * CMDLINE_MAX_ARGS + 1);
	CHECK_EQ(parse(s), -1);
	CHECK_CONTAINS(err, "too many words");
}

TEST(cmdline_empty_key)
{
	CHECK_EQ(parse("ok=1 =x"), -1);
	CHECK_CONTAINS(err, "option '=x' has no name");
	CHECK_EQ(parse("="), -1);
	CHECK_CONTAINS(err, "has no name");
	/* An empty quoted word is no name either. */
	CHECK_EQ(parse("a \"\" b"), -1);
	CHECK_CONTAINS(err, "option '' has no name");
	/* After --, "=x" is just an argument. */
	CHECK_EQ(parse("-- =x"), 0);
	CHECK_STR(cl.argv[0], "=x");
}

TEST(cmdline_error_fits_small_buffer)
{
	char small[8];

	memset(small, '#', sizeof(small));
	CHECK_EQ(cmdline_parse(&cl, "\"", 1, small, 6), -1);
	CHECK_STR(small, "unter");
	CHECK_EQ(small[6], '#');
}

/* Option handlers for cmdline_apply. */
static int seen_a;
static const char *seen_b;

static int set_a(const char *val, char *why, size_t len)
{
	(void)why;
	(void)len;
	seen_a++;
	return val == NULL ? 0 : -1;
}

static int set_b(const char *val, char *why, size_t len)
{
	if (val && strcmp(val, "bad") == 0) {
		snprintf(why, len, "'%s' will not do", val);
		return -1;
	}
	seen_b = val;
	return 0;
}

static int set_c(const char *val, char *why, size_t len)
{
	(void)val;
	(void)why;
	(void)len;
	return -1; /* no reason given */
}

static const struct kernel_option known[] = {
	{ "alpha", "a flag", set_a },
	{ "beta", "a value", set_b },
	{ "gamma", "always fails", set_c },
};

TEST(cmdline_apply_calls_handlers)
{
	seen_a = 0;
	seen_b = NULL;
	REQUIRE(parse("alpha beta=7 alpha -- alpha=9") == 0);
	CHECK_EQ(cmdline_apply(&cl, known, 3, err, sizeof(err)), 0);
	CHECK_EQ(seen_a, 2);
	CHECK_STR(seen_b, "7");
}

TEST(cmdline_apply_unknown_lists_known_keys)
{
	REQUIRE(parse("alpha delta=1") == 0);
	CHECK_EQ(cmdline_apply(&cl, known, 3, err, sizeof(err)), -1);
	CHECK_STR(err, "unknown option 'delta' (known: alpha beta gamma; app "
		       "arguments go after --)");
}

TEST(cmdline_apply_unknown_truncates_safely)
{
	char small[24];

	REQUIRE(parse("delta") == 0);
	memset(small, '#', sizeof(small));
	CHECK_EQ(cmdline_apply(&cl, known, 3, small, 20), -1);
	CHECK_EQ(strlen(small), 19);
	CHECK_EQ(small[20], '#');
	CHECK(strncmp(small, "unknown option 'del", 19) == 0);
	/* A buffer that ends inside the list of keys. */
	CHECK_EQ(cmdline_apply(&cl, known, 3, err, 40), -1);
	CHECK_EQ(strlen(err), 39);
}

TEST(cmdline_apply_handler_errors)
{
	REQUIRE(parse("beta=bad") == 0);
	CHECK_EQ(cmdline_apply(&cl, known, 3, err, sizeof(err)), -1);
	CHECK_STR(err, "option 'beta': 'bad' will not do");
	REQUIRE(parse("alpha=1") == 0);
	CHECK_EQ(cmdline_apply(&cl, known, 3, err, sizeof(err)), -1);
	CHECK_STR(err, "option 'alpha': invalid value");
	REQUIRE(parse("gamma") == 0);
	CHECK_EQ(cmdline_apply(&cl, known, 3, err, sizeof(err)), -1);
	CHECK_STR(err, "option 'gamma': invalid value");
}

TEST(parse_u64_values)
{
	uint64_t v = 12345;

	CHECK_EQ(parse_u64("0", &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(parse_u64("007", &v), 0);
	CHECK_EQ(v, 7);
	CHECK_EQ(parse_u64("18446744073709551615", &v), 0);
	CHECK_EQ(v, UINT64_MAX);
	CHECK_EQ(parse_u64("0xffffffffffffffff", &v), 0);
	CHECK_EQ(v, UINT64_MAX);
	CHECK_EQ(parse_u64("0X1F", &v), 0);
	CHECK_EQ(v, 31);
	CHECK_EQ(parse_u64("0xdeadBEEF", &v), 0);
	CHECK_EQ(v, 0xdeadbeef);
	CHECK_EQ(parse_u64("0x000000000000000000001", &v), 0);
	CHECK_EQ(v, 1);
}

TEST(parse_u64_rejects)
{
	static const char *bad[] = {
		"",
		"18446744073709551616",		/* 2^64 */
		"99999999999999999999",
		"0x10000000000000000",
		"0x",
		"0X",
		"12a",
		"a12",
		"0x1g",
		" 1",
		"1 ",
		"-1",
		"+1",
		"1e3",
		"0b101",
	};
	uint64_t v = 42;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (!CHECK_EQ(parse_u64(bad[i], &v), -1))
			unit_fail(__FILE__, __LINE__, "accepted \"%s\"",
				  bad[i]);
	CHECK_EQ(parse_u64(NULL, &v), -1);
	CHECK_EQ(v, 42); /* untouched on error */
}
