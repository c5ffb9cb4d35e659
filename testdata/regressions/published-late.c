/*
 * stop-too-late, the order of publication: a local the worker can reach
 * only once it is stored into the worker's data (`c->buf = buf;`) is not
 * reached before that store. Freeing it on an error path before the store
 * races nothing; freeing it after the store, while the worker may still
 * run, does.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct msg {
    char text[64];
};

struct ctx {
    struct msg *buf;
    int ready;
};

extern int fill(struct msg *m);

static void *consume(void *p)
{
    struct ctx *c = p;

    while (!c->ready)
        ;
    c->buf->text[0] = 0;
    return NULL;
}

/* good: buf is freed on the error path before the worker can see it */
int start_then_publish(struct ctx *c)
{
    pthread_t t;
    struct msg *buf = malloc(sizeof(*buf));

    if (buf == NULL)
        return -1;
    if (pthread_create(&t, NULL, consume, c) != 0) {
        free(buf);
        return -1;
    }
    if (fill(buf) < 0) {
        free(buf);
        c->ready = 1;
        pthread_join(t, NULL);
        return -1;
    }
    c->buf = buf;
    c->ready = 1;
    pthread_join(t, NULL);
    free(buf);
    return 0;
}

/* bad: buf is published, then freed while the worker may still use it */
int publish_then_free(struct ctx *c)
{
    pthread_t t;
    struct msg *buf = malloc(sizeof(*buf));

    if (buf == NULL)
        return -1;
    if (pthread_create(&t, NULL, consume, c) != 0) {
        free(buf);
        return -1;
    }
    c->buf = buf;
    c->ready = 1;
    free(buf); /* expect: stop-too-late */
    pthread_join(t, NULL);
    return 0;
}
