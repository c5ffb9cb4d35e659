// scan: --link
/* replprobe.c -- keeps a connection to every replica of a deployment and
 * reports its round trip time. Copyright (c) 2024, Example Ops Team. BSD-3. */

#include "fmacros.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ae.h"
#include "anet.h"
#include "adlist.h"
#include "monotonic.h"
#include "sds.h"
#include "zmalloc.h"

enum { C_OK = 0, C_ERR = -1 };
enum { PROBE_LINK_DOWN, PROBE_LINK_HANDSHAKE, PROBE_LINK_ONLINE };

#define PROBE_HANDSHAKE_TIMEOUT_MS 2000
#define PROBE_PING_PERIOD_MS       1000
#define PROBE_RECONNECT_MIN_MS     100
#define PROBE_RECONNECT_MAX_MS     10000
#define PROBE_WATCH_PERIOD_MS      500

#define probeLog(...) do { fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } while (0)

typedef struct probeLink {
    char *host;
    int port, fd, state, retries;
    long long handshake_te;   /* deadline for the handshake, one shot */
    long long ping_te;        /* PING while online */
    long long reconnect_te;   /* pending reconnect while down */
    long long ping_sent, rtt_ms; /* ping_sent: ms (monotonic) of the PING in flight, or 0 */
    sds querybuf;
    listNode *node;           /* our node in probe.links */
} probeLink;

static struct {
    aeEventLoop *el;
    list *links;
    char neterr[ANET_ERR_LEN];
    long long report_te;      /* REPORT: a line to report_fp every report_period_ms */
    FILE *report_fp;
    int report_period_ms;
} probe;

static void probeLinkDrop(probeLink *link);
void probeArmReconnects(void);

static int probeBackoffMs(probeLink *link) {
    return link->retries >= 7 ? PROBE_RECONNECT_MAX_MS : PROBE_RECONNECT_MIN_MS << link->retries;
}

static int probeHandshakeTimeoutProc(aeEventLoop *el, long long id, void *clientData) {
    probeLink *link = clientData;

    AE_NOTUSED(el); AE_NOTUSED(id);
    link->handshake_te = -1;
    if (link->state != PROBE_LINK_ONLINE) probeLinkDrop(link);
    return AE_NOMORE;
}

static int probePingProc(aeEventLoop *el, long long id, void *clientData) {
    probeLink *link = clientData;

    AE_NOTUSED(el); AE_NOTUSED(id);
    if (link->ping_sent == 0 && write(link->fd, "PING\r\n", 6) == 6)
        link->ping_sent = (long long)(getMonotonicUs() / 1000);
    return PROBE_PING_PERIOD_MS;
}

static int probeWatchProc(aeEventLoop *el, long long id, void *clientData) {
    probeLink *link = clientData;

    AE_NOTUSED(el); AE_NOTUSED(id);
    printf("%s:%d rtt=%lldms\n", link->host, link->port, link->rtt_ms);
    return PROBE_WATCH_PERIOD_MS;
}

static int probeReportProc(aeEventLoop *el, long long id, void *clientData) {
    AE_NOTUSED(el); AE_NOTUSED(id); AE_NOTUSED(clientData);
    fprintf(probe.report_fp, "%lld links=%lu\n", (long long)(getMonotonicUs() / 1000), listLength(probe.links));
    fflush(probe.report_fp);
    return probe.report_period_ms;
}

static void probeLinkOnline(probeLink *link) {
    if (link->handshake_te != -1) aeDeleteTimeEvent(probe.el, link->handshake_te);
    if (link->reconnect_te != -1) aeDeleteTimeEvent(probe.el, link->reconnect_te);
    link->handshake_te = link->reconnect_te = -1;
    link->state = PROBE_LINK_ONLINE;
    link->retries = 0;
    link->ping_te = aeCreateTimeEvent(probe.el, PROBE_PING_PERIOD_MS, probePingProc, link, NULL); /* expect: field-never-stopped */
    if (link->ping_te == AE_ERR) probeLinkDrop(link);
}

static void probeReadHandler(aeEventLoop *el, int fd, void *privdata, int mask) {
    probeLink *link = privdata;
    char buf[512];
    ssize_t nread = read(fd, buf, sizeof(buf));

    AE_NOTUSED(el); AE_NOTUSED(mask);
    if (nread <= 0) {
        probeLog("%s:%d: %s", link->host, link->port, nread ? strerror(errno) : "closed");
        probeLinkDrop(link);
        return;
    }
    link->querybuf = sdscatlen(link->querybuf, buf, nread);
    if (strstr(link->querybuf, "\r\n") == NULL) return;
    if (!strncmp(link->querybuf, "+PONG", 5) && link->state == PROBE_LINK_HANDSHAKE)
        probeLinkOnline(link);
    else if (!strncmp(link->querybuf, "+PONG", 5) && link->ping_sent != 0)
        link->rtt_ms = (long long)(getMonotonicUs() / 1000) - link->ping_sent;
    link->ping_sent = 0;
    sdsclear(link->querybuf);
}

/* The handshake is a first PING: the link is online at its +PONG. */
static void probeConnectedHandler(aeEventLoop *el, int fd, void *privdata, int mask) {
    probeLink *link = privdata;

    AE_NOTUSED(mask);
    aeDeleteFileEvent(el, fd, AE_WRITABLE);
    if (write(fd, "PING\r\n", 6) != 6 ||
        aeCreateFileEvent(el, fd, AE_READABLE, probeReadHandler, link) == AE_ERR)
        probeLinkDrop(link);
}

static int probeLinkConnect(probeLink *link) {
    int fd = anetTcpNonBlockConnect(probe.neterr, link->host, link->port);

    if (fd == ANET_ERR) return C_ERR;
    if (aeCreateFileEvent(probe.el, fd, AE_WRITABLE, probeConnectedHandler, link) == AE_ERR) {
        close(fd);
        return C_ERR;
    }
    link->fd = fd;
    link->state = PROBE_LINK_HANDSHAKE;
    /* one deadline for the connect and the first PONG */
    link->handshake_te = aeCreateTimeEvent(probe.el, PROBE_HANDSHAKE_TIMEOUT_MS,
                                           probeHandshakeTimeoutProc, link, NULL);
    return C_OK;
}

/* Pending while the link is down: probeLinkOnline() or the link's
 * teardown deletes it. */
static int probeReconnectProc(aeEventLoop *el, long long id, void *clientData) {
    probeLink *link = clientData;

    AE_NOTUSED(el); AE_NOTUSED(id);
    if (link->state == PROBE_LINK_DOWN && probeLinkConnect(link) == C_ERR)
        link->retries++;
    return probeBackoffMs(link);
}

/* Connection lost: the link stays in probe.links and is retried. */
static void probeLinkDrop(probeLink *link) {
    if (link->fd != -1) {
        aeDeleteFileEvent(probe.el, link->fd, AE_READABLE | AE_WRITABLE);
        close(link->fd);
        link->fd = -1;
    }
    if (link->handshake_te != -1) aeDeleteTimeEvent(probe.el, link->handshake_te);
    if (link->ping_te != -1) aeDeleteTimeEvent(probe.el, link->ping_te);
    link->handshake_te = link->ping_te = -1;
    link->state = PROBE_LINK_DOWN;
    link->ping_sent = 0;
    sdsclear(link->querybuf);
    probeArmReconnects();
}

void probeArmReconnects(void) {
    listIter li;
    listNode *ln;

    listRewind(probe.links, &li);
    while ((ln = listNext(&li)) != NULL) {
        probeLink *link = listNodeValue(ln);
        long long te;

        if (link->state != PROBE_LINK_DOWN) continue;
        te = aeCreateTimeEvent(probe.el, probeBackoffMs(link), probeReconnectProc, link, NULL); /* expect: created-in-loop */
        if (te == AE_ERR) break;
        if (link->reconnect_te != -1) {
            /* this link already has a reconnect pending */
            continue;
        }
        link->reconnect_te = te;
    }
}

probeLink *probeLinkCreate(const char *host, int port) {
    probeLink *link = zcalloc(sizeof(*link));

    link->host = zstrdup(host);
    link->port = port;
    link->fd = -1;
    link->handshake_te = link->ping_te = link->reconnect_te = -1;
    link->querybuf = sdsempty();
    listAddNodeTail(probe.links, link);
    link->node = listLast(probe.links);
    return link;
}

void probeLinkFree(probeLink *link) {
    listDelNode(probe.links, link->node);
    if (link->fd != -1) {
        aeDeleteFileEvent(probe.el, link->fd, AE_READABLE | AE_WRITABLE);
        close(link->fd);
    }
    if (link->handshake_te != -1) aeDeleteTimeEvent(probe.el, link->handshake_te);
    if (link->reconnect_te != -1) aeDeleteTimeEvent(probe.el, link->reconnect_te);
    sdsfree(link->querybuf);
    zfree(link->host);
    zfree(link);
}

/* REPORT <file> <ms>, from the admin socket. */
int probeEnableReport(const char *path, int period_ms) {
    long long te;
    FILE *fp;

    if (probe.report_te != -1) return C_OK;
    probe.report_period_ms = period_ms;
    te = aeCreateTimeEvent(probe.el, period_ms, probeReportProc, NULL, NULL); /* expect: missing-stop */
    if (te == AE_ERR) return C_ERR;
    fp = fopen(path, "a");
    if (fp == NULL) return C_ERR;
    probe.report_fp = fp;
    probe.report_te = te;
    return C_OK;
}

void probeDisableReport(void) {
    if (probe.report_te == -1) return;
    aeDeleteTimeEvent(probe.el, probe.report_te);
    probe.report_te = -1;
    fclose(probe.report_fp);
    probe.report_fp = NULL;
}

/* One command line from the admin socket (admin.c); returns the reply. */
const char *probeAdminCommand(int argc, sds *argv) {
    listNode *ln;

    if (argc == 3 && !strcasecmp(argv[0], "report"))
        return probeEnableReport(argv[1], atoi(argv[2])) == C_OK ? "+OK" : "-ERR can't report";
    /* WATCH|FORGET <n>: the n-th replica given on the command line */
    if (argc != 2 || (ln = listIndex(probe.links, atol(argv[1]))) == NULL)
        return "-ERR no such link";
    probeLink *link = listNodeValue(ln);
    if (!strcasecmp(argv[0], "watch")) {
        aeCreateTimeEvent(probe.el, PROBE_WATCH_PERIOD_MS, probeWatchProc, link, NULL); /* expect: handle-discarded */
        return "+OK";
    }
    if (!strcasecmp(argv[0], "forget")) {
        probeLinkFree(link);
        return "+OK";
    }
    return "-ERR unknown command";
}

static int probeCron(aeEventLoop *el, long long id, void *clientData) {
    AE_NOTUSED(el); AE_NOTUSED(id); AE_NOTUSED(clientData);
    if (listLength(probe.links) == 0) probeLog("no replica configured");
    return 1000;
}

static void probeInit(void) {
    probe.el = aeCreateEventLoop(1024);
    probe.links = listCreate();
    probe.report_te = -1;
    if (probe.el == NULL || probe.links == NULL ||
        aeCreateTimeEvent(probe.el, 1, probeCron, NULL, NULL) == AE_ERR) {
        probeLog("Can't create the event loop");
        exit(1);
    }
}

/* replprobe host:port [host:port ...] */
int main(int argc, char **argv) {
    int j;

    probeInit();
    for (j = 1; j < argc; j++) {
        char *colon = strrchr(argv[j], ':');

        if (colon == NULL) continue;
        *colon = '\0';
        probeLinkCreate(argv[j], atoi(colon + 1));
    }
    probeArmReconnects();
    aeMain(probe.el);
    aeDeleteEventLoop(probe.el);
    return 0;
}
