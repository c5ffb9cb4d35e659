/*
 * keepalive.c - peer liveness tracking for the relay daemon.
 *
 * Every accepted peer gets an idle timer that is pushed forward on each
 * read.  Once a peer has been quiet for IDLE_TIMEOUT_MS it is sent a probe
 * every PROBE_INTERVAL_MS; after MAX_PROBES unanswered probes it is dropped.
 * On SIGTERM the listener is closed and peers get a grace period to finish.
 */
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#define IDLE_TIMEOUT_MS    30000
#define PROBE_INTERVAL_MS   5000
#define MAX_PROBES             3
#define ACK_DELAY_MS          40
#define DRAIN_GRACE_MS      5000

#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))

struct ka_manager;

struct peer {
    uv_tcp_t tcp;
    uv_timer_t idle;
    uv_timer_t probe;
    struct ka_manager *mgr;
    struct peer *next;
    struct peer **pprev;
    unsigned probes_sent;
    int handles_open;
    int closing;
    char addr[64];
};

struct ka_manager {
    uv_loop_t *loop;
    uv_tcp_t listener;
    struct peer *peers;
    unsigned npeers;
    int draining;
};

static const char probe_payload[] = "PING\r\n";
static const char ack_payload[] = "ACK\r\n";

static void on_write_done(uv_write_t *req, int status)
{
    (void)status;
    free(req);
}

static void peer_send(struct peer *p, const char *data, size_t len)
{
    uv_write_t *req = malloc(sizeof(*req));
    uv_buf_t buf = uv_buf_init((char *)data, (unsigned int)len);

    if (req == NULL)
        return;
    if (uv_write(req, (uv_stream_t *)&p->tcp, &buf, 1, on_write_done) != 0)
        free(req);
}

static void on_peer_handle_closed(uv_handle_t *handle)
{
    struct peer *p = handle->data;
    struct ka_manager *mgr = p->mgr;

    if (--p->handles_open > 0)
        return;
    if (p->pprev != NULL) {
        *p->pprev = p->next;
        if (p->next != NULL)
            p->next->pprev = p->pprev;
        mgr->npeers--;
        if (mgr->draining && mgr->npeers == 0)
            uv_stop(mgr->loop);
    }
    free(p);
}

static void peer_close(struct peer *p)
{
    if (p->closing)
        return;
    p->closing = 1;
    uv_timer_stop(&p->idle);
    uv_timer_stop(&p->probe);
    uv_close((uv_handle_t *)&p->idle, on_peer_handle_closed);
    uv_close((uv_handle_t *)&p->probe, on_peer_handle_closed);
    uv_close((uv_handle_t *)&p->tcp, on_peer_handle_closed);
}

static void on_probe_tick(uv_timer_t *timer)
{
    struct peer *p = container_of(timer, struct peer, probe);

    if (p->probes_sent >= MAX_PROBES) {
        fprintf(stderr, "keepalive: %s unresponsive, dropping\n", p->addr);
        peer_close(p);
        return;
    }
    p->probes_sent++;
    peer_send(p, probe_payload, sizeof(probe_payload) - 1);
}

static void on_idle_timeout(uv_timer_t *timer)
{
    struct peer *p = container_of(timer, struct peer, idle);

    if (uv_is_active((uv_handle_t *)&p->probe))
        return;
    p->probes_sent = 0;
    uv_timer_start(&p->probe, on_probe_tick, 0, PROBE_INTERVAL_MS);
}

static void on_ack_delay(uv_timer_t *timer)
{
    struct peer *p = timer->data;

    if (!p->closing)
        peer_send(p, ack_payload, sizeof(ack_payload) - 1);
}

static void schedule_delayed_ack(struct peer *p)
{
    uv_timer_t *ack = malloc(sizeof(*ack));

    if (ack == NULL)
        return;
    uv_timer_init(p->mgr->loop, ack); /* expect: missing-stop */
    ack->data = p;
    uv_timer_start(ack, on_ack_delay, ACK_DELAY_MS, 0);
}

static void alloc_buffer(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
    (void)handle;
    buf->base = malloc(suggested);
    buf->len = buf->base != NULL ? suggested : 0;
}

static void on_peer_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
    struct peer *p = container_of(stream, struct peer, tcp);

    if (nread < 0) {
        peer_close(p);
    } else if (nread > 0) {
        p->probes_sent = 0;
        uv_timer_stop(&p->probe);
        uv_timer_again(&p->idle);
        if (nread >= 4 && memcmp(buf->base, "DATA", 4) == 0)
            schedule_delayed_ack(p);
    }
    free(buf->base);
}

static void peer_describe(struct peer *p)
{
    struct sockaddr_storage ss;
    int namelen = sizeof(ss);

    strcpy(p->addr, "?");
    if (uv_tcp_getpeername(&p->tcp, (struct sockaddr *)&ss, &namelen) != 0)
        return;
    if (ss.ss_family == AF_INET)
        uv_ip4_name((struct sockaddr_in *)&ss, p->addr, sizeof(p->addr));
    else if (ss.ss_family == AF_INET6)
        uv_ip6_name((struct sockaddr_in6 *)&ss, p->addr, sizeof(p->addr));
}

static void on_connection(uv_stream_t *server, int status)
{
    struct ka_manager *mgr = server->data;
    struct peer *p;

    if (status < 0 || mgr->draining)
        return;
    p = calloc(1, sizeof(*p));
    if (p == NULL)
        return;
    p->mgr = mgr;
    uv_tcp_init(mgr->loop, &p->tcp);
    uv_timer_init(mgr->loop, &p->idle);
    uv_timer_init(mgr->loop, &p->probe);
    p->tcp.data = p->idle.data = p->probe.data = p;
    p->handles_open = 3;

    if (uv_accept(server, (uv_stream_t *)&p->tcp) != 0 ||
        uv_read_start((uv_stream_t *)&p->tcp, alloc_buffer, on_peer_read) != 0) {
        peer_close(p);
        return;
    }
    peer_describe(p);

    p->next = mgr->peers;
    if (p->next != NULL)
        p->next->pprev = &p->next;
    p->pprev = &mgr->peers;
    mgr->peers = p;
    mgr->npeers++;
    uv_timer_start(&p->idle, on_idle_timeout, IDLE_TIMEOUT_MS, IDLE_TIMEOUT_MS);
}

static void on_drain_deadline(uv_timer_t *timer)
{
    struct ka_manager *mgr = timer->data;
    struct peer *p;

    fprintf(stderr, "keepalive: grace period over, %u peers left\n", mgr->npeers);
    for (p = mgr->peers; p != NULL; p = p->next)
        peer_close(p);
}

int keepalive_drain(struct ka_manager *mgr, uint64_t grace_ms)
{
    uv_timer_t deadline;

    uv_timer_init(mgr->loop, &deadline); /* expect: missing-stop */
    deadline.data = mgr;
    mgr->draining = 1;
    if (!uv_is_closing((uv_handle_t *)&mgr->listener))
        uv_close((uv_handle_t *)&mgr->listener, NULL);
    if (mgr->npeers == 0)
        return 0;

    uv_timer_start(&deadline, on_drain_deadline, grace_ms, 0);
    uv_run(mgr->loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&deadline, NULL);
    uv_run(mgr->loop, UV_RUN_NOWAIT);
    return mgr->npeers == 0 ? 0 : -1;
}

static void on_sigterm(uv_signal_t *sig, int signum)
{
    (void)signum;
    uv_signal_stop(sig);
    uv_stop(sig->loop);
}

int main(int argc, char **argv)
{
    uv_loop_t *loop = uv_default_loop();
    struct ka_manager mgr;
    struct sockaddr_in addr;
    uv_signal_t sigterm;
    int port = argc > 1 ? atoi(argv[1]) : 7400;
    int rc;

    memset(&mgr, 0, sizeof(mgr));
    mgr.loop = loop;
    uv_tcp_init(loop, &mgr.listener);
    mgr.listener.data = &mgr;
    uv_ip4_addr("0.0.0.0", port, &addr);
    rc = uv_tcp_bind(&mgr.listener, (const struct sockaddr *)&addr, 0);
    if (rc == 0)
        rc = uv_listen((uv_stream_t *)&mgr.listener, 128, on_connection);
    if (rc != 0) {
        fprintf(stderr, "keepalive: listen on %d: %s\n", port, uv_strerror(rc));
        return 1;
    }
    uv_signal_init(loop, &sigterm);
    uv_signal_start(&sigterm, on_sigterm, SIGTERM);
    uv_run(loop, UV_RUN_DEFAULT);

    uv_close((uv_handle_t *)&sigterm, NULL);
    rc = keepalive_drain(&mgr, DRAIN_GRACE_MS);
    uv_run(loop, UV_RUN_NOWAIT);
    if (uv_loop_close(loop) != 0)
        fprintf(stderr, "keepalive: loop still has open handles\n");
    return rc == 0 ? 0 : 2;
}
