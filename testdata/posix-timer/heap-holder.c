/*
 * #12 class 2: a timer held in a field of memory this function just
 * allocated. Until that memory is given to someone (stored beyond the
 * function, returned, passed to code that may keep it), the function owns
 * it and the timer in it: freeing the holder, or letting its last pointer
 * die, loses an armed timer (missing-stop at the creating call).
 *
 * No finding once the holder escaped (linked into a global list, returned,
 * handed to unknown code or to a helper that keeps it, its address or a
 * member's address handed on), when the timer was deleted first, when the
 * holder was shared before the timer was made, or when the holder came
 * from the caller.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct lease {
    timer_t timer;
    int id;
    struct lease *next;
    struct list_node { struct list_node *prev, *next; } node;
};

static struct lease *g_leases;
static struct lease *g_current;

extern void lease_publish(struct lease *l);
extern void list_insert(struct list_node *n);
extern int lease_quota_left(void);

static void lease_spec(struct itimerspec *its, unsigned ms)
{
    memset(its, 0, sizeof *its);
    its->it_value.tv_sec = ms / 1000;
    its->it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
}

static void lease_link(struct lease *l)
{
    l->next = g_leases;
    g_leases = l;
}

static void lease_destroy(struct lease *l)
{
    timer_delete(l->timer);
    free(l);
}

/* bad: the quota check frees the holder with the timer armed */
int lease_open(int id, unsigned ms)
{
    struct lease *l = calloc(1, sizeof *l);
    struct itimerspec its;

    if (!l)
        return -1;
    l->id = id;
    if (timer_create(CLOCK_MONOTONIC, NULL, &l->timer) != 0) { /* expect: missing-stop */
        free(l);
        return -1;
    }
    lease_spec(&its, ms);
    if (timer_settime(l->timer, 0, &its, NULL) != 0) {
        timer_delete(l->timer);
        free(l);
        return -1;
    }
    if (lease_quota_left() <= 0) {
        free(l); /* note[missing-stop]: 'l' freed here */
        return -1;
    }
    lease_link(l);
    return 0;
}

/* bad: a probe lease that nobody keeps: its last pointer dies here */
int lease_probe(unsigned ms)
{
    struct lease *l = malloc(sizeof *l);
    struct itimerspec its;

    if (l == NULL)
        return -1;
    if (timer_create(CLOCK_MONOTONIC, NULL, &l->timer) != 0) { /* expect: missing-stop */
        free(l);
        return -1;
    }
    lease_spec(&its, ms);
    timer_settime(l->timer, 0, &its, NULL);
    return 0;
}

/* good: deleted before the holder is freed on every path */
int lease_check(unsigned ms)
{
    struct lease *l = calloc(1, sizeof *l);
    struct itimerspec its;
    int ok;

    if (!l)
        return -1;
    if (timer_create(CLOCK_MONOTONIC, NULL, &l->timer) != 0) {
        free(l);
        return -1;
    }
    lease_spec(&its, ms);
    ok = timer_settime(l->timer, 0, &its, NULL) == 0;
    timer_delete(l->timer);
    free(l);
    return ok ? 0 : -1;
}

/* good: a same-file helper deletes and frees */
int lease_try(unsigned ms)
{
    struct lease *l = calloc(1, sizeof *l);
    struct itimerspec its;

    if (!l)
        return -1;
    if (timer_create(CLOCK_MONOTONIC, NULL, &l->timer) != 0) {
        free(l);
        return -1;
    }
    lease_spec(&its, ms);
    if (timer_settime(l->timer, 0, &its, NULL) != 0) {
        lease_destroy(l);
        return -1;
    }
    lease_link(l);
    return 0;
}

/* good: the holder is returned */
struct lease *lease_new(unsigned ms)
{
    struct lease *l = calloc(1, sizeof *l);
    struct itimerspec its;

    if (!l)
        return NULL;
    if (timer_create(CLOCK_MONOTONIC, NULL, &l->timer) != 0) {
        free(l);
        return NULL;
    }
    lease_spec(&its, ms);
    timer_settime(l->timer, 0, &its, NULL);
    return l;
}

/* good: handed to unknown code, which may keep it */
int lease_hand_off(unsigned ms)
{
    struct lease *l = calloc(1, sizeof *l);
    struct itimerspec its;

    if (!l)
        return -1;
    if (timer_create(CLOCK_MONOTONIC, NULL, &l->timer) != 0) {
        free(l);
        return -1;
    }
    lease_spec(&its, ms);
    timer_settime(l->timer, 0, &its, NULL);
    lease_publish(l);
    return 0;
}

/* good: an intrusive list keeps it through a member's address */
int lease_enlist(unsigned ms)
{
    struct lease *l = calloc(1, sizeof *l);
    struct itimerspec its;

    if (!l)
        return -1;
    if (timer_create(CLOCK_MONOTONIC, NULL, &l->timer) != 0) {
        free(l);
        return -1;
    }
    lease_spec(&its, ms);
    timer_settime(l->timer, 0, &its, NULL);
    list_insert(&l->node);
    return 0;
}

/* good: shared before the timer was made; whoever holds g_current owns it */
int lease_current(unsigned ms)
{
    struct lease *l = calloc(1, sizeof *l);
    struct itimerspec its;

    if (!l)
        return -1;
    g_current = l;
    if (timer_create(CLOCK_MONOTONIC, NULL, &l->timer) != 0)
        return -1;
    lease_spec(&its, ms);
    timer_settime(l->timer, 0, &its, NULL);
    return 0;
}

/* good: the caller's holder, not ours */
int lease_rearm(struct lease *l, unsigned ms)
{
    struct itimerspec its;

    if (timer_create(CLOCK_MONOTONIC, NULL, &l->timer) != 0)
        return -1;
    lease_spec(&its, ms);
    if (timer_settime(l->timer, 0, &its, NULL) != 0)
        return -1;
    return 0;
}

/* good: copied into a local that is then published */
int lease_alias(unsigned ms)
{
    struct lease *l = calloc(1, sizeof *l), *head;
    struct itimerspec its;

    if (!l)
        return -1;
    if (timer_create(CLOCK_MONOTONIC, NULL, &l->timer) != 0) {
        free(l);
        return -1;
    }
    lease_spec(&its, ms);
    timer_settime(l->timer, 0, &its, NULL);
    head = l;
    g_leases = head;
    return 0;
}
