/*
 * missing-join (C11 threads), negatives: thrd_success status checks, joined
 * on every path, thrd_detach, handed off (returned, through a pointer, *out,
 * global, extern call), joined by a same-file helper, noreturn paths
 * (exit, thrd_exit), and a flag tested twice. No line may produce a finding.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

struct message {
    int channel;
    size_t len;
    unsigned char *body;
    bool sync;
};

struct batch {
    int id;
    size_t count;
    bool fatal;
};

struct dispatcher {
    thrd_t pump;
    thrd_t janitor;
    int nchannels;
};

static thrd_t g_metrics_thread;

extern int channel_open(int channel);
extern int channel_send(int channel, const void *buf, size_t len);
extern int pump_messages(int channel);
extern int worker_table_insert(thrd_t thr, int channel);

static int message_worker(void *arg)
{
    struct message *msg = arg;

    if (msg->body != NULL)
        memset(msg->body, 0, msg->len);
    return 0;
}

static int batch_worker(void *arg)
{
    struct batch *b = arg;

    b->count = 0;
    return thrd_success;
}

/* Same-file helper: joins its parameter on every path. */
static int wait_worker(thrd_t thr)
{
    int res = 0;

    if (thrd_join(thr, &res) != thrd_success)
        return -1;
    return res;
}

/* good: the early return is the thrd_create failure path, where no thread exists */
int good_status_check_return(struct message *msg)
{
    thrd_t t;

    if (thrd_create(&t, message_worker, msg) != thrd_success)
        return -1;
    channel_send(msg->channel, "queued", 6);
    thrd_join(t, NULL);
    return 0;
}

/* good: a bare nonzero test of the result; thrd_success is 0 */
int good_status_check_bare(struct batch *b)
{
    thrd_t t;

    if (thrd_create(&t, batch_worker, b))
        return -EAGAIN;
    thrd_join(t, NULL);
    return (int)b->count;
}

/* good: "rc = thrd_create; if (rc != thrd_success) goto fail" — fail has no thread to join */
int good_rc_goto_fail(struct message *msg, size_t len)
{
    thrd_t t;
    int rc;

    msg->body = malloc(len);
    if (msg->body == NULL)
        return -ENOMEM;
    msg->len = len;
    rc = thrd_create(&t, message_worker, msg);
    if (rc != thrd_success)
        goto fail;
    thrd_join(t, NULL);
    free(msg->body);
    msg->body = NULL;
    return 0;
fail:
    free(msg->body);
    msg->body = NULL;
    return rc == thrd_nomem ? -ENOMEM : -1;
}

/* good: every path after the create reaches the join label */
int good_joined_on_every_path(struct message *msg)
{
    thrd_t t;
    int rc = 0;

    if (thrd_create(&t, message_worker, msg) != thrd_success)
        return -1;
    if (channel_open(msg->channel) < 0) {
        rc = -1;
        goto join;
    }
    if (channel_send(msg->channel, msg->body, msg->len) < 0)
        rc = -1;
join:
    thrd_join(t, NULL);
    return rc;
}

/* good: the async delivery thread is detached */
int good_detached(struct message *msg)
{
    thrd_t t;

    if (thrd_create(&t, message_worker, msg) != thrd_success)
        return -1;
    thrd_detach(t);
    return 0;
}

/* good: the handle is returned to the caller */
thrd_t good_returned_handle(struct batch *b, int *err)
{
    thrd_t t;
    int rc;

    rc = thrd_create(&t, batch_worker, b);
    if (rc != thrd_success) {
        *err = rc;
        return 0;
    }
    *err = 0;
    return t;
}

/* good: the pump is created straight into the dispatcher reached through a pointer */
int good_created_through_pointer(struct dispatcher *d, struct batch *b)
{
    if (thrd_create(&d->pump, batch_worker, b) != thrd_success)
        return -1;
    d->nchannels++;
    return 0;
}

/* good: the handle goes out through *out */
int good_out_param(struct batch *b, thrd_t *out)
{
    thrd_t t;

    if (thrd_create(&t, batch_worker, b) != thrd_success)
        return -1;
    *out = t;
    return 0;
}

/* good: the metrics thread handle is kept in a global */
int good_stored_in_global(struct batch *b)
{
    thrd_t t;

    if (thrd_create(&t, batch_worker, b) != thrd_success)
        return -1;
    g_metrics_thread = t;
    return 0;
}

/* good: the worker table (no body in this file) takes the handle */
int good_passed_to_extern(struct message *msg)
{
    thrd_t t;

    if (thrd_create(&t, message_worker, msg) != thrd_success)
        return -1;
    return worker_table_insert(t, msg->channel);
}

/* good: the same-file helper joins the thread on every path */
int good_joined_in_helper(struct batch *b)
{
    thrd_t t;

    if (thrd_create(&t, batch_worker, b) != thrd_success)
        return -1;
    b->id++;
    return wait_worker(t);
}

/* good: a fatal batch ends the process with exit() */
int good_exit_path(struct batch *b)
{
    thrd_t t;

    if (thrd_create(&t, batch_worker, b) != thrd_success)
        return -1;
    if (b->fatal) {
        fprintf(stderr, "batch %d: fatal\n", b->id);
        exit(EXIT_FAILURE);
    }
    thrd_join(t, NULL);
    return 0;
}

/* good: the calling thread ends itself with thrd_exit when the channel is gone */
int good_thrd_exit_path(struct message *msg)
{
    thrd_t t;

    if (thrd_create(&t, message_worker, msg) != thrd_success)
        return -1;
    if (channel_open(msg->channel) < 0)
        thrd_exit(1);
    thrd_join(t, NULL);
    return 0;
}

/* good: the pump thread exists only in threaded mode and is joined under the same flag */
int good_flag_tested_twice(struct batch *b, int channel, bool threaded)
{
    thrd_t t;
    int rc;

    if (threaded)
        thrd_create(&t, batch_worker, b);
    rc = pump_messages(channel);
    if (threaded)
        thrd_join(t, NULL);
    return rc;
}
