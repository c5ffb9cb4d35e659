/*
 * An sd-event handler is given its own source (its first parameter): a
 * handler that drops the reference (sd_event_source_unref(s)) owns the
 * source the function made, so the function's dropping its pointer is no
 * leak. A handler that never touches its source leaves the reference to
 * whoever made it (bench/realistic/td14/linkwatchd.c:204 was a false
 * missing-stop before the rule said which parameter gets the source).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <systemd/sd-event.h>

struct resend {
    int sock;
    char msg[64];
};

static int resend_once(sd_event_source *s, uint64_t usec, void *userdata)
{
    (void)usec;
    free(userdata);
    sd_event_source_unref(s);
    return 0;
}

static int just_log(sd_event_source *s, uint64_t usec, void *userdata)
{
    (void)s, (void)usec, (void)userdata;
    return 0;
}

/* good: resend_once drops the source's reference when it runs */
int resend_later(sd_event *e, int sock)
{
    struct resend *r = calloc(1, sizeof *r);
    sd_event_source *s;
    if (!r)
        return -ENOMEM;
    r->sock = sock;
    int k = sd_event_add_time_relative(e, &s, CLOCK_MONOTONIC, 500000, 0, resend_once, r);
    if (k < 0) {
        free(r);
        return k;
    }
    return 0;
}

/* bad: just_log never drops it, and nothing else holds the pointer */
int log_later(sd_event *e)
{
    sd_event_source *s;
    int k = sd_event_add_time_relative(e, &s, CLOCK_MONOTONIC, 500000, 0, just_log, NULL); /* expect: missing-stop */
    if (k < 0)
        return k;
    return 0;
}
