/* A Redis module scanned without the Redis tree (#13 item 5): ae.h is
 * missing, so AE_ERR is an undeclared name and `id == AE_ERR` an
 * expression with errors. The family's rule file says what ae.h defines
 * (constants: AE_ERR is -1), so the test is the failed create's: on its
 * true branch no time event exists, and freeing the event's data there is
 * no race (client_try read stop-too-late before); on the false branch the
 * event is live, and a later failure that frees its data without deleting
 * it frees what the event's callback will read (stop-too-late at the
 * free, as with the header present). */
#include "ae.h"

#include <stdlib.h>

struct client {
    int fd;
    long long idle_id;
};

extern aeEventLoop *loop;
int client_idle(aeEventLoop *el, long long id, void *data);
int attach_reader(struct client *c);

struct client *client_new(int fd)
{
    struct client *c = calloc(1, sizeof *c);
    long long id;

    if (!c)
        return NULL;
    c->fd = fd;
    id = aeCreateTimeEvent(loop, 1000, client_idle, c, NULL);
    if (id == AE_ERR)
        goto fail;
    if (attach_reader(c) != 0)
        goto fail;
    c->idle_id = id;
    return c;
fail:
    free(c); /* expect: stop-too-late */
    return NULL;
}

/* good: the data is freed only where the create failed */
struct client *client_try(int fd)
{
    struct client *c = calloc(1, sizeof *c);
    long long id;

    if (!c)
        return NULL;
    c->fd = fd;
    id = aeCreateTimeEvent(loop, 1000, client_idle, c, NULL);
    if (id == AE_ERR) {
        free(c);
        return NULL;
    }
    c->idle_id = id;
    return c;
}

/* good: the create's own result tested against AE_ERR; the data is freed
 * only where it failed */
int client_watch(struct client *c)
{
    if (aeCreateTimeEvent(loop, 100, client_idle, c, NULL) == AE_ERR) {
        free(c);
        return -1;
    }
    return 0;
}
