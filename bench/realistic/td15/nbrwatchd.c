// scan: --link
/*
 * nbrwatchd - neighbour presence daemon. Neighbours send HELLO datagrams
 * to UDP port 7341; each has an expiry timeout that every HELLO pushes
 * back, and a stale one is probed once a second before it is dropped.
 */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ell/ell.h>

#define HELLO_PORT       7341
#define HELLO_MAGIC      0x4e425748u
#define EXPIRE_S         15
#define PROBE_LIMIT      3
#define GRACE_S          1
#define BURST_COUNT      3
#define BURST_MS         200

struct hello {
	uint32_t magic;
	uint8_t addr[6];
	uint16_t flags;
} __attribute__((packed));

struct peer {
	struct daemon *d;
	uint8_t addr[6];
	struct sockaddr_in from;
	struct l_timeout *expire;
	struct l_timeout *probe;
	unsigned int missed;
};

struct daemon {
	struct l_io *io;
	struct l_queue *peers;
	struct l_timeout *announce;
	struct l_timeout *burst;
	unsigned int announce_interval;
	unsigned int burst_sent;
	struct hello self;
	const char *config_path;
};

static void daemon_send(struct daemon *d, const struct sockaddr_in *to)
{
	if (sendto(l_io_get_fd(d->io), &d->self, sizeof(d->self), 0,
		   (const struct sockaddr *)to, sizeof(*to)) < 0)
		l_warn("sendto: %s", strerror(errno));
}

static void peer_log(const char *what, const struct peer *p)
{
	l_info("neighbour %02x:%02x:%02x:%02x:%02x:%02x %s", p->addr[0], p->addr[1],
	       p->addr[2], p->addr[3], p->addr[4], p->addr[5], what);
}

static bool peer_match_addr(const void *a, const void *b)
{
	const struct peer *p = a;

	return memcmp(p->addr, b, sizeof(p->addr)) == 0;
}

static void peer_free(void *data)
{
	struct peer *p = data;

	l_timeout_remove(p->expire);
	l_free(p);
}

static void peer_probe_cb(struct l_timeout *timeout, void *user_data)
{
	struct peer *p = user_data;

	if (++p->missed > PROBE_LIMIT) {
		peer_log("gone", p);
		l_queue_remove(p->d->peers, p);
		peer_free(p);
		return;
	}
	daemon_send(p->d, &p->from);
	l_timeout_modify(timeout, 1);
}

static void peer_expire_cb(struct l_timeout *timeout, void *user_data)
{
	struct peer *p = user_data;

	(void)timeout;
	/* stale: probe it directly before giving up */
	p->missed = 0;
	if (!p->probe)
		p->probe = l_timeout_create(1, peer_probe_cb, p, NULL); /* expect: field-never-stopped */
}

static struct peer *peer_new(struct daemon *d, const struct hello *h,
			     const struct sockaddr_in *from)
{
	struct peer *p = l_new(struct peer, 1);

	p->d = d;
	memcpy(p->addr, h->addr, sizeof(p->addr));
	p->from = *from;
	p->expire = l_timeout_create(EXPIRE_S, peer_expire_cb, p, NULL);
	if (!p->expire) {
		l_free(p);
		return NULL;
	}
	l_queue_push_tail(d->peers, p);
	peer_log("up", p);
	return p;
}

static bool daemon_read_cb(struct l_io *io, void *user_data)
{
	struct daemon *d = user_data;
	struct sockaddr_in from;
	socklen_t fromlen = sizeof(from);
	struct hello h;
	struct peer *p;
	ssize_t n;

	n = recvfrom(l_io_get_fd(io), &h, sizeof(h), 0, (struct sockaddr *)&from, &fromlen);
	if (n != (ssize_t)sizeof(h) || h.magic != htonl(HELLO_MAGIC))
		return true;

	p = l_queue_find(d->peers, peer_match_addr, h.addr);
	if (!p) {
		if (peer_new(d, &h, &from))
			daemon_send(d, &from);
		return true;
	}
	p->from = from;
	p->missed = 0;
	l_timeout_modify(p->expire, EXPIRE_S);
	return true;
}

static void announce_now(struct daemon *d)
{
	struct sockaddr_in bcast = {
		.sin_family = AF_INET,
		.sin_port = htons(HELLO_PORT),
		.sin_addr.s_addr = htonl(INADDR_BROADCAST),
	};

	daemon_send(d, &bcast);
}

static void announce_cb(struct l_timeout *timeout, void *user_data)
{
	struct daemon *d = user_data;

	announce_now(d);
	l_timeout_modify(timeout, d->announce_interval);
}

static void burst_cb(struct l_timeout *timeout, void *user_data)
{
	struct daemon *d = user_data;

	announce_now(d);
	if (++d->burst_sent < BURST_COUNT) {
		l_timeout_modify_ms(timeout, BURST_MS);
		return;
	}
	l_timeout_remove(timeout);
	d->burst = NULL;
}

/* a few quick HELLOs so that neighbours learn about us at once */
static void daemon_start_burst(struct daemon *d)
{
	d->burst_sent = 0;
	if (!d->burst)
		d->burst = l_timeout_create_ms(BURST_MS, burst_cb, d, NULL);
}

static bool daemon_start_announce(struct daemon *d)
{
	struct l_timeout *t;
	int on = 1;

	t = l_timeout_create(d->announce_interval, announce_cb, d, NULL); /* expect: missing-stop */
	if (!t)
		return false;
	if (setsockopt(l_io_get_fd(d->io), SOL_SOCKET, SO_BROADCAST, &on, sizeof(on)) < 0) {
		l_error("SO_BROADCAST: %s", strerror(errno));
		return false;
	}
	d->announce = t;
	return true;
}

static void announce_stop(struct daemon *d)
{
	if (d->announce) {
		l_timeout_remove(d->announce);
		d->announce = NULL;
	}
}

static void daemon_reload(struct daemon *d)
{
	struct l_settings *cfg = l_settings_new();
	unsigned int interval = d->announce_interval;

	if (l_settings_load_from_file(cfg, d->config_path))
		l_settings_get_uint(cfg, "General", "AnnounceInterval", &interval);
	l_settings_free(cfg);

	if (interval == d->announce_interval)
		return;
	d->announce_interval = interval;
	if (interval == 0) {
		announce_stop(d);
	} else if (!d->announce) {
		if (daemon_start_announce(d))
			daemon_start_burst(d);
	} else {
		/* cancel the pending announce, then re-arm it with the new interval */
		l_timeout_remove(d->announce);
		l_timeout_modify(d->announce, interval); /* expect: use-after-release */
	}
}

static void shutdown_grace_cb(struct l_timeout *timeout, void *user_data)
{
	(void)timeout, (void)user_data;
	l_main_quit();
}

static void signal_handler(uint32_t signo, void *user_data)
{
	struct daemon *d = user_data;

	switch (signo) {
	case SIGHUP:
		daemon_reload(d);
		break;
	case SIGINT:
	case SIGTERM:
		d->self.flags |= htons(1);	/* leaving */
		announce_now(d);
		/* one-shot: ELL frees it after it fires */
		l_timeout_create(GRACE_S, shutdown_grace_cb, d, NULL); /* expect: handle-discarded */
		break;
	}
}

static void daemon_free(struct daemon *d)
{
	announce_stop(d);
	if (d->burst)
		l_timeout_remove(d->burst);
	l_queue_destroy(d->peers, peer_free);
	l_io_destroy(d->io);
}

int main(int argc, char *argv[])
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(HELLO_PORT) };
	struct daemon d = { .announce_interval = 5 };
	int fd, ret = EXIT_FAILURE;

	d.config_path = argc > 1 ? argv[1] : "/etc/nbrwatchd.conf";
	d.self.magic = htonl(HELLO_MAGIC);
	if (!l_main_init())
		return EXIT_FAILURE;
	l_log_set_stderr();

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		l_error("socket: %s", strerror(errno));
		goto done;
	}
	d.io = l_io_new(fd);
	l_io_set_close_on_destroy(d.io, true);
	l_io_set_read_handler(d.io, daemon_read_cb, &d, NULL);
	d.peers = l_queue_new();

	if (daemon_start_announce(&d)) {
		daemon_start_burst(&d);
		l_main_run_with_signal(signal_handler, &d);
		ret = EXIT_SUCCESS;
	}
	daemon_free(&d);
done:
	l_main_exit();
	return ret;
}
