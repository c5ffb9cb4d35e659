/* Regression: a create into an untracked slot (an array element) in a
 * function that also tracks another handle crashed the engine (found on
 * liburcu's test programs). Both objects are analysed independently. */
#include <pthread.h>
#include <stddef.h>

static void *worker(void *arg) { return arg; }

/* bad: the monitor thread is never joined; the pool threads escape into the array */
int bad_pool_with_monitor(int n)
{
    pthread_t pool[8];
    pthread_t monitor;
    int i;

    if (pthread_create(&monitor, NULL, worker, NULL) != 0) /* expect: missing-join */
        return -1;
    for (i = 0; i < n && i < 8; i++)
        if (pthread_create(&pool[i], NULL, worker, NULL) != 0)
            return -1;
    for (i = 0; i < n && i < 8; i++)
        pthread_join(pool[i], NULL);
    return 0;
}

/* good: both the pool and the monitor are joined */
int good_pool_with_monitor(int n)
{
    pthread_t pool[8];
    pthread_t monitor;
    int i;

    if (pthread_create(&monitor, NULL, worker, NULL) != 0)
        return -1;
    for (i = 0; i < n && i < 8; i++)
        pthread_create(&pool[i], NULL, worker, NULL);
    for (i = 0; i < n && i < 8; i++)
        pthread_join(pool[i], NULL);
    pthread_join(monitor, NULL);
    return 0;
}

/* Regression: evaluating an aggregate initializer crashed libclang
 * (redis src/server.c, GETKEYS_RESULT_INIT). */
typedef struct { int keysbuf[8]; int *keys; int numkeys, size; } keys_result;
#define KEYS_RESULT_INIT { {0}, NULL, 0, 8 }

/* good: a struct initializer beside a joined thread */
int good_aggregate_init(void)
{
    keys_result result = KEYS_RESULT_INIT;
    pthread_t t;

    if (pthread_create(&t, NULL, worker, &result) != 0)
        return -1;
    return pthread_join(t, NULL);
}
