/* beacond.c - service discovery beacon daemon: multicast announces, delayed answers
 * to unicast "WHO" queries, a tiny control port; one epoll loop, signals via signalfd. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define BEACON_PORT 5454
#define ANNOUNCE_SECONDS 2
#define CONTROL_PORT 5455
#define BEACON_GROUP "239.255.54.54"
#define WATCHDOG_STALL_TICKS 3

enum src_kind { SRC_ANNOUNCE = 1, SRC_QUERY, SRC_CONTROL, SRC_SIGNAL };

struct beacond {
	int epfd, udp_fd, listen_fd, sig_fd, stalled_ticks;
	clockid_t clock;
	char name[64];
	atomic_ulong loop_iterations;
	unsigned long last_seen_iterations, queries, announces;
};

struct pending_reply { struct beacond *d; struct sockaddr_in to; size_t len; char payload[128]; };
struct control_conn { struct beacond *d; int fd; };

static struct beacond g_beacon;

static int watch_fd(struct beacond *d, int fd, enum src_kind kind)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = ((uint64_t)kind << 32) | (uint32_t)fd };
	return epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev);
}

static int open_socket(int type, uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };	/* INADDR_ANY */
	int one = 1, fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 16) < 0)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Prefer a clock that keeps counting across suspend when the kernel has one. */
static void refresh_clock_caps(struct beacond *d)
{
	d->clock = CLOCK_BOOTTIME;
	if (timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC) < 0) /* expect: handle-discarded */
		d->clock = CLOCK_MONOTONIC;
}

static int announce_init(struct beacond *d)
{
	struct itimerspec its = { .it_value = { .tv_nsec = 1000000L } };	/* first one right away */
	int fd;

	if ((fd = timerfd_create(d->clock, TFD_NONBLOCK | TFD_CLOEXEC)) < 0)
		return -1;
	its.it_interval.tv_sec = ANNOUNCE_SECONDS;
	if (timerfd_settime(fd, 0, &its, NULL) < 0 || watch_fd(d, fd, SRC_ANNOUNCE) < 0) {
		close(fd);
		return -1;
	}
	return 0;
}

/* SIGRTMIN every 10 s: the loop logs the counters. */
static int stats_timer_init(void)
{
	struct itimerspec its = { .it_interval = { .tv_sec = 10 }, .it_value = { .tv_sec = 10 } };
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN };
	timer_t t;

	if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
		return -1;
	if (timer_settime(t, 0, &its, NULL) != 0) {
		timer_delete(t);
		return -1;
	}
	return 0;
}

static void on_watchdog_tick(union sigval sv)
{
	struct beacond *d = sv.sival_ptr;
	unsigned long now = atomic_load(&d->loop_iterations);

	if (now != d->last_seen_iterations) {
		d->last_seen_iterations = now;
		d->stalled_ticks = 0;
	} else if (++d->stalled_ticks >= WATCHDOG_STALL_TICKS) {
		fprintf(stderr, "beacond: event loop stalled, exiting\n");
		exit(EXIT_FAILURE);
	}
}

static void *stats_writer_main(void *arg)
{
	struct beacond *d = arg;

	for (;; sleep(5)) {
		FILE *f = fopen("/run/beacond.stats", "w");

		if (!f)
			continue;
		fprintf(f, "queries %lu\nannounces %lu\n", d->queries, d->announces);
		fclose(f);
	}
	return NULL;
}

static void on_reply_due(union sigval sv)
{
	struct pending_reply *r = sv.sival_ptr;

	sendto(r->d->udp_fd, r->payload, r->len, 0, (struct sockaddr *)&r->to, sizeof(r->to));
	free(r);
}

/* Answer after 10-209 ms so that beacons on one segment do not answer in a burst. */
static int schedule_reply(struct beacond *d, const struct sockaddr_in *to)
{
	struct pending_reply *r = calloc(1, sizeof(*r));
	struct itimerspec its = { .it_value = { .tv_nsec = (long)(rand() % 200 + 10) * 1000000L } };
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD, .sigev_notify_function = on_reply_due,
				.sigev_value.sival_ptr = r };
	timer_t t;

	if (!r)
		return -1;
	r->d = d;
	r->to = *to;
	r->len = (size_t)snprintf(r->payload, sizeof(r->payload), "HERE %.63s\n", d->name);
	if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) { /* expect: missing-stop */
		free(r);
		return -1;
	}
	if (timer_settime(t, 0, &its, NULL) != 0) {
		timer_delete(t);
		free(r);
		return -1;
	}
	return 0;
}

static void handle_queries(struct beacond *d)
{
	char buf[256];

	for (;;) {
		struct sockaddr_in from;
		socklen_t fromlen = sizeof(from);
		ssize_t n = recvfrom(d->udp_fd, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&from, &fromlen);

		if (n <= 0)
			return;
		buf[n] = '\0';
		if (strncmp(buf, "WHO ", 4) != 0)
			continue;
		d->queries++;
		if (schedule_reply(d, &from) != 0)
			fprintf(stderr, "beacond: cannot schedule reply\n");
	}
}

static void *control_session(void *arg)
{
	struct control_conn *c = arg;

	dprintf(c->fd, "queries %lu announces %lu\n", c->d->queries, c->d->announces);
	close(c->fd);
	free(c);
	return NULL;
}

static void accept_clients(struct beacond *d)
{
	for (;;) {
		struct control_conn *c;
		pthread_t tid;
		int fd = accept4(d->listen_fd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR)
				continue;
			return;		/* EAGAIN: backlog drained */
		}
		if (!(c = malloc(sizeof(*c)))) {
			close(fd);
			continue;
		}
		c->d = d;
		c->fd = fd;
		if (pthread_create(&tid, NULL, control_session, c) != 0) { /* expect: created-in-loop */
			close(fd);
			free(c);
		}
	}
}

static void dispatch(struct beacond *d, uint64_t tag)
{
	struct sockaddr_in grp = { .sin_family = AF_INET, .sin_port = htons(BEACON_PORT) };
	struct signalfd_siginfo si;
	int fd = (int)(uint32_t)tag;
	char msg[96];
	uint64_t n;

	switch ((enum src_kind)(tag >> 32)) {
	case SRC_ANNOUNCE:
		if (read(fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
			break;
		inet_pton(AF_INET, BEACON_GROUP, &grp.sin_addr);
		n = (uint64_t)snprintf(msg, sizeof(msg), "HERE %.63s\n", d->name);
		if (sendto(d->udp_fd, msg, n, 0, (struct sockaddr *)&grp, sizeof(grp)) > 0)
			d->announces++;
		break;
	case SRC_QUERY:
		handle_queries(d);
		break;
	case SRC_CONTROL:
		accept_clients(d);
		break;
	case SRC_SIGNAL:
		while (read(d->sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
			if ((int)si.ssi_signo == SIGHUP)
				refresh_clock_caps(d);
			else if ((int)si.ssi_signo == SIGTERM || (int)si.ssi_signo == SIGINT)
				exit(EXIT_SUCCESS);
			else
				fprintf(stderr, "beacond: %lu queries, %lu announces\n", d->queries, d->announces);
		}
		break;
	}
}

int main(int argc, char **argv)
{
	struct beacond *d = &g_beacon;
	struct itimerspec wd_spec = { .it_interval = { .tv_sec = 2 }, .it_value = { .tv_sec = 2 } };
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD, .sigev_notify_function = on_watchdog_tick,
				.sigev_value.sival_ptr = &g_beacon };
	const int handled[] = { SIGHUP, SIGTERM, SIGINT, SIGRTMIN };
	struct epoll_event events[16];
	pthread_t stats_thr;
	timer_t watchdog;
	sigset_t mask;

	snprintf(d->name, sizeof(d->name), "%s", argc > 1 ? argv[1] : "beacon");
	refresh_clock_caps(d);
	sigemptyset(&mask);
	for (size_t i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
		sigaddset(&mask, handled[i]);
	if (pthread_sigmask(SIG_BLOCK, &mask, NULL) != 0)
		err(EXIT_FAILURE, "sigmask");
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	d->sig_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	d->udp_fd = open_socket(SOCK_DGRAM, BEACON_PORT);
	d->listen_fd = open_socket(SOCK_STREAM, CONTROL_PORT);
	if (d->epfd < 0 || d->sig_fd < 0 || d->udp_fd < 0 || d->listen_fd < 0 ||
	    watch_fd(d, d->sig_fd, SRC_SIGNAL) < 0 || watch_fd(d, d->udp_fd, SRC_QUERY) < 0 ||
	    watch_fd(d, d->listen_fd, SRC_CONTROL) < 0)
		err(EXIT_FAILURE, "setup");
	if (announce_init(d) != 0 || stats_timer_init() != 0)
		err(EXIT_FAILURE, "timers");
	if (timer_create(CLOCK_MONOTONIC, &sev, &watchdog) != 0 ||
	    timer_settime(watchdog, 0, &wd_spec, NULL) != 0)
		err(EXIT_FAILURE, "watchdog");
	if (pthread_create(&stats_thr, NULL, stats_writer_main, d) != 0)
		err(EXIT_FAILURE, "stats thread");

	for (;;) {
		int i, n = epoll_wait(d->epfd, events, 16, 1000);

		atomic_fetch_add(&d->loop_iterations, 1);
		if (n < 0 && errno != EINTR)
			err(EXIT_FAILURE, "epoll_wait");
		for (i = 0; i < n; i++)
			dispatch(d, events[i].data.u64);
	}
}
