/* link-events.h: the objects of teardown-dispatch.c and the event
 * dispatcher of parts/link-events.c that their teardowns go through. */
#ifndef TESTDATA_LINK_EVENTS_H
#define TESTDATA_LINK_EVENTS_H

enum link_event {
    LINK_EV_UP,
    LINK_EV_DOWN,
    LINK_EV_ASSOC,
    LINK_EV_DEAUTH,
    LINK_EV_RESET,
    LINK_EV_GONE,
};

struct assoc_link {
    int state;
    int retries;
};

struct probe_link {
    int state;
    int probes;
};

struct wake_link {
    int state;
    int wakeups;
};

struct scan_link {
    int state;
    int scans;
};

struct idle_link {
    int state;
    int idle_secs;
};

/* The handlers of the timeouts each link registers on itself. */
void assoc_link_retry(void *eloop_ctx, void *timeout_ctx);
void probe_link_retry(void *eloop_ctx, void *timeout_ctx);
void wake_link_retry(void *eloop_ctx, void *timeout_ctx);
void scan_link_retry(void *eloop_ctx, void *timeout_ctx);
void idle_link_retry(void *eloop_ctx, void *timeout_ctx);

/* Runs what event `ev` means for the link `ctx` (any of the above). */
void link_event(void *ctx, enum link_event ev);

#endif
