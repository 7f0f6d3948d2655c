/*
 * Console input (kernel/console_input.c) over fake consoles: bytes come
 * in arrival order from every console that can read, a console without
 * input or an inactive one (console=NAME chose another) is not asked,
 * and what one poll brings beyond the reader's want waits, across the
 * ring's wrap, for the next read.
 */
#include <string.h>
#include <mica/console.h>
#include "unit.h"

struct fake {
	struct console con;
	const char *data;
	size_t pos, chunk;	/* chunk: most bytes a read hands over */
	bool active;
};

static struct fake a, b, quiet;

static size_t fake_read(struct console *con, char *buf, size_t len)
{
	struct fake *f = (struct fake *)con;
	size_t n = strlen(f->data) - f->pos;

	if (n > len)
		n = len;
	if (f->chunk && n > f->chunk)
		n = f->chunk;
	memcpy(buf, f->data + f->pos, n);
	f->pos += n;
	return n;
}

struct console *console_list(void)
{
	return &a.con;
}

bool console_is_active(const struct console *con)
{
	return ((const struct fake *)con)->active;
}

static void setup(const char *da, const char *db)
{
	size_t n;
	char sink[512];

	a = (struct fake){ { "a", NULL, NULL, fake_read, &quiet.con }, da, 0,
			   0, true };
	quiet = (struct fake){ { "quiet", NULL, NULL, NULL, &b.con }, "", 0,
			       0, true };
	b = (struct fake){ { "b", NULL, NULL, fake_read, NULL }, db, 0, 0,
			   true };
	/* Empty what an earlier test left in the ring. */
	do {
		n = console_read(sink, sizeof(sink));
	} while (n);
	a.data = da;
	b.data = db;
	a.pos = b.pos = 0;
}

TEST(console_input_order_and_sources)
{
	char buf[32];
	size_t n;

	setup("", "");
	CHECK(console_has_input());
	CHECK(!console_input_ready());
	CHECK_EQ(console_input_peek(), -1);
	a.data = "ab";
	b.data = "cd";
	CHECK(console_input_ready());
	CHECK_EQ(console_input_peek(), 'a');
	n = console_read(buf, sizeof(buf));
	CHECK_EQ(n, 4);
	CHECK(memcmp(buf, "abcd", 4) == 0);
	CHECK_EQ(console_read(buf, sizeof(buf)), 0);
}

TEST(console_input_enter_is_newline)
{
	char buf[8];

	setup("ok\r", "");
	CHECK_EQ(console_read(buf, sizeof(buf)), 3);
	CHECK(memcmp(buf, "ok\n", 3) == 0);
}

TEST(console_input_inactive_console_not_asked)
{
	char buf[8];

	setup("from a", "from b");
	a.active = false;
	CHECK_EQ(console_read(buf, sizeof(buf)), 6);
	CHECK(memcmp(buf, "from b", 6) == 0);
	CHECK_EQ(a.pos, 0);
	b.active = false;
	CHECK(!console_has_input()); /* "quiet" has no read op */
}

TEST(console_input_kept_across_reads_and_wrap)
{
	static char big[601], got[601];
	size_t total = 0, n;

	for (int i = 0; i < 600; i++)
		big[i] = (char)('A' + i % 26);
	setup(big, "");
	a.chunk = 7;
	/* Small reads: the ring (256 bytes) fills, drains and wraps. */
	while ((n = console_read(got + total, 5)) != 0)
		total += n;
	CHECK_EQ(total, 600);
	CHECK(memcmp(got, big, 600) == 0);
}
