/*
 * use-after-release (C11 threads): thrd_join/thrd_detach on a thread that was
 * already joined or detached on that path (double join, join after detach,
 * detach after join, double detach). Reported on the offending call.
 * Every thread here is released on every path: no missing-join anywhere.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

struct upload {
    int id;
    size_t sent;
    bool retry;
    bool async;
};

extern int commit_upload(struct upload *up);

static int upload_worker(void *arg)
{
    struct upload *up = arg;

    up->sent = 0;
    return thrd_success;
}

/* Same-file helper: joins its parameter on every path. */
static int finish_upload(thrd_t thr)
{
    int res = 0;

    thrd_join(thr, &res);
    return res;
}

/* bad: the commit failure path joins the uploader again */
int bad_double_join_error_path(struct upload *up)
{
    thrd_t t;

    if (thrd_create(&t, upload_worker, up) != thrd_success) /* note[use-after-release]: thread 't' created here by thrd_create() */ /* note[use-after-release]: taking the false branch: 'thrd_create(&t, upload_worker, up) != thrd_success' is false */
        return -1;
    thrd_join(t, NULL); /* note[use-after-release]: joined here by thrd_join() */
    if (commit_upload(up) < 0) /* note[use-after-release]: taking the true branch: 'commit_upload(up) < 0' is true */
        goto fail;
    return 0;
fail:
    thrd_join(t, NULL); /* expect: use-after-release */ /* note[use-after-release]: thrd_join() here */
    return -1;
}

/* bad: the retry path joins, then falls through to the common join */
int bad_join_twice_on_retry(struct upload *up)
{
    thrd_t t;

    if (thrd_create(&t, upload_worker, up) != thrd_success)
        return -1;
    if (up->retry) /* note[use-after-release]: taking the true branch: 'up->retry' is true */
        thrd_join(t, NULL); /* note[use-after-release]: joined here by thrd_join() */
    thrd_join(t, NULL); /* expect: use-after-release */ /* note[use-after-release]: thrd_join() here */
    return 0;
}

/* bad: the uploader was detached but the caller still waits for its result */
int bad_join_after_detach(struct upload *up)
{
    thrd_t t;
    int res = 0;

    if (thrd_create(&t, upload_worker, up) != thrd_success)
        return -1;
    thrd_detach(t); /* note[use-after-release]: detached here by thrd_detach() */
    up->id++;
    thrd_join(t, &res); /* expect: use-after-release */ /* note[use-after-release]: thrd_join() here */
    return res;
}

/* bad: a leftover detach runs on an already joined handle */
int bad_detach_after_join(struct upload *up)
{
    thrd_t t;

    if (thrd_create(&t, upload_worker, up) != thrd_success)
        return -1;
    thrd_join(t, NULL);
    if (up->async) /* note[use-after-release]: taking the true branch: 'up->async' is true */
        thrd_detach(t); /* expect: use-after-release */ /* note[use-after-release]: thrd_detach() here */
    return 0;
}

/* bad: the async flag path detaches, then the common tail detaches again */
int bad_double_detach(struct upload *up)
{
    thrd_t t;

    if (thrd_create(&t, upload_worker, up) != thrd_success)
        return -1;
    if (up->async)
        thrd_detach(t); /* note[use-after-release]: detached here by thrd_detach() */
    up->id++;
    thrd_detach(t); /* expect: use-after-release */ /* note[use-after-release]: thrd_detach() here */
    return 0;
}

/* bad: the same-file helper already joined the uploader; the caller joins again */
int bad_join_after_helper_join(struct upload *up)
{
    thrd_t t;
    int res;

    if (thrd_create(&t, upload_worker, up) != thrd_success)
        return -1;
    res = finish_upload(t); /* note[use-after-release]: joined here by finish_upload() */
    thrd_join(t, NULL); /* expect: use-after-release */ /* note[use-after-release]: thrd_join() here */
    return res;
}

/* good: joined or detached depending on the mode, once per path */
int good_join_or_detach(struct upload *up)
{
    thrd_t t;

    if (thrd_create(&t, upload_worker, up) != thrd_success)
        return -1;
    if (up->async)
        thrd_detach(t);
    else
        thrd_join(t, NULL);
    return 0;
}

/* good: t is joined, re-created for the retry, and that thread is joined */
int good_rejoin_after_recreate(struct upload *up)
{
    thrd_t t;

    if (thrd_create(&t, upload_worker, up) != thrd_success)
        return -1;
    thrd_join(t, NULL);
    if (up->sent == 0) {
        if (thrd_create(&t, upload_worker, up) != thrd_success)
            return -1;
        thrd_join(t, NULL);
    }
    return 0;
}

/* good: two uploads run in parallel with distinct handles, each joined once */
int good_two_handles(struct upload *a, struct upload *b)
{
    thrd_t ta, tb;

    if (thrd_create(&ta, upload_worker, a) != thrd_success)
        return -1;
    if (thrd_create(&tb, upload_worker, b) != thrd_success) {
        thrd_join(ta, NULL);
        return -1;
    }
    thrd_join(ta, NULL);
    thrd_join(tb, NULL);
    return 0;
}

/* good: each branch joins once and returns; nothing joins afterwards */
int good_join_each_branch(struct upload *up)
{
    thrd_t t;
    int res = 0;

    if (thrd_create(&t, upload_worker, up) != thrd_success)
        return -1;
    if (up->retry) {
        thrd_join(t, &res);
        return res;
    }
    thrd_join(t, NULL);
    return commit_upload(up);
}

/* good: the restart loop joins each incarnation before re-creating into the same variable */
int good_restart_loop(struct upload *up, int max_restarts)
{
    thrd_t t;

    for (int i = 0; i < max_restarts; i++) {
        if (thrd_create(&t, upload_worker, up) != thrd_success)
            return -1;
        thrd_join(t, NULL);
        if (!up->retry)
            break;
    }
    return 0;
}
