/*
 * timerfd_ticker.c - event loop timers for the connection front end.  One
 * periodic timerfd drives housekeeping; every connection has a one-shot idle
 * timerfd that is re-armed on traffic.  epoll keys are (slot << 8 | kind).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define TICKER_MAX_CONNS 256
#define EV_KEY(kind, slot) (((uint64_t)(slot) << 8) | (kind))

enum { EV_TICK = 1, EV_SOCK = 2, EV_IDLE = 3 };

struct conn {
	int      sock;
	int      idle_fd;
	int      slot;
	int      paused;
	unsigned idle_ms;
};

struct ticker {
	int          epfd;
	int          tick_fd;
	struct conn *conns[TICKER_MAX_CONNS];
};

extern int  proto_handshake_step(int sock);	/* 1 done, 0 again, <0 error */
extern void proto_on_readable(struct conn *c);
extern void stats_flush(void);
extern void log_msg(int level, const char *fmt, ...);

static void ts_from_ms(struct timespec *ts, unsigned ms)
{
	ts->tv_sec = ms / 1000;
	ts->tv_nsec = (long)(ms % 1000) * 1000000L;
}

/* Returns a non-blocking timerfd that expires once after @ms, or -1. */
static int make_oneshot(unsigned ms)
{
	struct itimerspec its = { 0 };
	int fd;

	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0)
		return -1;
	ts_from_ms(&its.it_value, ms);
	if (timerfd_settime(fd, 0, &its, NULL) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int ticker_init(struct ticker *tk, unsigned period_ms)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct itimerspec its = { 0 };

	memset(tk, 0, sizeof(*tk));
	tk->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (tk->epfd < 0)
		return -errno;
	tk->tick_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (tk->tick_fd < 0)
		goto fail;
	ts_from_ms(&its.it_value, period_ms);
	its.it_interval = its.it_value;
	if (timerfd_settime(tk->tick_fd, 0, &its, NULL) < 0)
		goto fail;
	ev.data.u64 = EV_KEY(EV_TICK, 0);
	if (epoll_ctl(tk->epfd, EPOLL_CTL_ADD, tk->tick_fd, &ev) < 0)
		goto fail;
	return 0;

fail:
	if (tk->tick_fd >= 0)
		close(tk->tick_fd);
	close(tk->epfd);
	return -1;
}

struct conn *conn_attach(struct ticker *tk, int sock, unsigned idle_ms)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct conn *c;
	int slot;

	for (slot = 0; slot < TICKER_MAX_CONNS; slot++)
		if (!tk->conns[slot])
			break;
	if (slot == TICKER_MAX_CONNS || !(c = calloc(1, sizeof(*c))))
		return NULL;
	c->sock = sock;
	c->slot = slot;
	c->idle_ms = idle_ms;
	c->idle_fd = make_oneshot(idle_ms);
	if (c->idle_fd < 0)
		goto fail_free;
	ev.data.u64 = EV_KEY(EV_IDLE, slot);
	if (epoll_ctl(tk->epfd, EPOLL_CTL_ADD, c->idle_fd, &ev) < 0)
		goto fail_timer;
	ev.data.u64 = EV_KEY(EV_SOCK, slot);
	if (epoll_ctl(tk->epfd, EPOLL_CTL_ADD, sock, &ev) < 0)
		goto fail_epoll;
	tk->conns[slot] = c;
	return c;

fail_epoll:
	epoll_ctl(tk->epfd, EPOLL_CTL_DEL, c->idle_fd, NULL);
fail_timer:
	close(c->idle_fd);
fail_free:
	free(c);
	return NULL;
}

void conn_touch(struct conn *c)
{
	struct itimerspec its = { 0 };
	if (c->paused)
		return;
	ts_from_ms(&its.it_value, c->idle_ms);
	timerfd_settime(c->idle_fd, 0, &its, NULL);
}

/* Flow control: while the peer is stalled on our side, don't time it out. */
void conn_pause(struct conn *c)
{
	struct itimerspec its = { 0 };
	if (c->paused)
		return;
	timerfd_settime(c->idle_fd, 0, &its, NULL);
	c->paused = 1;
}

void conn_detach(struct ticker *tk, struct conn *c)
{
	epoll_ctl(tk->epfd, EPOLL_CTL_DEL, c->sock, NULL);
	epoll_ctl(tk->epfd, EPOLL_CTL_DEL, c->idle_fd, NULL);
	close(c->idle_fd);
	close(c->sock);
	tk->conns[c->slot] = NULL;
	free(c);
}

/* New idle timeout on a fresh fd, so a queued expiry of the old one is dropped. */
int conn_set_idle(struct ticker *tk, struct conn *c, unsigned idle_ms)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct itimerspec its = { 0 };
	int fd, old;

	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	ts_from_ms(&its.it_value, idle_ms);
	if (timerfd_settime(fd, 0, &its, NULL) < 0)
		goto fail;
	ev.data.u64 = EV_KEY(EV_IDLE, c->slot);
	old = c->idle_fd;
	epoll_ctl(tk->epfd, EPOLL_CTL_DEL, old, NULL);
	if (epoll_ctl(tk->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		close(fd);
		/* keep the old deadline so the connection still expires */
		epoll_ctl(tk->epfd, EPOLL_CTL_ADD, old, &ev);
		goto fail;
	}
	close(old);
	c->idle_fd = fd;
	c->idle_ms = idle_ms;
	return 0;

fail:
	close(fd); /* expect: use-after-release */
	return -1;
}

/* Synchronous handshake before the socket joins the event loop. */
int conn_handshake(int sock, unsigned timeout_ms)
{
	struct itimerspec its = { 0 };
	struct pollfd pfd[2];
	int tfd, rc;

	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); /* expect: missing-stop */
	if (tfd < 0)
		return -errno;
	ts_from_ms(&its.it_value, timeout_ms);
	if (timerfd_settime(tfd, 0, &its, NULL) < 0) {
		rc = -errno;
		close(tfd);
		return rc;
	}
	pfd[0].fd = sock;
	pfd[1].fd = tfd;
	pfd[0].events = pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (pfd[1].revents & POLLIN) {
			rc = -ETIMEDOUT;
			break;
		}
		if (pfd[0].revents & (POLLERR | POLLHUP))
			return -ECONNRESET;
		rc = proto_handshake_step(sock);
		if (rc != 0)
			break;
	}
	close(tfd);
	return rc < 0 ? rc : 0;
}

/* Expirations folded into an earlier wakeup; a loaded host gets padded timeouts. */
long ticker_measure_coalesce(unsigned period_ms, unsigned rounds)
{
	struct itimerspec its = { 0 };
	uint64_t n, total = 0, wakeups = 0;
	int fd;

	fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); /* expect: disarmed-not-released */
	if (fd < 0)
		return -1;
	ts_from_ms(&its.it_value, period_ms);
	its.it_interval = its.it_value;
	if (timerfd_settime(fd, 0, &its, NULL) < 0) {
		close(fd);
		return -1;
	}
	while (wakeups < rounds) {
		if (read(fd, &n, sizeof(n)) != sizeof(n)) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		total += n;
		wakeups++;
	}
	memset(&its, 0, sizeof(its));
	timerfd_settime(fd, 0, &its, NULL);
	return (long)(total - wakeups);
}

int ticker_run_once(struct ticker *tk, int timeout_ms)
{
	struct epoll_event evs[64];
	uint64_t n;
	int nev, i;

	nev = epoll_wait(tk->epfd, evs, 64, timeout_ms);
	if (nev < 0)
		return errno == EINTR ? 0 : -errno;
	for (i = 0; i < nev; i++) {
		unsigned kind = evs[i].data.u64 & 0xff;
		unsigned slot = evs[i].data.u64 >> 8;
		struct conn *c = slot < TICKER_MAX_CONNS ? tk->conns[slot] : NULL;

		if (kind == EV_TICK) {
			if (read(tk->tick_fd, &n, sizeof(n)) == sizeof(n))
				stats_flush();
		} else if (kind == EV_IDLE && c) {
			if (read(c->idle_fd, &n, sizeof(n)) != sizeof(n))
				continue;
			log_msg(LOG_INFO, "conn %d idle for %u ms", c->sock, c->idle_ms);
			conn_detach(tk, c);
		} else if (kind == EV_SOCK && c) {
			proto_on_readable(c);
			conn_touch(c);
		}
	}
	return nev;
}

void ticker_shutdown(struct ticker *tk)
{
	int slot;

	for (slot = 0; slot < TICKER_MAX_CONNS; slot++)
		if (tk->conns[slot])
			conn_detach(tk, tk->conns[slot]);
	epoll_ctl(tk->epfd, EPOLL_CTL_DEL, tk->tick_fd, NULL);
	close(tk->tick_fd);
	close(tk->epfd);
}
