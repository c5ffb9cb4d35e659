/*
 * missing-stop (sd-event): a timer source returned through
 * sd_event_add_time*()'s second argument is not unreferenced on some path
 * that leaves the function; the timer keeps firing with its userdata.
 * Reported on the sd_event_add_time line. Also created-in-loop.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <systemd/sd-event.h>

typedef struct Manager {
    sd_event *event;
    const char *unit;
    uint64_t timeout_usec;
    unsigned n_retries;
    bool ready;
} Manager;

static int on_timeout(sd_event_source *s, uint64_t usec, void *userdata)
{
    Manager *m = userdata;

    (void)s;
    (void)usec;
    m->ready = true;
    return 0;
}

/* bad: the description fails and the error path returns with the source still referenced */
int bad_description_error(Manager *m)
{
    sd_event_source *s = NULL;
    int r;

    r = sd_event_add_time_relative(m->event, &s, CLOCK_MONOTONIC, m->timeout_usec, 0, /* expect: missing-stop */ /* note[missing-stop]: timer 's' created here by sd_event_add_time_relative() */
                                   on_timeout, m);
    if (r < 0) /* note[missing-stop]: taking the false branch: 'r < 0' is false */
        return r;
    r = sd_event_source_set_description(s, "manager-timeout");
    if (r < 0) /* note[missing-stop]: taking the true branch: 'r < 0' is true */
        return r; /* note[missing-stop]: returning here without sd_event_source_unref() */
    r = sd_event_loop(m->event);
    sd_event_source_unref(s);
    return r;
}

/* bad: the unit check after the add returns early */
int bad_validation_after_add(Manager *m, uint64_t now)
{
    sd_event_source *s;
    int r;

    r = sd_event_add_time(m->event, &s, CLOCK_MONOTONIC, now + m->timeout_usec, 0, on_timeout, m); /* expect: missing-stop */
    if (r < 0) /* note[missing-stop]: taking the false branch: 'r < 0' is false */
        return r;
    if (m->unit == NULL) /* note[missing-stop]: taking the true branch: 'm->unit == NULL' is true */
        return -EINVAL; /* note[missing-stop]: returning here without sd_event_source_unref() */
    r = sd_event_run(m->event, UINT64_MAX);
    s = sd_event_source_unref(s);
    return r;
}

/* bad: turning the source off is not dropping the reference */
int bad_disabled_not_unreffed(Manager *m)
{
    sd_event_source *s = NULL;
    int r;

    if (sd_event_add_time_relative(m->event, &s, CLOCK_BOOTTIME, m->timeout_usec, 0, on_timeout, m) < 0) /* expect: missing-stop */ /* note[missing-stop]: taking the false branch: the condition is false */
        return -1;
    r = sd_event_run(m->event, UINT64_MAX);
    sd_event_source_set_enabled(s, SD_EVENT_OFF);
    return r; /* note[missing-stop]: returning here without sd_event_source_unref() */
}

/* bad: the source is replaced on retry while the first one is still referenced */
int bad_overwritten_on_retry(Manager *m, bool retry)
{
    sd_event_source *s = NULL;
    int r;

    r = sd_event_add_time_relative(m->event, &s, CLOCK_MONOTONIC, m->timeout_usec, 0, on_timeout, m); /* expect: missing-stop */
    if (r < 0)
        return r;
    if (retry) { /* note[missing-stop]: taking the true branch: 'retry' is true */
        r = sd_event_add_time_relative(m->event, &s, CLOCK_MONOTONIC, 2 * m->timeout_usec, 0, on_timeout, m); /* note[missing-stop]: 's' overwritten here: the previous timer is lost */
        if (r < 0)
            return r;
    }
    r = sd_event_loop(m->event);
    sd_event_source_disable_unref(s);
    return r;
}

/* bad: one source per retry, the previous one never unreferenced */
int bad_source_per_retry(Manager *m)
{
    for (unsigned i = 0; i < m->n_retries && !m->ready; i++) { /* note[created-in-loop]: taking the true branch: 'i < m->n_retries' is true */ /* note[created-in-loop]: taking the true branch: '!m->ready' is true */
        sd_event_source *s;
        int r;

        r = sd_event_add_time_relative(m->event, &s, CLOCK_MONOTONIC, m->timeout_usec << i, 0, /* expect: created-in-loop */ /* note[created-in-loop]: sd_event_add_time_relative() runs again here */
                                       on_timeout, m);
        if (r < 0) /* note[created-in-loop]: taking the false branch: 'r < 0' is false */
            return r;
        sd_event_run(m->event, UINT64_MAX);
    }
    return m->ready ? 0 : -ETIMEDOUT;
}
