/*
 * #12 classes 2 and 6: a holder allocated on each iteration. Its timer
 * still armed when the next iteration allocates the holder again is
 * created-in-loop; one lost by leaving the loop is missing-stop; one
 * linked into a list on every iteration is no finding.
 */
#include <signal.h>
#include <stdlib.h>
#include <time.h>

struct slot {
    timer_t t;
    struct slot *next;
};

static struct slot *g_slots;

extern int slot_wanted(int i);
extern void slot_spec(struct itimerspec *its, int i);

/* bad: slots not wanted are skipped with their timers armed */
void slots_start(int n)
{
    for (int i = 0; i < n; i++) {
        struct slot *s = calloc(1, sizeof *s);
        struct itimerspec its;

        if (!s)
            return;
        if (timer_create(CLOCK_MONOTONIC, NULL, &s->t) != 0) { /* expect: created-in-loop */
            free(s);
            continue;
        }
        slot_spec(&its, i);
        timer_settime(s->t, 0, &its, NULL);
        if (!slot_wanted(i))
            continue;
        s->next = g_slots;
        g_slots = s;
    }
}

/* bad: the first slot that is not wanted ends the loop, armed */
void slots_start_until(int n)
{
    for (int i = 0; i < n; i++) {
        struct slot *s = calloc(1, sizeof *s);
        struct itimerspec its;

        if (!s)
            return;
        if (timer_create(CLOCK_MONOTONIC, NULL, &s->t) != 0) { /* expect: missing-stop */
            free(s);
            return;
        }
        slot_spec(&its, i);
        timer_settime(s->t, 0, &its, NULL);
        if (!slot_wanted(i))
            break;
        s->next = g_slots;
        g_slots = s;
    }
}

/* good: every slot is either deleted or linked */
void slots_start_checked(int n)
{
    for (int i = 0; i < n; i++) {
        struct slot *s = calloc(1, sizeof *s);
        struct itimerspec its;

        if (!s)
            return;
        if (timer_create(CLOCK_MONOTONIC, NULL, &s->t) != 0) {
            free(s);
            continue;
        }
        if (!slot_wanted(i)) {
            timer_delete(s->t);
            free(s);
            continue;
        }
        slot_spec(&its, i);
        timer_settime(s->t, 0, &its, NULL);
        s->next = g_slots;
        g_slots = s;
    }
}
