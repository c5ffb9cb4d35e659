/*
 * created-in-loop when a loop body's own variable is reset at the top of
 * each iteration (`sd_event_source *s = NULL;`): the reset is where last
 * iteration's source is lost, one more each time round, so it is the loop's
 * leak, not "overwritten" once (bench/realistic/td14/linkwatchd.c:171 read
 * missing-stop before). A source created before the loop and overwritten
 * inside it is lost once: missing-stop.
 */
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <systemd/sd-event.h>

static int on_time(sd_event_source *s, uint64_t usec, void *userdata)
{
    (void)s, (void)usec, (void)userdata;
    return 0;
}

/* bad: one source per peer, each reference dropped by the next reset */
int stagger(sd_event *e, void **peers, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sd_event_source *s = NULL;
        int r = sd_event_add_time_relative(e, &s, CLOCK_MONOTONIC, (i + 1) * 1000, 0, on_time, peers[i]); /* expect: created-in-loop */
        if (r < 0)
            return r;
        (void)sd_event_source_set_description(s, "stagger");
    }
    return 0;
}

/* good: the reset finds nothing alive, each source is unreferenced in its
 * iteration (floating: the loop owns it) */
int stagger_floating(sd_event *e, void **peers, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sd_event_source *s = NULL;
        int r = sd_event_add_time_relative(e, &s, CLOCK_MONOTONIC, (i + 1) * 1000, 0, on_time, peers[i]);
        if (r < 0)
            return r;
        r = sd_event_source_set_floating(s, 1);
        sd_event_source_unref(s);
        if (r < 0)
            return r;
    }
    return 0;
}

/* bad, once: made before the loop, its reference lost at the first reset
 * inside it */
int retry(sd_event *e, int tries)
{
    sd_event_source *s = NULL;
    int r = sd_event_add_time_relative(e, &s, CLOCK_MONOTONIC, 5000, 0, on_time, NULL); /* expect: missing-stop */
    if (r < 0)
        return r;
    for (int k = 0; k < tries; k++) {
        s = NULL;
        if (k > 3)
            break;
    }
    return 0;
}
