/* leased: DHCP-like lease server; "REQUEST <mac> [host]" / "RELEASE <mac>" over UDP. */
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

int arp_probe_send(uint32_t addr);     /* arp.c */
int arp_probe_answered(uint32_t addr); /* arp.c */
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#define LEASE_SECS        3600
#define STATS_INTERVAL_MS 60000
#define PREFLIGHT_ADDRS   4
#define PREFLIGHT_WAIT_MS 200

struct lease {
	uv_timer_t expiry;
	struct lease_server *srv;
	struct lease *next;
	uint32_t addr;
	char mac[18];
	char *hostname;
};

struct lease_server {
	uv_loop_t *loop;
	uv_udp_t sock;
	uv_timer_t stats_timer;
	struct lease *leases;
	uint32_t pool_start;
	unsigned pool_size;
	unsigned pending_replies;
	unsigned long expired_total;
};

struct reply {
	uv_udp_send_t req; /* req.data: the server */
	char buf[64];
};

static void lease_close_cb(uv_handle_t *h)
{
	struct lease *l = container_of((uv_timer_t *)h, struct lease, expiry);
	free(l->hostname);
	free(l);
}

/* Closing also stops the timer; the record is freed once libuv is done with it. */
static void lease_drop(struct lease *l)
{
	struct lease **pp;
	for (pp = &l->srv->leases; *pp != l; pp = &(*pp)->next)
		;
	*pp = l->next;
	uv_close((uv_handle_t *)&l->expiry, lease_close_cb);
}

static void lease_expire_cb(uv_timer_t *t)
{
	struct lease *l = container_of(t, struct lease, expiry);
	l->srv->expired_total++;
	lease_drop(l);
}

static struct lease *lease_find(struct lease_server *srv, const char *mac)
{
	for (struct lease *l = srv->leases; l != NULL; l = l->next)
		if (strcmp(l->mac, mac) == 0)
			return l;
	return NULL;
}

static uint32_t pool_next_free(struct lease_server *srv)
{
	struct lease *l;
	for (unsigned i = 0; i < srv->pool_size; i++) {
		for (l = srv->leases; l != NULL && l->addr != srv->pool_start + i; l = l->next)
			;
		if (l == NULL)
			return srv->pool_start + i;
	}
	return 0;
}

static struct lease *lease_new(struct lease_server *srv, const char *mac, const char *hostname)
{
	struct lease *l = calloc(1, sizeof(*l));
	if (l == NULL)
		return NULL;
	if (uv_timer_init(srv->loop, &l->expiry) != 0) { /* expect: missing-stop */
		free(l);
		return NULL;
	}
	l->srv = srv;
	snprintf(l->mac, sizeof(l->mac), "%s", mac);
	if (hostname != NULL) {
		l->hostname = strdup(hostname);
		if (l->hostname == NULL) {
			free(l);
			return NULL;
		}
	}
	return l;
}

static int lease_grant(struct lease_server *srv, const char *mac, const char *host, uint32_t *addr_out)
{
	struct lease *l = lease_find(srv, mac);
	uint32_t addr;
	int rc;
	if (l != NULL) { /* renewal: restarting an active timer just moves its deadline */
		*addr_out = l->addr;
		return uv_timer_start(&l->expiry, lease_expire_cb, LEASE_SECS * 1000ULL, 0);
	}
	addr = pool_next_free(srv);
	if (addr == 0)
		return UV_EADDRNOTAVAIL;
	l = lease_new(srv, mac, host);
	if (l == NULL)
		return UV_ENOMEM;
	l->addr = addr;
	rc = uv_timer_start(&l->expiry, lease_expire_cb, LEASE_SECS * 1000ULL, 0);
	if (rc != 0) {
		uv_close((uv_handle_t *)&l->expiry, lease_close_cb);
		return rc;
	}
	l->next = srv->leases;
	srv->leases = l;
	*addr_out = addr;
	return 0;
}

static void reply_sent_cb(uv_udp_send_t *req, int status)
{
	struct lease_server *srv = req->data;
	(void)status; /* UDP: nothing to retry */
	srv->pending_replies--;
	free(container_of(req, struct reply, req));
}

static void send_reply(struct lease_server *srv, const struct sockaddr *to, const char *text)
{
	struct reply *rp = malloc(sizeof(*rp));
	uv_buf_t buf;
	if (rp == NULL)
		return;
	rp->req.data = srv;
	snprintf(rp->buf, sizeof(rp->buf), "%s\n", text);
	buf = uv_buf_init(rp->buf, (unsigned)strlen(rp->buf));
	if (uv_udp_send(&rp->req, &srv->sock, &buf, 1, to, reply_sent_cb) == 0)
		srv->pending_replies++;
	else
		free(rp);
}

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	static char slab[512];
	(void)h, (void)suggested;
	*buf = uv_buf_init(slab, sizeof(slab) - 1);
}

static void recv_cb(uv_udp_t *sock, ssize_t n, const uv_buf_t *buf, const struct sockaddr *from,
		    unsigned flags)
{
	struct lease_server *srv = sock->data;
	char mac[18], host[64] = "", text[48];
	struct lease *l;
	uint32_t addr;
	(void)flags;
	if (n <= 0 || from == NULL)
		return;
	buf->base[n] = '\0';
	if (sscanf(buf->base, "REQUEST %17s %63s", mac, host) >= 1) {
		if (lease_grant(srv, mac, host[0] ? host : NULL, &addr) != 0) {
			send_reply(srv, from, "NAK");
			return;
		}
		snprintf(text, sizeof(text), "ACK %u.%u.%u.%u %u", addr >> 24, (addr >> 16) & 0xff,
			 (addr >> 8) & 0xff, addr & 0xff, LEASE_SECS);
		send_reply(srv, from, text);
	} else if (sscanf(buf->base, "RELEASE %17s", mac) == 1 && (l = lease_find(srv, mac)) != NULL) {
		uv_timer_stop(&l->expiry);
		lease_drop(l);
	}
}

static void stats_cb(uv_timer_t *t)
{
	struct lease_server *srv = t->data;
	fprintf(stderr, "leased: %lu leases expired so far\n", srv->expired_total);
}

static void set_flag_cb(uv_timer_t *t)
{
	*(int *)t->data = 1;
}

/* Before serving, check that nobody already answers for the first pool addresses. */
static unsigned pool_preflight(struct lease_server *srv)
{
	uv_timer_t settle;
	unsigned i, conflicts = 0;
	int have_timer = 0, fired;
	for (i = 0; i < PREFLIGHT_ADDRS && i < srv->pool_size; i++) {
		if (uv_timer_init(srv->loop, &settle) != 0) /* expect: created-in-loop */
			break;
		have_timer = 1;
		fired = 0;
		settle.data = &fired;
		arp_probe_send(srv->pool_start + i);
		uv_timer_start(&settle, set_flag_cb, PREFLIGHT_WAIT_MS, 0);
		while (!fired)
			uv_run(srv->loop, UV_RUN_ONCE);
		if (arp_probe_answered(srv->pool_start + i))
			conflicts++;
	}
	if (have_timer) {
		uv_close((uv_handle_t *)&settle, NULL);
		uv_run(srv->loop, UV_RUN_DEFAULT);
	}
	return conflicts;
}

int lease_server_start(struct lease_server *srv, uv_loop_t *loop, const char *ip, int port,
		       uint32_t pool_start, unsigned pool_size)
{
	struct sockaddr_in sa;
	unsigned conflicts;
	int rc;
	memset(srv, 0, sizeof(*srv));
	srv->loop = loop;
	srv->pool_start = pool_start;
	srv->pool_size = pool_size;
	if ((conflicts = pool_preflight(srv)) > 0)
		fprintf(stderr, "leased: %u pool addresses already in use\n", conflicts);
	rc = uv_timer_init(loop, &srv->stats_timer);
	if (rc != 0)
		return rc;
	srv->stats_timer.data = srv;
	rc = uv_udp_init(loop, &srv->sock);
	if (rc != 0)
		goto close_timer;
	srv->sock.data = srv;
	rc = uv_ip4_addr(ip, port, &sa);
	if (rc == 0)
		rc = uv_udp_bind(&srv->sock, (const struct sockaddr *)&sa, UV_UDP_REUSEADDR);
	if (rc == 0)
		rc = uv_udp_recv_start(&srv->sock, alloc_cb, recv_cb);
	if (rc != 0)
		goto close_sock;
	uv_timer_start(&srv->stats_timer, stats_cb, STATS_INTERVAL_MS, STATS_INTERVAL_MS);
	return 0;
close_sock:
	uv_close((uv_handle_t *)&srv->sock, NULL);
close_timer:
	uv_close((uv_handle_t *)&srv->stats_timer, NULL);
	return rc;
}

/* Give queued replies a chance to leave before the socket goes away. */
static int flush_replies(struct lease_server *srv, unsigned timeout_ms)
{
	uv_timer_t deadline;
	int expired = 0;
	if (srv->pending_replies == 0)
		return 0;
	if (uv_timer_init(srv->loop, &deadline) != 0) /* expect: disarmed-not-released */
		return -1;
	deadline.data = &expired;
	uv_timer_start(&deadline, set_flag_cb, timeout_ms, 0);
	while (srv->pending_replies > 0 && !expired)
		uv_run(srv->loop, UV_RUN_ONCE);
	uv_timer_stop(&deadline);
	return expired ? -1 : 0;
}

static void shutdown_walk_cb(uv_handle_t *h, void *arg)
{
	struct lease_server *srv = arg;
	if (uv_is_closing(h))
		return;
	if (h->type == UV_TIMER && h != (uv_handle_t *)&srv->stats_timer)
		uv_close(h, lease_close_cb); /* a lease's expiry timer */
	else
		uv_close(h, NULL);
}

void lease_server_stop(struct lease_server *srv)
{
	uv_udp_recv_stop(&srv->sock);
	uv_timer_stop(&srv->stats_timer);
	flush_replies(srv, 500);
	/* closes the socket, the stats timer and every lease timer; lease_close_cb frees the leases */
	srv->leases = NULL;
	uv_walk(srv->loop, shutdown_walk_cb, srv);
	uv_run(srv->loop, UV_RUN_DEFAULT);
}
