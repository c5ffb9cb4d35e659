/*
 * missing-join (C11 threads): a thread started with thrd_create() is neither
 * joined with thrd_join() nor detached with thrd_detach() nor handed off on
 * some path that leaves the function (early return, goto past the join,
 * failing call after the create, switch case, short-circuit condition, macro,
 * overwritten handle). Reported on the line of the thrd_create call.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#define START_THREAD(thr, fn, arg) thrd_create(&(thr), (fn), (arg))

enum msg_type { MSG_HEARTBEAT, MSG_DATA, MSG_CLOSE };

struct message {
    enum msg_type type;
    int channel;
    size_t len;
    unsigned char *body;
    bool sync;
};

struct batch {
    int id;
    size_t count;
    bool cancelled;
};

extern int channel_open(int channel);
extern int channel_send(int channel, const void *buf, size_t len);
extern int validate_message(const struct message *msg);

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

/* bad: an invalid message returns early while its worker is still running */
int bad_early_return(struct message *msg)
{
    thrd_t t;

    if (thrd_create(&t, message_worker, msg) != thrd_success) /* expect: missing-join */
        return -1;
    if (msg->len == 0)
        return -EINVAL;
    thrd_join(t, NULL);
    return 0;
}

/* bad: the channel error jumps to out, past the join label */
int bad_goto_skips_join(struct message *msg)
{
    thrd_t t;
    int rc;

    rc = thrd_create(&t, message_worker, msg); /* expect: missing-join */
    if (rc != thrd_success)
        goto out;
    if (channel_open(msg->channel) < 0) {
        rc = -1;
        goto out;
    }
    channel_send(msg->channel, "ack", 3);
    thrd_join(t, NULL);
out:
    return rc;
}

/* bad: the body buffer allocation fails after the worker started */
int bad_failing_call_after_create(struct batch *b, size_t n)
{
    thrd_t t;
    unsigned char *buf;

    if (thrd_create(&t, batch_worker, b) != thrd_success) /* expect: missing-join */
        return -1;
    buf = calloc(n, 1);
    if (buf == NULL)
        return -ENOMEM;
    thrd_join(t, NULL);
    free(buf);
    return 0;
}

/* bad: MSG_CLOSE returns out of the switch without joining */
int bad_switch_case_returns(struct message *msg)
{
    thrd_t t;

    if (thrd_create(&t, message_worker, msg) != thrd_success) /* expect: missing-join */
        return -1;
    switch (msg->type) {
    case MSG_CLOSE:
        return 1;
    case MSG_DATA:
        channel_send(msg->channel, msg->body, msg->len);
        break;
    default:
        break;
    }
    thrd_join(t, NULL);
    return 0;
}

/* bad: an async message skips the join through the && */
int bad_short_circuit(struct message *msg)
{
    thrd_t t;

    if (thrd_create(&t, message_worker, msg) == thrd_success && msg->sync) /* expect: missing-join */
        thrd_join(t, NULL);
    return 0;
}

/* bad: the create succeeds, validation fails, and the || returns with a live thread */
int bad_short_circuit_or(struct message *msg)
{
    thrd_t t;

    if (thrd_create(&t, message_worker, msg) != thrd_success || validate_message(msg) < 0) /* expect: missing-join */
        return -1;
    thrd_join(t, NULL);
    return 0;
}

/* bad: the thread started through START_THREAD is never joined; reported at the macro use */
int bad_macro_start(struct batch *b)
{
    thrd_t t;

    if (START_THREAD(t, batch_worker, b) != thrd_success) /* expect: missing-join */
        return -1;
    b->id++;
    return 0;
}

/* bad: the retry overwrites the handle of the first worker, which is never joined */
int bad_overwritten_handle(struct batch *b)
{
    thrd_t t;

    if (thrd_create(&t, batch_worker, b) != thrd_success) /* expect: missing-join */
        return -1;
    if (b->cancelled) {
        b->cancelled = false;
        if (thrd_create(&t, batch_worker, b) != thrd_success)
            return -1;
    }
    thrd_join(t, NULL);
    return 0;
}
