// scan: --link
/* field-never-stopped for handle-less registrations (hostapd eloop): a
 * timeout registered with a context must be cancelled by some function,
 * by its handler and that context, or by its handler on every context
 * (ELOOP_ALL_CTX as the context). */
#include <stdbool.h>
#include <stddef.h>
#include "../eloop/eloop.h"

struct hostapd_data {
    int beacon_int;
    int retries;
};

struct wpa_s {
    int scan_interval;
};

static void beacon_timer(void *eloop_ctx, void *timeout_ctx)
{
    struct hostapd_data *hapd = eloop_ctx;

    (void)timeout_ctx;
    eloop_register_timeout(0, hapd->beacon_int * 1024, beacon_timer, hapd, NULL); /* expect: field-never-stopped */ /* note[field-never-stopped]: the registration of beacon_timer on struct hostapd_data created here by eloop_register_timeout() in beacon_timer() */
}

static void auth_timer(void *eloop_ctx, void *timeout_ctx)
{
    ((struct hostapd_data *)eloop_ctx)->retries++;
    (void)timeout_ctx;
}

static void scan_timer(void *eloop_ctx, void *timeout_ctx)
{
    (void)eloop_ctx;
    (void)timeout_ctx;
}

/* bad: the beacon timeout is registered here and in its own handler, and
 * hostapd_deinit never cancels it */
void hostapd_start(struct hostapd_data *hapd)
{
    eloop_register_timeout(0, hapd->beacon_int * 1024, beacon_timer, hapd, NULL); /* note[field-never-stopped]: the registration of beacon_timer on struct hostapd_data created here by eloop_register_timeout() in hostapd_start() */
    eloop_register_timeout(5, 0, auth_timer, hapd, NULL);
}

/* cancels auth_timer for this context: that one is fine */
void hostapd_deinit(struct hostapd_data *hapd)
{
    eloop_cancel_timeout(auth_timer, hapd, ELOOP_ALL_CTX);
    os_free(hapd);
}

/* good: cancelled for every context with ELOOP_ALL_CTX */
void wpa_start_scan(struct wpa_s *wpa)
{
    eloop_register_timeout(wpa->scan_interval, 0, scan_timer, wpa, NULL);
}

void wpa_deinit(struct wpa_s *wpa)
{
    eloop_cancel_timeout(scan_timer, ELOOP_ALL_CTX, ELOOP_ALL_CTX);
    os_free(wpa);
}
