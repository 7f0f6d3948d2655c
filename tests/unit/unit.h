/*
 * A small unit-test framework for the host build of Mica's portable code.
 *
 *   TEST(name) { ... }          define and register a test
 *   CHECK(cond)                 record a failure if @cond is false, go on
 *   CHECK_EQ(got, want)         compare as 64-bit integers (or pointers)
 *   CHECK_STR(got, want)        compare C strings (NULL allowed)
 *   CHECK_CONTAINS(hay, needle) @needle is a substring of @hay
 *   REQUIRE(cond)               like CHECK, but ends the test on failure
 *   EXPECT_PANIC(stmt, text)    @stmt must call panic() with @text in it
 *   SKIP(reason)                end the test as skipped
 *
 * Each test runs in its own child process, so tests cannot disturb each
 * other's kernel state, and a crash fails only the test that crashed.
 */
#ifndef MICA_UNIT_H
#define MICA_UNIT_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct unit_test {
	const char *name;
	const char *file;
	int line;
	void (*fn)(void);
	struct unit_test *next;
};

void unit_register(struct unit_test *t);

bool unit_check(const char *file, int line, bool ok, const char *expr);
bool unit_check_eq(const char *file, int line, const char *got_expr,
		   const char *want_expr, unsigned long long got,
		   unsigned long long want);
bool unit_check_str(const char *file, int line, const char *got_expr,
		    const char *want_expr, const char *got, const char *want);
bool unit_check_contains(const char *file, int line, const char *hay_expr,
			 const char *hay, const char *needle);
void unit_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void unit_abort(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));
void unit_skip(const char *file, int line, const char *reason)
	__attribute__((noreturn));

/* Armed by EXPECT_PANIC; the host panic() jumps here when it is set. */
extern jmp_buf unit_panic_jmp;
extern volatile int unit_panic_armed;
extern char unit_panic_msg[512];

#define TEST(name)                                                             \
	static void unit_fn_##name(void);                                      \
	static struct unit_test unit_t_##name = { #name, __FILE__, __LINE__,   \
						  unit_fn_##name, NULL };      \
	__attribute__((constructor)) static void unit_reg_##name(void)         \
	{                                                                      \
		unit_register(&unit_t_##name);                                 \
	}                                                                      \
	static void unit_fn_##name(void)

#define CHECK(cond) unit_check(__FILE__, __LINE__, (cond) ? true : false, #cond)

#define CHECK_EQ(got, want)                                                    \
	unit_check_eq(__FILE__, __LINE__, #got, #want,                         \
		      (unsigned long long)(got), (unsigned long long)(want))

#define CHECK_STR(got, want)                                                   \
	unit_check_str(__FILE__, __LINE__, #got, #want, (got), (want))

#define CHECK_CONTAINS(hay, needle)                                            \
	unit_check_contains(__FILE__, __LINE__, #hay, (hay), (needle))

#define REQUIRE(cond)                                                          \
	do {                                                                   \
		if (!(cond))                                                   \
			unit_abort(__FILE__, __LINE__, "required: %s", #cond); \
	} while (0)

#define SKIP(reason) unit_skip(__FILE__, __LINE__, (reason))

#define EXPECT_PANIC(stmt, text)                                               \
	do {                                                                   \
		unit_panic_armed = 1;                                          \
		if (setjmp(unit_panic_jmp) == 0) {                             \
			stmt;                                                  \
			unit_panic_armed = 0;                                  \
			unit_fail(__FILE__, __LINE__,                          \
				  "expected a panic from `%s`", #stmt);        \
		} else {                                                       \
			CHECK_CONTAINS(unit_panic_msg, (text));                \
		}                                                              \
	} while (0)

#endif
