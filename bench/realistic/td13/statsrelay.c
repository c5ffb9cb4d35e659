// scan: --link
/* statsrelay: counts statsd lines from local TCP clients (the listener hands
 * them over with conn_new()) and forwards a summary to a UDP collector. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/event.h>
#include <event2/event_struct.h> /* struct event embedded in struct upstream */
#include <event2/util.h>

#define FLUSH_INTERVAL_S 10
#define IDLE_TIMEOUT_S   60
#define RETRY_MIN_MS     250
#define RETRY_MAX_MS     30000

struct conn {
	struct relay *relay;
	evutil_socket_t fd;
	struct event *read_ev;
	struct event *idle_timer;
	struct conn *next;
};

struct upstream {
	struct sockaddr_storage addr;
	socklen_t addrlen;
	evutil_socket_t fd;
	struct event retry_timer; /* evtimer_assign()ed in upstream_new() */
	unsigned backoff_ms;
};

struct relay {
	struct event_base *base;
	struct event *flush_timer;
	struct conn *conns;
	struct upstream *up;
	unsigned long lines;
};

static void conn_free(struct conn *c)
{
	struct conn **pp;
	for (pp = &c->relay->conns; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	/* event_free() takes a pending event off the base itself */
	event_free(c->read_ev);
	event_free(c->idle_timer);
	evutil_closesocket(c->fd);
	free(c);
}

/* Push the idle deadline back: event_add() on a pending event moves its timeout. */
static void conn_touch(struct conn *c)
{
	static const struct timeval idle_tv = { IDLE_TIMEOUT_S, 0 };
	event_add(c->idle_timer, &idle_tv);
}

static void conn_idle_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	conn_free(arg);
}

static void conn_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	char buf[4096];
	ssize_t n, i;
	(void)what;
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0 && errno == EAGAIN)
		return;
	if (n <= 0) {
		conn_free(c);
		return;
	}
	for (i = 0; i < n; i++)
		if (buf[i] == '\n')
			c->relay->lines++;
	conn_touch(c);
}

struct conn *conn_new(struct relay *r, evutil_socket_t fd)
{
	struct conn *c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->relay = r;
	c->fd = fd;
	c->read_ev = event_new(r->base, fd, EV_READ | EV_PERSIST, conn_read_cb, c);
	c->idle_timer = evtimer_new(r->base, conn_idle_cb, c);
	if (c->read_ev == NULL || c->idle_timer == NULL || event_add(c->read_ev, NULL) < 0)
		goto fail;
	conn_touch(c);
	c->next = r->conns;
	r->conns = c;
	return c;
fail:
	if (c->idle_timer != NULL)
		event_free(c->idle_timer);
	if (c->read_ev != NULL)
		event_free(c->read_ev);
	free(c);
	return NULL;
}

static void upstream_schedule_retry(struct upstream *up)
{
	struct timeval tv;
	tv.tv_sec = up->backoff_ms / 1000;
	tv.tv_usec = (suseconds_t)(up->backoff_ms % 1000) * 1000;
	evtimer_add(&up->retry_timer, &tv); /* expect: field-never-stopped */
	if (up->backoff_ms < RETRY_MAX_MS)
		up->backoff_ms *= 2;
}

static void upstream_connect(struct upstream *up)
{
	evutil_socket_t fd;
	if (up->fd >= 0)
		return;
	fd = socket(up->addr.ss_family, SOCK_DGRAM, 0);
	if (fd < 0)
		goto retry;
	evutil_make_socket_nonblocking(fd);
	if (connect(fd, (struct sockaddr *)&up->addr, up->addrlen) < 0) {
		evutil_closesocket(fd);
		goto retry;
	}
	up->fd = fd;
	/* a retry can still be queued when the flush path got us connected first */
	evtimer_del(&up->retry_timer);
	up->backoff_ms = RETRY_MIN_MS;
	return;
retry:
	upstream_schedule_retry(up);
}

static void upstream_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	upstream_connect(arg);
}

static struct upstream *upstream_new(struct relay *r, const char *hostport)
{
	struct upstream *up = calloc(1, sizeof(*up));
	int len = (int)sizeof(up->addr);
	if (up == NULL)
		return NULL;
	up->fd = -1;
	up->backoff_ms = RETRY_MIN_MS;
	evtimer_assign(&up->retry_timer, r->base, upstream_retry_cb, up);
	if (evutil_parse_sockaddr_port(hostport, (struct sockaddr *)&up->addr, &len) < 0) {
		/* the retry timer was never added, a plain free is enough */
		free(up);
		return NULL;
	}
	up->addrlen = (socklen_t)len;
	return up;
}

static void upstream_free(struct upstream *up)
{
	if (up->fd >= 0)
		evutil_closesocket(up->fd);
	free(up);
}

/* SIGHUP: the collector moved. */
int relay_set_upstream(struct relay *r, const char *hostport)
{
	struct upstream *old = r->up, *up = upstream_new(r, hostport);
	if (up == NULL)
		return -1;
	r->up = up;
	upstream_connect(up);
	if (old != NULL)
		upstream_free(old);
	return 0;
}

static void relay_flush_cb(evutil_socket_t fd, short what, void *arg)
{
	struct relay *r = arg;
	char msg[64];
	int len;
	(void)fd, (void)what;
	if (r->lines == 0)
		return;
	if (r->up->fd < 0) {
		upstream_connect(r->up);
		return;
	}
	len = snprintf(msg, sizeof(msg), "statsrelay.lines:%lu|c\n", r->lines);
	if (send(r->up->fd, msg, (size_t)len, 0) == len)
		r->lines = 0;
}

static void relay_exit_cb(evutil_socket_t fd, short what, void *arg)
{
	struct event *self = arg;
	struct event_base *base = event_get_base(self);
	(void)fd, (void)what;
	event_free(self);
	event_base_loopbreak(base);
}

/* SIGTERM: push what we have, then give clients a moment before the loop stops. */
void relay_request_stop(struct relay *r)
{
	struct timeval grace = { 2, 0 };
	struct event *ev;
	relay_flush_cb(-1, EV_TIMEOUT, r);
	ev = evtimer_new(r->base, relay_exit_cb, event_self_cbarg());
	if (ev == NULL || evtimer_add(ev, &grace) < 0) {
		if (ev != NULL)
			event_free(ev);
		event_base_loopbreak(r->base);
	}
}

static void set_flag_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	*(int *)arg = 1;
}

/* --wait-upstream: do not report start-up success before the collector is reachable. */
int relay_wait_upstream(struct relay *r, unsigned timeout_s)
{
	struct timeval tv = { (time_t)timeout_s, 0 };
	struct event *give_up;
	int expired = 0;
	give_up = evtimer_new(r->base, set_flag_cb, &expired); /* expect: missing-stop */
	if (give_up == NULL)
		return -1;
	if (evtimer_add(give_up, &tv) < 0)
		return -1;
	while (r->up->fd < 0 && !expired)
		event_base_loop(r->base, EVLOOP_ONCE);
	event_free(give_up);
	return expired ? -1 : 0;
}

/* Keep serving connected clients until they all hung up or grace_ms passed. */
static int relay_drain(struct relay *r, unsigned grace_ms)
{
	struct timeval tv = { (time_t)(grace_ms / 1000), (suseconds_t)(grace_ms % 1000) * 1000 };
	struct event *deadline;
	int expired = 0;
	deadline = evtimer_new(r->base, set_flag_cb, &expired); /* expect: disarmed-not-released */
	if (deadline == NULL)
		return -1;
	evtimer_add(deadline, &tv);
	while (r->conns != NULL && !expired)
		event_base_loop(r->base, EVLOOP_ONCE);
	evtimer_del(deadline);
	return r->conns == NULL ? 0 : -1;
}

int relay_init(struct relay *r, const char *hostport)
{
	struct timeval flush_tv = { FLUSH_INTERVAL_S, 0 };
	memset(r, 0, sizeof(*r));
	r->base = event_base_new();
	if (r->base == NULL)
		return -1;
	r->flush_timer = event_new(r->base, -1, EV_PERSIST, relay_flush_cb, r);
	if (r->flush_timer == NULL)
		goto fail;
	r->up = upstream_new(r, hostport);
	if (r->up == NULL)
		goto fail_timer;
	event_add(r->flush_timer, &flush_tv);
	upstream_connect(r->up);
	return 0;
fail_timer:
	event_free(r->flush_timer);
fail:
	event_base_free(r->base);
	return -1;
}

void relay_shutdown(struct relay *r)
{
	relay_drain(r, 1000);
	while (r->conns != NULL)
		conn_free(r->conns);
	upstream_free(r->up);
	event_free(r->flush_timer);
	event_base_free(r->base);
}
