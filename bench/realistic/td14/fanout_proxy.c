// scan: --link
/* fanout-proxy: forwards fire-and-forget commands from clients to Redis backends. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "ae.h"
#include "anet.h"
#include "sds.h"
#include "zmalloc.h"
#include "adlist.h"

#define PROXY_PORT 7480
#define IDLE_CHECK_MS 1000
#define HEALTH_PERIOD_MS 2000
#define RECONNECT_MS 500
#define IDLE_TIMEOUT_S 30

typedef struct backend {
	sds host;
	int port;
	int fd;
	int up;
	long long health_id;    /* periodic PING while connected */
	long long reconnect_id; /* pending reconnect, -1 when none */
} backend;

typedef struct client {
	int fd;
	sds querybuf;
	sds replybuf;
	long long idle_id;
	time_t last_io;
} client;

static struct proxy {
	aeEventLoop *el;
	list *clients;
	list *backends;
	unsigned long long forwarded;
} proxy;

static void backend_connect(backend *b);

static int backend_reconnect_cron(aeEventLoop *el, long long id, void *data)
{
	backend *b = data;
	(void)el, (void)id;
	b->reconnect_id = -1;
	backend_connect(b);
	return AE_NOMORE;
}

static void backend_schedule_reconnect(backend *b)
{
	b->reconnect_id = aeCreateTimeEvent(proxy.el, RECONNECT_MS, backend_reconnect_cron, b, NULL);
}

static int backend_health_cron(aeEventLoop *el, long long id, void *data)
{
	backend *b = data;
	(void)el, (void)id;
	if (b->up && write(b->fd, "PING\r\n", 6) != 6)
		fprintf(stderr, "fanout: health check to %s:%d failed\n", b->host, b->port);
	return HEALTH_PERIOD_MS;
}

static void backend_mark_down(backend *b)
{
	aeDeleteTimeEvent(proxy.el, b->health_id);
	b->health_id = -1;
	close(b->fd);
	b->fd = -1;
	b->up = 0;
	backend_schedule_reconnect(b);
}

static void backend_connect(backend *b)
{
	char err[ANET_ERR_LEN];
	int fd = anetTcpNonBlockConnect(err, b->host, b->port);

	if (fd == ANET_ERR) {
		fprintf(stderr, "fanout: %s:%d: %s\n", b->host, b->port, err);
		backend_schedule_reconnect(b);
		return;
	}
	b->fd = fd;
	b->up = 1;
	b->health_id = aeCreateTimeEvent(proxy.el, HEALTH_PERIOD_MS, backend_health_cron, b, NULL); /* expect: field-never-stopped */
}

static void backend_create(const char *host, int port)
{
	backend *b = zcalloc(sizeof(*b));

	b->host = sdsnew(host);
	b->port = port;
	b->fd = -1;
	b->health_id = -1;
	b->reconnect_id = -1;
	listAddNodeTail(proxy.backends, b);
	backend_connect(b);
}

static void backend_free(backend *b)
{
	if (b->reconnect_id != -1)
		aeDeleteTimeEvent(proxy.el, b->reconnect_id);
	if (b->fd != -1)
		close(b->fd);
	sdsfree(b->host);
	zfree(b);
}

/* BACKEND DEL <host> <port>, from the admin port. */
static void proxy_remove_backend(const char *host, int port)
{
	listIter li;
	listNode *ln;

	listRewind(proxy.backends, &li);
	while ((ln = listNext(&li)) != NULL) {
		backend *b = listNodeValue(ln);
		if (b->port != port || strcmp(b->host, host) != 0)
			continue;
		listDelNode(proxy.backends, ln);
		backend_free(b);
	}
}

static void proxy_forward(const char *line, size_t len)
{
	listIter li;
	listNode *ln;

	listRewind(proxy.backends, &li);
	while ((ln = listNext(&li)) != NULL) {
		backend *b = listNodeValue(ln);
		if (!b->up)
			continue;
		if (write(b->fd, line, len) == (ssize_t)len) {
			proxy.forwarded++;
			return;
		}
		backend_mark_down(b);
	}
}

static void client_free(client *c)
{
	listDelNode(proxy.clients, listSearchKey(proxy.clients, c));
	if (c->idle_id != -1)
		aeDeleteTimeEvent(proxy.el, c->idle_id);
	aeDeleteFileEvent(proxy.el, c->fd, AE_READABLE);
	close(c->fd);
	sdsfree(c->querybuf);
	sdsfree(c->replybuf);
	zfree(c);
}

static int client_flush_cron(aeEventLoop *el, long long id, void *data)
{
	client *c = data;
	(void)el, (void)id;
	if (write(c->fd, c->replybuf, sdslen(c->replybuf)) < 0)
		fprintf(stderr, "fanout: reply to fd %d lost\n", c->fd);
	sdsclear(c->replybuf);
	return AE_NOMORE;
}

/* Replies to pipelined commands are batched and written on the next tick. */
static void client_queue_reply(client *c, const char *reply)
{
	int first = sdslen(c->replybuf) == 0;
	c->replybuf = sdscat(c->replybuf, reply);
	if (first)
		aeCreateTimeEvent(proxy.el, 0, client_flush_cron, c, NULL); /* expect: handle-discarded */
}

static int client_idle_cron(aeEventLoop *el, long long id, void *data)
{
	client *c = data;
	(void)el, (void)id;
	if (time(NULL) - c->last_io < IDLE_TIMEOUT_S)
		return IDLE_CHECK_MS;
	c->idle_id = -1; /* this event ends itself */
	client_free(c);
	return AE_NOMORE;
}

static void client_read(aeEventLoop *el, int fd, void *data, int mask)
{
	client *c = data;
	char buf[4096], host[256], *nl;
	ssize_t n;
	int port;

	(void)el, (void)mask;
	n = read(fd, buf, sizeof(buf));
	if (n <= 0) {
		if (n == 0 || errno != EAGAIN)
			client_free(c);
		return;
	}
	c->last_io = time(NULL);
	c->querybuf = sdscatlen(c->querybuf, buf, (size_t)n);
	while ((nl = strchr(c->querybuf, '\n')) != NULL) {
		size_t len = (size_t)(nl - c->querybuf) + 1;

		if (strncmp(c->querybuf, "PING", 4) == 0)
			client_queue_reply(c, "+PONG\r\n");
		else if (sscanf(c->querybuf, "BACKEND DEL %255s %d", host, &port) == 2)
			proxy_remove_backend(host, port);
		else
			proxy_forward(c->querybuf, len);
		sdsrange(c->querybuf, (ssize_t)len, -1);
	}
}

static client *client_create(int fd)
{
	char err[ANET_ERR_LEN];
	client *c;
	long long idle;

	if (anetNonBlock(err, fd) == ANET_ERR) {
		close(fd);
		return NULL;
	}
	c = zcalloc(sizeof(*c));
	c->fd = fd;
	c->querybuf = sdsempty();
	c->replybuf = sdsempty();
	c->last_io = time(NULL);

	idle = aeCreateTimeEvent(proxy.el, IDLE_CHECK_MS, client_idle_cron, c, NULL); /* expect: missing-stop */
	if (idle == AE_ERR)
		goto fail;
	if (aeCreateFileEvent(proxy.el, fd, AE_READABLE, client_read, c) == AE_ERR)
		goto fail;
	c->idle_id = idle;
	listAddNodeTail(proxy.clients, c);
	return c;
fail:
	sdsfree(c->querybuf);
	sdsfree(c->replybuf);
	zfree(c);
	close(fd);
	return NULL;
}

static void accept_handler(aeEventLoop *el, int fd, void *data, int mask)
{
	char err[ANET_ERR_LEN], ip[64];
	int cport, cfd;

	(void)el, (void)data, (void)mask;
	cfd = anetTcpAccept(err, fd, ip, sizeof(ip), &cport);
	if (cfd != ANET_ERR && !client_create(cfd))
		fprintf(stderr, "fanout: dropped client %s:%d\n", ip, cport);
}

static int proxy_cron(aeEventLoop *el, long long id, void *data)
{
	(void)el, (void)id, (void)data;
	fprintf(stderr, "fanout: %lu clients, %llu forwarded\n", listLength(proxy.clients), proxy.forwarded);
	return 1000; /* once a second */
}

static void server_init(void)
{
	char err[ANET_ERR_LEN];
	int fd;

	proxy.el = aeCreateEventLoop(1024);
	proxy.clients = listCreate();
	proxy.backends = listCreate();
	fd = anetTcpServer(err, PROXY_PORT, NULL, 511);
	if (fd == ANET_ERR || aeCreateFileEvent(proxy.el, fd, AE_READABLE, accept_handler, NULL) == AE_ERR) {
		fprintf(stderr, "fanout: cannot listen on %d: %s\n", PROXY_PORT, err);
		exit(1);
	}
	if (aeCreateTimeEvent(proxy.el, 1, proxy_cron, NULL, NULL) == AE_ERR) {
		fprintf(stderr, "fanout: cannot create the cron timer\n");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	server_init();
	for (int i = 1; i + 1 < argc; i += 2)
		backend_create(argv[i], atoi(argv[i + 1]));
	aeMain(proxy.el);
	aeDeleteEventLoop(proxy.el);
	return 0;
}
