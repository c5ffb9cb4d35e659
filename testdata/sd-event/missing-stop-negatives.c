/*
 * missing-stop (sd-event), negatives: sources unreferenced on every path,
 * _cleanup_ variables, floating sources (NULL second argument), sources
 * stored through a pointer or into a global or returned through *ret, and
 * status checks of the creating call. No finding, except where marked.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <systemd/sd-event.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

typedef struct Service {
    sd_event *event;
    sd_event_source *watchdog_source;
    sd_event_source *restart_source;
    uint64_t watchdog_usec;
    int restarts;
} Service;

static sd_event_source *gc_source;

extern int service_start_main(Service *svc);

static int on_watchdog(sd_event_source *s, uint64_t usec, void *userdata)
{
    Service *svc = userdata;

    (void)s;
    (void)usec;
    svc->restarts++;
    return 0;
}

/* Drops its parameter's reference on every path. */
static void source_free(sd_event_source *s)
{
    (void)sd_event_source_set_enabled(s, SD_EVENT_OFF);
    sd_event_source_unref(s);
}

/* good: `if (r < 0) return r;` - no source on that return; unreffed on the others */
int good_status_checked_and_unreffed(Service *svc)
{
    sd_event_source *s = NULL;
    int r;

    r = sd_event_add_time_relative(svc->event, &s, CLOCK_MONOTONIC, svc->watchdog_usec, 0, on_watchdog, svc);
    if (r < 0)
        return r;
    r = service_start_main(svc);
    if (r < 0) {
        sd_event_source_disable_unref(s);
        return r;
    }
    r = sd_event_loop(svc->event);
    source_free(s);
    return r;
}

/* good: the systemd idiom: a _cleanup_ variable drops the reference on every exit */
int good_cleanup_variable(Service *svc)
{
    _cleanup_(sd_event_source_unrefp) sd_event_source *s = NULL;
    int r;

    r = sd_event_add_time_relative(svc->event, &s, CLOCK_MONOTONIC, svc->watchdog_usec, 0, on_watchdog, svc);
    if (r < 0)
        return r;
    r = service_start_main(svc);
    if (r < 0)
        return r;
    return sd_event_loop(svc->event);
}

/* good: a floating source is owned by the event loop */
int good_floating_source(Service *svc)
{
    return sd_event_add_time_relative(svc->event, NULL, CLOCK_MONOTONIC, svc->watchdog_usec, 0, on_watchdog, svc);
}

/* good: the source is kept in the service, reached through a pointer */
int good_field_through_pointer(Service *svc)
{
    int r;

    r = sd_event_add_time_relative(svc->event, &svc->watchdog_source, CLOCK_MONOTONIC,
                                   svc->watchdog_usec, 0, on_watchdog, svc);
    if (r < 0)
        return r;
    return sd_event_source_set_description(svc->watchdog_source, "watchdog");
}

/* good: added into a local, then moved into the service */
int good_local_then_field(Service *svc)
{
    sd_event_source *s;
    int r;

    r = sd_event_add_time_relative(svc->event, &s, CLOCK_MONOTONIC, svc->watchdog_usec, 0, on_watchdog, svc);
    if (r < 0)
        return r;
    svc->restart_source = s;
    return 0;
}

/* good: returned to the caller through *ret */
int good_returned_through_ret(Service *svc, sd_event_source **ret)
{
    sd_event_source *s;
    int r;

    r = sd_event_add_time_relative(svc->event, &s, CLOCK_MONOTONIC, svc->watchdog_usec, 0, on_watchdog, svc);
    if (r < 0)
        return r;
    *ret = s;
    return 0;
}

/* good: a global source */
int good_global_source(Service *svc)
{
    return sd_event_add_time_relative(svc->event, &gc_source, CLOCK_MONOTONIC, 60000000, 0, on_watchdog, svc);
}

/* good: the path that does not unref ends in abort() */
void good_abort_path(Service *svc)
{
    sd_event_source *s;

    if (sd_event_add_time_relative(svc->event, &s, CLOCK_MONOTONIC, svc->watchdog_usec, 0, on_watchdog, svc) < 0)
        abort();
    if (service_start_main(svc) < 0)
        abort();
    sd_event_loop(svc->event);
    sd_event_source_unref(s);
}

/* The teardown frees the service without dropping svc->restart_source,
 * added in service_arm_restart(): a cross-function bug for the link phase. */
void service_free(Service *svc)
{
    sd_event_source_disable_unref(svc->watchdog_source);
    free(svc);
}

int service_arm_restart(Service *svc, uint64_t delay)
{
    return sd_event_add_time_relative(svc->event, &svc->restart_source, CLOCK_MONOTONIC, delay, 0, /* known-gap: field-never-stopped */
                                      on_watchdog, svc);
}
