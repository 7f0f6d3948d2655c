/*
 * httpd: a small HTTP/1.1 server in ordinary POSIX socket code.
 *
 *   /             the files of apps/httpd/www/, baked into the image
 *   /stats        uptime, requests, connections, heap, checksum offload
 *                 counters of the first network device (JSON)
 *   /bytes/N      N bytes of "abc...z" repeated (transfer tests)
 *
 * max_conn= worker threads each accept a connection and serve it to its
 * end, so that many clients are served at once (Mica threads are
 * cooperative: a thread blocked in recv or send lets the others run) and
 * further ones wait in the listen backlog. Keep-alive and pipelined
 * requests; a connection idle for idle= seconds is closed.
 *
 * Arguments: port=N (8080), idle=S (5), max_conn=N (64),
 *            requests=N (exit 0 after N requests; default: run forever)
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <mica/heap.h>
#include <mica/netdev.h>
#include <mica/sched.h>
#include <mica/xen/grant.h>

#define REQ_BUF 8192
#define CONN_STACK (32 * 1024)
#define SMALL_BODY 8192		/* sent in one write with the header */

struct embedded_file {
	const char *path;
	const unsigned char *data;
	size_t size;
};
extern const struct embedded_file embedded_files[];
extern const size_t embedded_files_count;

static int port = 8080, idle_s = 5, max_conn = 64;
static unsigned long quit_after;

static struct {
	unsigned long requests, conns_total, timeouts, errors;
	int conns_open;
	unsigned long long bytes_out;
} stats;
static uint64_t start_ns;
static int listen_fd;

struct conn {
	int fd;
	char buf[REQ_BUF];
	size_t len;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
		stats.bytes_out += (unsigned long long)n;
	}
	return 0;
}

static const char *content_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".css", "text/css" },
		{ ".js", "text/javascript" },
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".json", "application/json" },
		{ ".png", "image/png" },
		{ ".svg", "image/svg+xml" },
		{ ".ico", "image/x-icon" },
	};
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* The header block of a response, into @out; returns its length. */
static size_t header(char *out, size_t size, int status, const char *reason,
		     const char *type, unsigned long long length, int keep)
{
	char date[40] = "";
	struct tm tm;
	time_t t = time(NULL);
	int n;

	if (gmtime_r(&t, &tm))
		strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	n = snprintf(out, size,
		     "HTTP/1.1 %d %s\r\n"
		     "Server: Mica httpd\r\n"
		     "Date: %s\r\n"
		     "Content-Type: %s\r\n"
		     "Content-Length: %llu\r\n"
		     "Connection: %s\r\n"
		     "\r\n",
		     status, reason, date, type, length,
		     keep ? "keep-alive" : "close");
	return n < 0 ? 0 : (size_t)n >= size ? size - 1 : (size_t)n;
}

/* A whole response with a body held in memory. */
static int respond(int fd, int status, const char *reason, const char *type,
		   const void *body, size_t len, int head_only, int keep)
{
	char small[512 + SMALL_BODY];
	size_t h = header(small, 512, status, reason, type, len, keep);

	if (head_only)
		return send_all(fd, small, h);
	if (len <= SMALL_BODY) {
		memcpy(small + h, body, len);
		return send_all(fd, small, h + len);
	}
	if (send_all(fd, small, h) < 0)
		return -1;
	return send_all(fd, body, len);
}

static int error_page(int fd, int status, const char *reason, int keep)
{
	char body[128];
	int n = snprintf(body, sizeof(body), "%d %s\n", status, reason);

	return respond(fd, status, reason, "text/plain; charset=utf-8", body,
		       (size_t)n, 0, keep);
}

static int serve_stats(int fd, int head_only, int keep)
{
	struct netdev_csum_stats cs = { 0 };
	struct netdev *dev = netdev_first();
	struct heap_stats hs;
	char body[1024];
	int n;

	heap_get_stats(&hs);
	if (dev)
		cs = dev->csum;
	n = snprintf(body, sizeof(body),
		     "{\n"
		     "  \"uptime_ms\": %llu,\n"
		     "  \"requests\": %lu,\n"
		     "  \"connections\": { \"open\": %d, \"total\": %lu, "
		     "\"idle_timeouts\": %lu, \"errors\": %lu },\n"
		     "  \"bytes_sent\": %llu,\n"
		     "  \"threads\": %u,\n"
		     "  \"heap\": { \"arena_bytes\": %zu, \"used_bytes\": %zu, "
		     "\"allocs\": %zu, \"frees\": %zu },\n"
		     "  \"checksums\": { \"tx_offloaded\": %lu, "
		     "\"tx_software\": %lu, \"rx_device\": %lu, "
		     "\"rx_software\": %lu, \"rx_bad_csum\": %lu, "
		     "\"rx_bad_hdr\": %lu },\n"
		     "  \"grants\": { \"in_use\": %u, \"table\": %u }\n"
		     "}\n",
		     (unsigned long long)((now_ns() - start_ns) / 1000000),
		     stats.requests, stats.conns_open, stats.conns_total,
		     stats.timeouts, stats.errors, stats.bytes_out,
		     thread_count(), hs.arena_bytes, hs.used_bytes, hs.allocs,
		     hs.frees, cs.tx_offloaded, cs.tx_software, cs.rx_device,
		     cs.rx_software, cs.rx_bad_csum, cs.rx_bad_hdr,
		     gnttab_refs_in_use(), gnttab_nr_refs());
	return respond(fd, 200, "OK", "application/json", body, (size_t)n,
		       head_only, keep);
}

/* /bytes/N: N bytes of the alphabet, over and over. */
static int serve_bytes(int fd, const char *arg, int head_only, int keep)
{
	static char chunk[26 * 630];
	char hdr[512], *end;
	unsigned long long n = strtoull(arg, &end, 10);
	size_t h;

	if (end == arg || *end || n > (64ULL << 20))
		return error_page(fd, 400, "Bad Request", keep);
	if (!chunk[0])
		for (size_t i = 0; i < sizeof(chunk); i++)
			chunk[i] = (char)('a' + i % 26);
	h = header(hdr, sizeof(hdr), 200, "OK", "application/octet-stream", n,
		   keep);
	if (send_all(fd, hdr, h) < 0)
		return -1;
	while (!head_only && n) {
		size_t k = n < sizeof(chunk) ? (size_t)n : sizeof(chunk);

		if (send_all(fd, chunk, k) < 0)
			return -1;
		n -= k;
	}
	return 0;
}

static int serve_path(int fd, char *path, int head_only, int keep)
{
	char *q = strchr(path, '?');

	if (q)
		*q = '\0';
	if (strcmp(path, "/stats") == 0)
		return serve_stats(fd, head_only, keep);
	if (strncmp(path, "/bytes/", 7) == 0)
		return serve_bytes(fd, path + 7, head_only, keep);
	if (strcmp(path, "/") == 0)
		path = "/index.html";
	for (size_t i = 0; i < embedded_files_count; i++) {
		const struct embedded_file *f = &embedded_files[i];

		if (strcmp(path, f->path) == 0)
			return respond(fd, 200, "OK", content_type(f->path),
				       f->data, f->size, head_only, keep);
	}
	return error_page(fd, 404, "Not Found", keep);
}

/* The value of header @name in the block [@p, @end), or NULL. */
static const char *find_header(const char *p, const char *end,
			       const char *name, size_t *vlen)
{
	size_t nlen = strlen(name);

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > nlen && p[nlen] == ':' &&
		    strncasecmp(p, name, nlen) == 0) {
			const char *v = p + nlen + 1;

			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			*vlen = (size_t)(eol - v);
			while (*vlen && (v[*vlen - 1] == '\r' ||
					 v[*vlen - 1] == ' '))
				(*vlen)--;
			return v;
		}
		p = eol + 1;
	}
	return NULL;
}

static int has_token(const char *v, size_t len, const char *token)
{
	size_t tlen = strlen(token);

	for (size_t i = 0; v && i + tlen <= len; i++)
		if (strncasecmp(v + i, token, tlen) == 0)
			return 1;
	return 0;
}

/*
 * Handle the request at the front of c->buf (its header block ends at
 * @hdr_end). Returns 1 to keep the connection, 0 to close it.
 */
static int handle(struct conn *c, char *hdr_end)
{
	char *line_end = memchr(c->buf, '\n', (size_t)(hdr_end - c->buf));
	char method[8], path[1024], version[16];
	const char *v;
	size_t vlen = 0;
	int keep, head_only, n11, ok;

	*line_end = '\0';
	if (sscanf(c->buf, "%7s %1023s %15s", method, path, version) != 3 ||
	    strncmp(version, "HTTP/1.", 7) != 0 || path[0] != '/') {
		error_page(c->fd, 400, "Bad Request", 0);
		return 0;
	}
	*line_end = '\n';
	n11 = strcmp(version, "HTTP/1.0") != 0;
	v = find_header(line_end + 1, hdr_end, "Connection", &vlen);
	keep = n11 ? !has_token(v, vlen, "close")
		   : has_token(v, vlen, "keep-alive");
	/* No request bodies here: refuse one rather than misread it. */
	v = find_header(line_end + 1, hdr_end, "Content-Length", &vlen);
	if ((v && strtoul(v, NULL, 10) > 0) ||
	    find_header(line_end + 1, hdr_end, "Transfer-Encoding", &vlen)) {
		error_page(c->fd, 413, "Content Too Large", 0);
		return 0;
	}
	head_only = strcmp(method, "HEAD") == 0;
	if (!head_only && strcmp(method, "GET") != 0)
		ok = error_page(c->fd, 405, "Method Not Allowed", keep) == 0;
	else
		ok = serve_path(c->fd, path, head_only, keep) == 0;
	stats.requests++;
	if (!ok)
		stats.errors++;
	if (quit_after && stats.requests >= quit_after) {
		close(c->fd);
		printf("httpd: %lu requests served, exiting\n", stats.requests);
		exit(0);
	}
	return ok && keep;
}

static void serve(struct conn *c)
{
	struct timeval idle = { idle_s, 0 }, stuck = { 30, 0 };
	int one = 1;

	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof(idle));
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &stuck, sizeof(stuck));
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->len = 0;
	for (;;) {
		char *end;
		size_t used;

		/* Read until a whole header block is in the buffer. */
		c->buf[c->len] = '\0';
		while (!(end = strstr(c->buf, "\r\n\r\n"))) {
			ssize_t n;

			if (c->len >= sizeof(c->buf) - 1) {
				error_page(c->fd, 431,
					   "Request Header Fields Too Large",
					   0);
				return;
			}
			n = recv(c->fd, c->buf + c->len,
				 sizeof(c->buf) - 1 - c->len, 0);
			if (n <= 0) {
				if (n < 0 && (errno == EAGAIN ||
					      errno == EWOULDBLOCK))
					stats.timeouts++;
				return;
			}
			c->len += (size_t)n;
			c->buf[c->len] = '\0';
		}
		used = (size_t)(end + 4 - c->buf);
		if (!handle(c, end + 2))
			return;
		/* Pipelined requests stay for the next round. */
		memmove(c->buf, c->buf + used, c->len - used);
		c->len -= used;
	}
}

static void worker(void *arg)
{
	struct conn *c = arg;

	for (;;) {
		c->fd = accept(listen_fd, NULL, NULL);
		if (c->fd < 0) {
			/* Out of descriptors or memory: let others finish. */
			fprintf(stderr, "httpd: accept: %s\n", strerror(errno));
			usleep(100000);
			continue;
		}
		stats.conns_open++;
		stats.conns_total++;
		serve(c);
		close(c->fd);
		stats.conns_open--;
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in a;
	int ls, one = 1;

	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "port=", 5) == 0)
			port = atoi(argv[i] + 5);
		else if (strncmp(argv[i], "idle=", 5) == 0)
			idle_s = atoi(argv[i] + 5);
		else if (strncmp(argv[i], "max_conn=", 9) == 0)
			max_conn = atoi(argv[i] + 9);
		else if (strncmp(argv[i], "requests=", 9) == 0)
			quit_after = strtoul(argv[i] + 9, NULL, 10);
		else {
			fprintf(stderr, "httpd: unknown argument '%s' (port= "
				"idle= max_conn= requests=)\n", argv[i]);
			return 2;
		}
	}
	if (port <= 0 || port > 65535 || idle_s <= 0 || max_conn <= 0) {
		fprintf(stderr, "httpd: bad port=, idle= or max_conn=\n");
		return 2;
	}
	start_ns = now_ns();
	listen_fd = ls = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	if (ls < 0 ||
	    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(ls, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(ls, SOMAXCONN) < 0) {
		fprintf(stderr, "httpd: cannot listen on port %d: %s\n", port,
			strerror(errno));
		return 1;
	}
	/* max_conn - 1 worker threads, and main is the last one. */
	for (int i = 0; i < max_conn; i++) {
		struct conn *c = malloc(sizeof(*c));

		if (!c) {
			fprintf(stderr, "httpd: out of memory for worker %d "
				"of %d\n", i + 1, max_conn);
			return 1;
		}
		if (i < max_conn - 1) {
			if (!thread_create_sized("http", worker, c,
						 CONN_STACK)) {
				fprintf(stderr, "httpd: out of memory for "
					"worker %d of %d\n", i + 1, max_conn);
				return 1;
			}
			continue;
		}
		printf("httpd: listening on port %d (%zu files, idle timeout "
		       "%d s, %d workers)\n",
		       port, embedded_files_count, idle_s, max_conn);
		worker(c);
	}
	return 0;
}
