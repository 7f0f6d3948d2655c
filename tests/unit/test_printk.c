/* kernel/printk.c: mica_vsnprintf formatting and truncation. */
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <mica/printk.h>
#include "host.h"
#include "unit.h"

static char out[256];
static int ret;

/* No format attribute on purpose: odd formats are part of the test. */
static const char *fmt(const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	ret = mica_vsnprintf(out, sizeof(out), f, ap);
	va_end(ap);
	return out;
}

/* Also checks the return value is the length written. */
#define CHECK_FMT(want, ...)                                                   \
	do {                                                                   \
		CHECK_STR(fmt(__VA_ARGS__), want);                             \
		CHECK_EQ(ret, strlen(want));                                   \
	} while (0)

TEST(printk_integers)
{
	CHECK_FMT("0 -5 42", "%d %d %i", 0, -5, 42);
	CHECK_FMT("-2147483648 2147483647", "%d %d", INT_MIN, INT_MAX);
	CHECK_FMT("4294967295", "%u", UINT_MAX);
	CHECK_FMT("deadbeef DEADBEEF", "%x %X", 0xdeadbeefu, 0xdeadbeefu);
	CHECK_FMT("0xff 0XFF 0", "%#x %#X %#x", 255, 255, 0);
	CHECK_FMT("10 010", "%o %#o", 8, 8);
	CHECK_FMT("100%", "%d%%", 100);
}

TEST(printk_length_modifiers)
{
	CHECK_FMT("-9223372036854775808", "%lld", LLONG_MIN);
	CHECK_FMT("18446744073709551615", "%llu", ULLONG_MAX);
	CHECK_FMT("ffffffffffffffff", "%llx", ULLONG_MAX);
	CHECK_FMT("-1", "%ld", -1L);
	CHECK_FMT("18446744073709551615", "%zu", SIZE_MAX);
	CHECK_FMT("-3", "%td", (ptrdiff_t)-3);
	CHECK_FMT("-56 200", "%hhd %hhu", 200, 200);
	CHECK_FMT("1 -1", "%hu %hd", 65537, 65535);
	CHECK_FMT("1777777777777777777777", "%llo", ULLONG_MAX);
}

TEST(printk_pointers)
{
	CHECK_FMT("0x1234", "%p", (void *)0x1234);
	CHECK_FMT("0x0", "%p", (void *)0);
	CHECK_FMT("0xffffffffffffffff", "%p", (void *)UINTPTR_MAX);
	CHECK_FMT("[    0xab]", "[%8p]", (void *)0xab);
}

TEST(printk_strings_and_chars)
{
	const char *null = NULL;

	CHECK_FMT("hello, world", "%s, %s", "hello", "world");
	CHECK_FMT("(null)", "%s", null);
	CHECK_FMT("(nu", "%.3s", null);
	CHECK_FMT("x y", "%c %c", 'x', 'y');
	CHECK_FMT("[  z][z  ]", "[%3c][%-3c]", 'z', 'z');
	CHECK_FMT("", "%s", "");
	/* A NUL character is written and counted. */
	fmt("a%cb", 0);
	CHECK_EQ(ret, 3);
	CHECK(out[0] == 'a' && out[1] == '\0' && out[2] == 'b');
}

TEST(printk_widths_and_flags)
{
	CHECK_FMT("[   42]", "[%5d]", 42);
	CHECK_FMT("[42   ]", "[%-5d]", 42);
	CHECK_FMT("[00042]", "[%05d]", 42);
	CHECK_FMT("[-0042]", "[%05d]", -42);
	CHECK_FMT("[+5] [ 5] [-5]", "[%+d] [% d] [% d]", 5, 5, -5);
	CHECK_FMT("[0x00ff]", "[%#06x]", 255);
	CHECK_FMT("[    hi]", "[%6s]", "hi");
	CHECK_FMT("[hi    ]", "[%-6s]", "hi");
	CHECK_FMT("[    42]", "[%*d]", 6, 42);
	CHECK_FMT("[42    ]", "[%*d]", -6, 42); /* negative: left */
	CHECK_FMT("[42    ]", "[%-*d]", 6, 42);
	CHECK_FMT("[toolong]", "[%3s]", "toolong"); /* never cut */
}

TEST(printk_precision)
{
	CHECK_FMT("005", "%.3d", 5);
	CHECK_FMT("-005", "%.3d", -5);
	CHECK_FMT("[     005]", "[%8.3d]", 5);
	CHECK_FMT("[]", "[%.0d]", 0);
	CHECK_FMT("[  ]", "[%2.0x]", 0);
	CHECK_FMT("[   005]", "[%06.3d]", 5); /* precision: no 0 padding */
	CHECK_FMT("he", "%.2s", "hello");
	CHECK_FMT("hel", "%.*s", 3, "hello");
	CHECK_FMT("hello", "%.*s", -1, "hello"); /* negative: none */
	CHECK_FMT("[he   ]", "[%-5.2s]", "hello");
}

TEST(printk_odd_formats)
{
	CHECK_FMT("abc", "abc%");
	CHECK_FMT("%q", "%q");
	CHECK_FMT("x", "x%-");
	CHECK_FMT("", "");
}

TEST(printk_truncation)
{
	char b[8];

	memset(b, '#', sizeof(b));
	CHECK_EQ(mica_snprintf(b, 5, "hello %s", "world"), 11);
	CHECK_STR(b, "hell");
	CHECK_EQ(b[5], '#');
	CHECK_EQ(mica_snprintf(b, 1, "%d", 12345), 5);
	CHECK_EQ(b[0], '\0');
	CHECK_EQ(b[1], 'e'); /* untouched from before */
	CHECK_EQ(mica_snprintf(NULL, 0, "%s=%d", "key", 100), 7);
	/* Exactly fitting, and one short. */
	CHECK_EQ(mica_snprintf(b, 6, "%05d", 7), 5);
	CHECK_STR(b, "00007");
	CHECK_EQ(mica_snprintf(b, 5, "%05d", 7), 5);
	CHECK_STR(b, "0000");
	/* Padding is cut too, and still counted. */
	CHECK_EQ(mica_snprintf(b, sizeof(b), "%20s", "x"), 20);
	CHECK_EQ(strlen(b), sizeof(b) - 1);
}

TEST(printk_to_console)
{
	console_clear();
	printk("boot %d %s\n", 3, "ok");
	CHECK_STR(console_text(), "boot 3 ok\n");
}

TEST(printk_long_message_says_truncated)
{
	char big[700];

	memset(big, 'm', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	console_clear();
	printk("%s", big);
	CHECK_EQ(strlen(console_text()), 511 + strlen("[...truncated]\n"));
	CHECK_CONTAINS(console_text(), "m[...truncated]\n");
}
