/*
 * redis-ae: time events from aeCreateTimeEvent() whose time proc keeps
 * rescheduling must be deleted with aeDeleteTimeEvent() before the data
 * they were given goes away. missing-stop, created-in-loop and
 * handle-discarded are reported on the aeCreateTimeEvent line.
 */
#include <stdlib.h>
#include "ae.h"

typedef struct client {
    aeEventLoop *el;
    long long timeout_id;
    int fd;
    int idle_ms;
    int pings;
} client;

extern int connectClient(client *c);
extern void freeClientBuffers(client *c);
extern void registerTimer(aeEventLoop *el, long long id);

static int pingProc(struct aeEventLoop *el, long long id, void *clientData)
{
    client *c = clientData;

    AE_NOTUSED(el);
    AE_NOTUSED(id);
    c->pings++;
    return c->idle_ms;
}

/* Deletes its parameter on every path. */
static void cancelPing(aeEventLoop *el, long long id)
{
    if (aeDeleteTimeEvent(el, id) == AE_ERR)
        abort();
}

/* bad: the connect fails and the client is freed with its ping event still scheduled */
int bad_event_left_on_error(client *c)
{
    long long id = aeCreateTimeEvent(c->el, c->idle_ms, pingProc, c, NULL); /* expect: missing-stop */ /* note[missing-stop]: timer 'id' created here by aeCreateTimeEvent() */

    if (id == AE_ERR) /* note[missing-stop]: taking the false branch: 'id == AE_ERR' is false */
        return AE_ERR;
    if (connectClient(c) == AE_ERR) { /* note[missing-stop]: taking the true branch: 'connectClient(c) == AE_ERR' is true */
        free(c); /* expect: stop-too-late */
        return AE_ERR; /* note[missing-stop]: returning here without aeDeleteTimeEvent() */
    }
    aeProcessEvents(c->el, AE_ALL_EVENTS);
    aeDeleteTimeEvent(c->el, id);
    return AE_OK;
}

/* bad: a new ping event per attempt, the previous one never deleted */
void bad_event_per_attempt(client *c, int attempts)
{
    for (int i = 0; i < attempts; i++) { /* note[created-in-loop]: taking the true branch: 'i < attempts' is true */
        long long id = aeCreateTimeEvent(c->el, c->idle_ms, pingProc, c, NULL); /* expect: created-in-loop */ /* note[created-in-loop]: aeCreateTimeEvent() runs again here */

        if (id == AE_ERR) /* note[created-in-loop]: taking the false branch: 'id == AE_ERR' is false */
            return;
        aeProcessEvents(c->el, AE_TIME_EVENTS | AE_DONT_WAIT);
    }
}

/* bad: a per-client ping whose id is only compared: freeClient cannot delete it */
int bad_id_only_compared(client *c)
{
    if (aeCreateTimeEvent(c->el, c->idle_ms, pingProc, c, NULL) == AE_ERR) /* expect: handle-discarded */ /* note[handle-discarded]: aeCreateTimeEvent() called here */
        return AE_ERR;
    return AE_OK;
}

/* good: AE_ERR means no event; deleted on every other path */
int good_deleted_every_path(client *c)
{
    long long id;

    if ((id = aeCreateTimeEvent(c->el, c->idle_ms, pingProc, c, NULL)) == AE_ERR)
        return AE_ERR;
    if (connectClient(c) == AE_ERR) {
        cancelPing(c->el, id);
        return AE_ERR;
    }
    aeProcessEvents(c->el, AE_ALL_EVENTS);
    aeDeleteTimeEvent(c->el, id);
    return AE_OK;
}

/* good: the id is kept in the client, reached through a pointer */
int good_id_in_client(client *c)
{
    c->timeout_id = aeCreateTimeEvent(c->el, c->idle_ms, pingProc, c, NULL);
    return c->timeout_id == AE_ERR ? AE_ERR : AE_OK;
}

/* good: the id is handed to code outside this file */
void good_id_registered(client *c)
{
    long long id = aeCreateTimeEvent(c->el, 1000, pingProc, c, NULL);

    if (id != AE_ERR)
        registerTimer(c->el, id);
}

/* freeClient releases the buffers but not c->timeout_id, which
 * good_id_in_client() created with c as its data: a cross-function bug
 * for the link phase. */
void freeClient(client *c)
{
    freeClientBuffers(c);
    free(c);
}

void clientArmTimeout(client *c)
{
    c->timeout_id = aeCreateTimeEvent(c->el, c->idle_ms, pingProc, c, NULL); /* known-gap: field-never-stopped */
}

/* Fires once: a time proc that returns AE_NOMORE ends its own event. */
static int flushOnce(struct aeEventLoop *el, long long id, void *clientData)
{
    (void)el;
    (void)id;
    (void)clientData;
    return AE_NOMORE;
}

/* good: a one-shot event needs no id: it deletes itself after it fires */
int good_one_shot_event(client *c)
{
    if (aeCreateTimeEvent(c->el, 10, flushOnce, c, NULL) == AE_ERR)
        return -1;
    return 0;
}
