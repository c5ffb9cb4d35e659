// scan: --link
/* linkwatchd: probes UDP peers; a peer that misses too many probes goes
 * into back-off and is probed again later. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define USEC_PER_MSEC 1000ULL
#define USEC_PER_SEC 1000000ULL
#define PROBE_ACCURACY_USEC (50 * USEC_PER_MSEC)
#define MAX_PEERS 32
#define MAX_MISSES 3

struct peer {
	struct daemon *daemon;
	char *name;
	int fd; /* connected UDP socket */
	uint64_t interval;
	unsigned misses;
	unsigned backoff_level;
	sd_event_source *probe_timer;
	sd_event_source *backoff;
};

struct daemon {
	sd_event *event;
	int sock;
	sd_event_source *watchdog;
	uint64_t watchdog_usec;
	struct peer *peers[MAX_PEERS];
	size_t n_peers;
};

struct pending_send {
	int sock;
	struct sockaddr_in to;
	char payload[64];
};

static int log_errno(int r, const char *what)
{
	fprintf(stderr, "linkwatchd: %s: %s\n", what, strerror(-r));
	return r;
}

static int peer_reconnect_cb(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct peer *p = userdata;

	(void) s, (void) usec;
	p->misses = 0;
	if (!p->probe_timer)
		return 0;
	(void) sd_event_source_set_time_relative(p->probe_timer, p->interval);
	return sd_event_source_set_enabled(p->probe_timer, SD_EVENT_ONESHOT);
}

static int peer_enter_backoff(struct peer *p)
{
	uint64_t delay = p->interval << p->backoff_level;
	int r;

	p->backoff_level++;
	/* A time source is one-shot by default: sd-event switches it off once
	 * it has fired, so there is nothing to tear down afterwards. */
	r = sd_event_add_time_relative(p->daemon->event, &p->backoff, CLOCK_MONOTONIC, delay, PROBE_ACCURACY_USEC, peer_reconnect_cb, p); /* expect: field-never-stopped */
	if (r < 0)
		return log_errno(r, "schedule reconnect");
	return 0;
}

static int peer_probe_cb(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct peer *p = userdata;
	char reply[64];

	/* any echo that came back since the last probe counts */
	while (recv(p->fd, reply, sizeof(reply), MSG_DONTWAIT) > 0)
		p->misses = 0;
	if (++p->misses > MAX_MISSES) {
		(void) sd_event_source_set_enabled(s, SD_EVENT_OFF);
		return peer_enter_backoff(p);
	}
	(void) send(p->fd, "PING", 4, MSG_DONTWAIT);

	/* time sources are one-shot: move the deadline and switch it back on */
	(void) sd_event_source_set_time(s, usec + p->interval);
	return sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
}

static int peer_arm_probe(struct peer *p)
{
	sd_event_source *s = NULL;
	int r;

	r = sd_event_add_time_relative(p->daemon->event, &s, CLOCK_MONOTONIC, p->interval, PROBE_ACCURACY_USEC, peer_probe_cb, p); /* expect: missing-stop */
	if (r < 0)
		return log_errno(r, "add probe timer");

	r = sd_event_source_set_description(s, p->name);
	if (r < 0)
		return log_errno(r, "name probe timer");

	p->probe_timer = s;
	return 0;
}

static void peer_stop_probe(struct peer *p)
{
	if (!p->probe_timer)
		return;
	sd_event_source_unref(p->probe_timer);
	/* make sure a probe that is already due does not go out any more */
	(void) sd_event_source_set_enabled(p->probe_timer, SD_EVENT_OFF); /* expect: use-after-release */
	p->probe_timer = NULL;
}

static void peer_free(struct peer *p)
{
	if (!p)
		return;
	peer_stop_probe(p);
	if (p->fd >= 0)
		close(p->fd);
	free(p->name);
	free(p);
}

static struct peer *peer_new(struct daemon *d, const char *host, uint16_t port)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct peer *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->daemon = d;
	p->interval = 2 * USEC_PER_SEC;
	p->name = strdup(host);
	p->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (!p->name || p->fd < 0 || inet_pton(AF_INET, host, &addr.sin_addr) != 1 ||
	    connect(p->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		peer_free(p);
		return NULL;
	}
	return p;
}

static int peer_kick_cb(sd_event_source *s, uint64_t usec, void *userdata)
{
	(void) s, (void) usec;
	return peer_arm_probe(userdata);
}

/* Stagger the first probe of each peer so they do not all go out at once. */
static int daemon_kick_peers(struct daemon *d)
{
	for (size_t i = 0; i < d->n_peers; i++) {
		sd_event_source *kick = NULL;
		int r;

		r = sd_event_add_time_relative(d->event, &kick, CLOCK_MONOTONIC, (i + 1) * 100 * USEC_PER_MSEC, PROBE_ACCURACY_USEC, peer_kick_cb, d->peers[i]); /* expect: created-in-loop */
		if (r < 0)
			return log_errno(r, "schedule first probe");
		(void) sd_event_source_set_description(kick, "first-probe");
	}
	return 0;
}

static int resend_cb(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct pending_send *ps = userdata;

	(void) usec;
	(void) sendto(ps->sock, ps->payload, strlen(ps->payload), 0, (struct sockaddr *)&ps->to, sizeof(ps->to));
	free(ps);
	sd_event_source_unref(s);
	return 0;
}

/* Repeat a notification once, a little later, for collectors on lossy links. */
static int daemon_resend_later(struct daemon *d, const struct sockaddr_in *to, const char *msg)
{
	struct pending_send *ps;
	sd_event_source *s;
	int r;

	ps = calloc(1, sizeof(*ps));
	if (!ps)
		return -ENOMEM;
	ps->sock = d->sock;
	ps->to = *to;
	snprintf(ps->payload, sizeof(ps->payload), "%s", msg);

	r = sd_event_add_time_relative(d->event, &s, CLOCK_MONOTONIC, 500 * USEC_PER_MSEC, 0, resend_cb, ps);
	if (r < 0) {
		free(ps);
		return log_errno(r, "schedule resend");
	}
	return 0;
}

static int watchdog_cb(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct daemon *d = userdata;

	(void) sd_notify(0, "WATCHDOG=1");
	(void) sd_event_source_set_time(s, usec + d->watchdog_usec / 2);
	return sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
}

static int daemon_setup_watchdog(struct daemon *d)
{
	_cleanup_(sd_event_source_unrefp) sd_event_source *s = NULL;
	uint64_t now;
	int r;

	r = sd_event_now(d->event, CLOCK_MONOTONIC, &now);
	if (r < 0)
		return log_errno(r, "read clock");
	r = sd_event_add_time(d->event, &s, CLOCK_MONOTONIC, now + d->watchdog_usec / 2, 0, watchdog_cb, d);
	if (r < 0)
		return log_errno(r, "add watchdog timer");
	r = sd_event_source_set_priority(s, SD_EVENT_PRIORITY_IMPORTANT);
	if (r < 0)
		return log_errno(r, "raise watchdog priority");
	d->watchdog = s;
	s = NULL; /* the daemon owns it from here on */
	return 0;
}

static int ready_cb(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct sockaddr_in collector = { .sin_family = AF_INET, .sin_port = htons(8125),
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	(void) s, (void) usec;
	(void) sd_notify(0, "READY=1");
	return daemon_resend_later(userdata, &collector, "linkwatchd up");
}

static void daemon_free(struct daemon *d)
{
	for (size_t i = 0; i < d->n_peers; i++)
		peer_free(d->peers[i]);
	d->watchdog = sd_event_source_unref(d->watchdog);
	if (d->sock >= 0)
		close(d->sock);
	d->event = sd_event_unref(d->event);
}

int main(int argc, char **argv)
{
	struct daemon d = { .sock = -1, .watchdog_usec = 10 * USEC_PER_SEC };
	int r;

	r = sd_event_default(&d.event);
	if (r < 0) {
		log_errno(r, "event loop");
		return EXIT_FAILURE;
	}
	(void) sd_event_set_signal_exit(d.event, 1);

	d.sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (d.sock < 0) {
		r = log_errno(-errno, "socket");
		goto finish;
	}
	for (int i = 1; i < argc && d.n_peers < MAX_PEERS; i++) {
		struct peer *p = peer_new(&d, argv[i], 7);

		if (p)
			d.peers[d.n_peers++] = p;
		else
			fprintf(stderr, "linkwatchd: skipping peer %s\n", argv[i]);
	}
	r = daemon_setup_watchdog(&d);
	if (r < 0)
		goto finish;
	r = daemon_kick_peers(&d);
	if (r < 0)
		goto finish;
	/* floating: the loop owns it */
	r = sd_event_add_time_relative(d.event, NULL, CLOCK_MONOTONIC, USEC_PER_SEC, 0, ready_cb, &d);
	if (r < 0)
		goto finish;
	r = sd_event_loop(d.event);
finish:
	daemon_free(&d);
	return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
