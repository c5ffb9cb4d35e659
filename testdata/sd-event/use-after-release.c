/*
 * use-after-release (sd-event): a timer source used, or unreferenced again,
 * after its reference was dropped on that path. Reported on the offending
 * call.
 */
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <systemd/sd-event.h>

typedef struct Link {
    sd_event *event;
    uint64_t lease_usec;
    bool lost;
} Link;

static int on_lease(sd_event_source *s, uint64_t usec, void *userdata)
{
    Link *l = userdata;

    (void)s;
    (void)usec;
    l->lost = true;
    return 0;
}

/* Drops its parameter's reference on every path. */
static void lease_timer_free(sd_event_source *s)
{
    sd_event_source_disable_unref(s);
}

/* bad: the lost branch unrefs the source and the exit unrefs it again */
int bad_double_unref(Link *l)
{
    sd_event_source *s = NULL;
    int r;

    r = sd_event_add_time_relative(l->event, &s, CLOCK_BOOTTIME, l->lease_usec, 0, on_lease, l);
    if (r < 0)
        return r;
    r = sd_event_run(l->event, UINT64_MAX);
    if (l->lost)
        sd_event_source_unref(s);
    sd_event_source_unref(s); /* expect: use-after-release */
    return r;
}

/* bad: the lease timer is re-armed after it was released */
int bad_set_time_after_unref(Link *l)
{
    sd_event_source *s;
    int r;

    r = sd_event_add_time_relative(l->event, &s, CLOCK_BOOTTIME, l->lease_usec, 0, on_lease, l);
    if (r < 0)
        return r;
    lease_timer_free(s);
    r = sd_event_source_set_time_relative(s, l->lease_usec / 2); /* expect: use-after-release */
    return r;
}

/* bad: enabled after its last reference was dropped */
void bad_enable_after_unref(Link *l)
{
    sd_event_source *s;

    if (sd_event_add_time_relative(l->event, &s, CLOCK_MONOTONIC, l->lease_usec, 0, on_lease, l) < 0)
        return;
    sd_event_source_unref(s);
    sd_event_source_set_enabled(s, SD_EVENT_ONESHOT); /* expect: use-after-release */
}

/* good: `s = sd_event_source_unref(s)` leaves NULL behind; re-added into s */
int good_unref_assign_null_then_readd(Link *l)
{
    sd_event_source *s = NULL;
    int r;

    r = sd_event_add_time_relative(l->event, &s, CLOCK_MONOTONIC, l->lease_usec, 0, on_lease, l);
    if (r < 0)
        return r;
    s = sd_event_source_unref(s);
    r = sd_event_add_time_relative(l->event, &s, CLOCK_MONOTONIC, 2 * l->lease_usec, 0, on_lease, l);
    if (r < 0)
        return r;
    sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
    r = sd_event_loop(l->event);
    sd_event_source_disable_unref(s);
    return r;
}
