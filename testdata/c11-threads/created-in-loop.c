/*
 * created-in-loop (C11 threads): a thread created by thrd_create() in a loop
 * body that is still alive (not joined, not detached, not handed off) when the
 * iteration ends (back edge or continue). Reported on the thrd_create line.
 * Leaking only by break-ing out of the loop is missing-join instead.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#define MAX_SHARDS 64

struct shard {
    int id;
    size_t rows;
    bool skip;
    bool last;
};

struct table {
    thrd_t loaders[MAX_SHARDS];
    int nloaders;
};

extern struct shard *next_shard(void *cursor);

static int shard_loader(void *arg)
{
    struct shard *s = arg;

    s->rows = 0;
    return thrd_success;
}

/* bad: one loader thread per shard, never joined nor detached */
int bad_loader_per_shard(struct shard *shards, int n)
{
    for (int i = 0; i < n; i++) {
        thrd_t t;

        if (thrd_create(&t, shard_loader, &shards[i]) != thrd_success) /* expect: created-in-loop */
            return -1;
    }
    return n;
}

/* bad: a skipped shard continues while its loader is still running */
int bad_continue_skips_join(struct shard *shards, int n)
{
    size_t rows = 0;

    for (int i = 0; i < n; i++) {
        thrd_t t;

        if (thrd_create(&t, shard_loader, &shards[i]) != thrd_success) /* expect: created-in-loop */
            return -1;
        if (shards[i].skip)
            continue;
        thrd_join(t, NULL);
        rows += shards[i].rows;
    }
    return (int)rows;
}

/* bad: the cursor loop overwrites t on every iteration; only the last loader is joined */
int bad_join_only_last(void *cursor)
{
    struct shard *s;
    thrd_t t;
    int n = 0;

    while ((s = next_shard(cursor)) != NULL) {
        if (thrd_create(&t, shard_loader, s) != thrd_success) /* expect: created-in-loop */
            break;
        n++;
    }
    if (n > 0)
        thrd_join(t, NULL);
    return n;
}

/* bad: only large shards are waited for; small loaders stay joinable forever */
int bad_join_only_large(struct shard *shards, int n, size_t threshold)
{
    int i = 0;

    do {
        thrd_t t;

        if (thrd_create(&t, shard_loader, &shards[i]) != thrd_success) /* expect: created-in-loop */
            return -1;
        if (shards[i].rows >= threshold)
            thrd_join(t, NULL);
    } while (++i < n);
    return 0;
}

/* bad: a failed create continues (fine), a successful one is only counted */
int bad_count_only(struct shard *shards, int n)
{
    int started = 0;

    for (int i = 0; i < n; i++) {
        thrd_t t;
        int rc = thrd_create(&t, shard_loader, &shards[i]); /* expect: created-in-loop */

        if (rc != thrd_success)
            continue;
        started++;
    }
    return started;
}

/* bad (missing-join): joined every iteration, but the last-shard break skips that join */
int bad_break_leaves_loader(void *cursor)
{
    struct shard *s;

    while ((s = next_shard(cursor)) != NULL) {
        thrd_t t;

        if (thrd_create(&t, shard_loader, s) != thrd_success) /* expect: missing-join */
            return -1;
        if (s->last)
            break;
        thrd_join(t, NULL);
    }
    return 0;
}

/* good: each loader is created and joined in the same iteration */
int good_create_join_same_iteration(struct shard *shards, int n)
{
    size_t rows = 0;

    for (int i = 0; i < n; i++) {
        thrd_t t;

        if (thrd_create(&t, shard_loader, &shards[i]) != thrd_success)
            return -1;
        thrd_join(t, NULL);
        rows += shards[i].rows;
    }
    return (int)rows;
}

/* good: each loader is detached in the iteration that created it */
int good_create_detach_same_iteration(void *cursor)
{
    struct shard *s;
    int n = 0;

    while ((s = next_shard(cursor)) != NULL) {
        thrd_t t;

        if (thrd_create(&t, shard_loader, s) != thrd_success)
            continue;
        thrd_detach(t);
        n++;
    }
    return n;
}

/* good: loaders are kept in tids[i] and joined in a second loop */
int good_tids_array_joined_after(struct shard *shards, int n)
{
    thrd_t tids[MAX_SHARDS];
    int i, started;

    if (n > MAX_SHARDS)
        return -E2BIG;
    for (i = 0; i < n; i++) {
        if (thrd_create(&tids[i], shard_loader, &shards[i]) != thrd_success)
            break;
    }
    started = i;
    for (i = 0; i < started; i++)
        thrd_join(tids[i], NULL);
    return started;
}

/* good: each loader handle goes into the table reached through a pointer */
int good_stored_into_table(struct table *tbl, struct shard *shards, int n)
{
    for (int i = 0; i < n && tbl->nloaders < MAX_SHARDS; i++) {
        thrd_t t;

        if (thrd_create(&t, shard_loader, &shards[i]) != thrd_success)
            return -1;
        tbl->loaders[tbl->nloaders++] = t;
    }
    return tbl->nloaders;
}

/* good: a single compactor thread is created before the loop and joined after it */
int good_create_before_loop(struct shard *compactor, struct shard *shards, int n)
{
    thrd_t t;
    size_t rows = 0;

    if (thrd_create(&t, shard_loader, compactor) != thrd_success)
        return -1;
    for (int i = 0; i < n; i++)
        rows += shards[i].rows;
    compactor->last = true;
    thrd_join(t, NULL);
    return (int)rows;
}
