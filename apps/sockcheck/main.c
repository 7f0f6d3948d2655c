/*
 * sockcheck: an ordinary POSIX socket program, run over the loopback
 * interface so that it needs no network device. A server (main) and a
 * client (a second thread) talk TCP over 127.0.0.1; then UDP, name
 * resolution, non-blocking calls, select and error cases. Prints one line
 * per check and a PASS/FAIL verdict; exit status 0 or 1.
 *
 * Arguments: port=N (default 7777), bytes=N (bulk transfer, default 1 MiB),
 * addr=A.B.C.D (talk over this address of our own instead of 127.0.0.1:
 * through a network device's interface, which lwIP loops back itself)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <mica/sched.h>

static int failures, checks;
static unsigned short port = 7777;
static size_t bulk_bytes = 1024 * 1024;
static in_addr_t own_addr;	/* network order; 127.0.0.1 unless addr= */

static void check(int ok, const char *what, const char *detail)
{
	checks++;
	if (ok) {
		printf("sockcheck: ok   %s\n", what);
	} else {
		failures++;
		printf("sockcheck: FAIL %s: %s\n", what, detail);
	}
}

/* The condition first, then errno's text (argument order is unspecified). */
#define CHECK(cond, what)                                                      \
	do {                                                                   \
		int ok_ = (cond);                                              \
		check(ok_, (what), strerror(errno));                           \
	} while (0)

static struct sockaddr_in own_address(unsigned short p)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(p);
	a.sin_addr.s_addr = own_addr;
	return a;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 7 + (i >> 8));
}

/* --- the client thread ---------------------------------------------- */

struct client_result {
	int connected, echoed, bulk_sent, done;
	char why[96];
};

static void client(void *arg)
{
	struct client_result *r = arg;
	struct sockaddr_in a = own_address(port);
	char line[64], back[64];
	unsigned char *buf;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		snprintf(r->why, sizeof(r->why), "connect: %s",
			 strerror(errno));
		goto out;
	}
	r->connected = 1;

	/* A few short request/reply rounds. */
	r->echoed = 1;
	for (int i = 0; i < 5; i++) {
		size_t n = (size_t)snprintf(line, sizeof(line), "ping %d\n", i);
		size_t got = 0;

		if (write_all(fd, line, n) < 0) {
			r->echoed = 0;
			break;
		}
		while (got < n) {
			ssize_t k = read(fd, back + got, n - got);

			if (k <= 0)
				break;
			got += (size_t)k;
		}
		if (got != n || memcmp(line, back, n) != 0) {
			snprintf(r->why, sizeof(r->why), "echo %d: got %zu "
				 "bytes", i, got);
			r->echoed = 0;
			break;
		}
	}

	/* Then a bulk transfer, half-closed after it. */
	buf = malloc(bulk_bytes);
	if (buf) {
		for (size_t i = 0; i < bulk_bytes; i++)
			buf[i] = pattern(i);
		r->bulk_sent = write_all(fd, "BULK", 4) == 0 &&
			       write_all(fd, buf, bulk_bytes) == 0;
		free(buf);
	}
	shutdown(fd, SHUT_WR);
	/* Wait for the server's close (read returns 0). */
	while (read(fd, line, sizeof(line)) > 0)
		;
out:
	if (fd >= 0)
		close(fd);
	r->done = 1;
}

/* --- the server side ------------------------------------------------ */

static ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = recv(fd, (char *)buf + got, len - got, 0);

		if (n <= 0)
			return n < 0 ? -1 : (ssize_t)got;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static void tcp_checks(void)
{
	struct client_result res = { 0 };
	struct sockaddr_in a = own_address(port), peer, me;
	socklen_t plen = sizeof(peer), mlen = sizeof(me);
	struct pollfd pfd;
	struct thread *t;
	struct stat st;
	int ls, cs = -1, one = 1, flags;
	size_t total = 0, bad = 0;
	char buf[4096];
	ssize_t n;

	ls = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(ls >= 3, "socket() gives a descriptor above the console");
	CHECK(setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0,
	      "setsockopt(SO_REUSEADDR)");
	CHECK(bind(ls, (struct sockaddr *)&a, sizeof(a)) == 0,
	      "bind() to the address");
	CHECK(listen(ls, 8) == 0, "listen()");
	CHECK(getsockname(ls, (struct sockaddr *)&me, &mlen) == 0 &&
		      ntohs(me.sin_port) == port,
	      "getsockname() reports the port");
	CHECK(fstat(ls, &st) == 0 && S_ISSOCK(st.st_mode),
	      "fstat() says socket");

	/* Nothing is waiting yet: a non-blocking accept says so. */
	flags = fcntl(ls, F_GETFL);
	CHECK(flags >= 0 && fcntl(ls, F_SETFL, flags | O_NONBLOCK) == 0 &&
		      (fcntl(ls, F_GETFL) & O_NONBLOCK),
	      "fcntl(O_NONBLOCK)");
	errno = 0;
	CHECK(accept(ls, NULL, NULL) < 0 &&
		      (errno == EAGAIN || errno == EWOULDBLOCK),
	      "non-blocking accept() with no client: EAGAIN");
	fcntl(ls, F_SETFL, flags);

	t = thread_create("client", client, &res);
	CHECK(t != NULL, "client thread started");
	if (!t)
		return;

	pfd.fd = ls;
	pfd.events = POLLIN;
	CHECK(poll(&pfd, 1, 5000) == 1 && (pfd.revents & POLLIN),
	      "poll() sees the connection");
	cs = accept(ls, (struct sockaddr *)&peer, &plen);
	CHECK(cs >= 3, "accept()");
	if (cs < 0)
		goto out;
	CHECK(peer.sin_family == AF_INET &&
		      peer.sin_addr.s_addr == own_addr,
	      "accept() reports the peer's address");
	CHECK(setsockopt(cs, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0,
	      "setsockopt(TCP_NODELAY)");

	/* Echo the client's lines until it announces the bulk part. */
	for (int i = 0; i < 5; i++) {
		pfd.fd = cs;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 5000) != 1)
			break;
		n = read(cs, buf, sizeof(buf));
		if (n <= 0)
			break;
		if (write_all(cs, buf, (size_t)n) < 0)
			break;
		/* One read may hold several lines: count them. */
		for (ssize_t k = 0; k < n; k++)
			if (buf[k] == '\n' && k + 1 < n)
				i++;
	}
	CHECK(read_full(cs, buf, 4) == 4 && memcmp(buf, "BULK", 4) == 0,
	      "echo rounds done, bulk marker read");

	/* The bulk data, with select() deciding when to read. */
	for (;;) {
		fd_set rd;
		struct timeval tv = { 5, 0 };

		FD_ZERO(&rd);
		FD_SET(cs, &rd);
		if (select(cs + 1, &rd, NULL, NULL, &tv) != 1)
			break;
		n = recv(cs, buf, sizeof(buf), 0);
		if (n <= 0)
			break;
		for (ssize_t k = 0; k < n; k++)
			if ((unsigned char)buf[k] != pattern(total + (size_t)k))
				bad++;
		total += (size_t)n;
	}
	check(total == bulk_bytes && bad == 0, "bulk transfer over select()",
	      "wrong byte count or corrupt data");
	printf("sockcheck:      %zu bytes, %zu corrupt\n", total, bad);
	CHECK(close(cs) == 0, "close() the connection");
	cs = -1;
out:
	thread_join(t);
	check(res.connected, "client connect()", res.why);
	check(res.echoed, "client echo rounds", res.why);
	check(res.bulk_sent, "client bulk write()", "write failed");
	if (cs >= 0)
		close(cs);
	close(ls);
}

static void udp_checks(void)
{
	struct sockaddr_in a = own_address((unsigned short)(port + 1)), from;
	socklen_t flen = sizeof(from);
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	int c = socket(AF_INET, SOCK_DGRAM, 0);
	char buf[64];
	ssize_t n;

	CHECK(s >= 0 && c >= 0, "UDP socket()");
	CHECK(bind(s, (struct sockaddr *)&a, sizeof(a)) == 0, "UDP bind()");
	CHECK(sendto(c, "datagram", 8, 0, (struct sockaddr *)&a,
		     sizeof(a)) == 8,
	      "UDP sendto()");
	n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
	CHECK(n == 8 && memcmp(buf, "datagram", 8) == 0 &&
		      from.sin_addr.s_addr == own_addr,
	      "UDP recvfrom() gets it, from the sender's address");
	/* Nothing more: a non-blocking receive says so. */
	errno = 0;
	CHECK(recv(s, buf, sizeof(buf), MSG_DONTWAIT) < 0 &&
		      (errno == EAGAIN || errno == EWOULDBLOCK),
	      "recv(MSG_DONTWAIT) on an empty socket: EAGAIN");
	/* A polling loop (MSG_DONTWAIT until data comes) must let the stack
	 * deliver the datagram: each EAGAIN yields the CPU. */
	sendto(c, "again", 5, 0, (struct sockaddr *)&a, sizeof(a));
	n = -1;
	for (int spins = 0; spins < 100000 && n < 0; spins++)
		n = recv(s, buf, sizeof(buf), MSG_DONTWAIT);
	CHECK(n == 5, "a MSG_DONTWAIT polling loop receives the datagram");
	close(s);
	close(c);
}

static void name_checks(void)
{
	struct addrinfo hints, *res = NULL;
	struct sockaddr_in *sin;
	struct in_addr ia;
	char text[INET_ADDRSTRLEN];
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo("localhost", "http", &hints, &res);
	sin = res ? (struct sockaddr_in *)res->ai_addr : NULL;
	check(rc == 0 && res->ai_family == AF_INET &&
		      sin->sin_addr.s_addr == htonl(INADDR_LOOPBACK) &&
		      sin->sin_port == htons(80),
	      "getaddrinfo(\"localhost\", \"http\")", gai_strerror(rc));
	freeaddrinfo(res);
	rc = getaddrinfo("10.1.2.3", "8080", &hints, &res);
	check(rc == 0 && res &&
		      ((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr ==
			      inet_addr("10.1.2.3"),
	      "getaddrinfo() of a numeric address", gai_strerror(rc));
	freeaddrinfo(res);
	check(inet_pton(AF_INET, "192.168.1.20", &ia) == 1 &&
		      inet_ntop(AF_INET, &ia, text, sizeof(text)) &&
		      strcmp(text, "192.168.1.20") == 0,
	      "inet_pton/inet_ntop round trip", text);
	check(inet_pton(AF_INET, "1.2.3.256", &ia) == 0 &&
		      inet_addr("127.1") == htonl(0x7f000001),
	      "inet_pton rejects junk, inet_addr takes 127.1", "wrong");
}

static void error_checks(void)
{
	struct sockaddr_in a = own_address((unsigned short)(port + 2));
	char c;
	int s;

	s = socket(AF_INET, SOCK_STREAM, 0);
	errno = 0;
	CHECK(connect(s, (struct sockaddr *)&a, sizeof(a)) < 0 &&
		      errno == ECONNREFUSED,
	      "connect() to a closed port: ECONNREFUSED");
	close(s);
	errno = 0;
	CHECK(read(s, &c, 1) < 0 && errno == EBADF,
	      "read() on a closed descriptor: EBADF");
	errno = 0;
	CHECK(send(1, "x", 1, 0) < 0 && errno == ENOTSOCK,
	      "send() on the console: ENOTSOCK");
	errno = 0;
	CHECK(socket(AF_INET6, SOCK_STREAM, 0) < 0 && errno == EAFNOSUPPORT,
	      "socket(AF_INET6): EAFNOSUPPORT");
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct in_addr ia;

	own_addr = htonl(INADDR_LOOPBACK);
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "port=", 5) == 0) {
			port = (unsigned short)atoi(argv[i] + 5);
		} else if (strncmp(argv[i], "bytes=", 6) == 0) {
			bulk_bytes = strtoul(argv[i] + 6, NULL, 0);
		} else if (strncmp(argv[i], "addr=", 5) == 0) {
			if (inet_pton(AF_INET, argv[i] + 5, &ia) != 1) {
				printf("sockcheck: bad %s\n", argv[i]);
				return 2;
			}
			own_addr = ia.s_addr;
		}
	}
	ia.s_addr = own_addr;
	printf("sockcheck: over %s\n", inet_ntoa(ia));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	tcp_checks();
	udp_checks();
	name_checks();
	error_checks();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("sockcheck: %d checks, %d failed, %lld ms\n", checks, failures,
	       (long long)((t1.tv_sec - t0.tv_sec) * 1000 +
			   (t1.tv_nsec - t0.tv_nsec) / 1000000));
	puts(failures ? "sockcheck: FAIL" : "sockcheck: PASS");
	return failures ? 1 : 0;
}
