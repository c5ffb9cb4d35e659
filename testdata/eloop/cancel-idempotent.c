// scan: --link
/*
 * eloop (hostapd), cancelling is idempotent: eloop_cancel_timeout(handler,
 * eloop_data, user_data) removes every registered timeout that matches and
 * returns how many it removed, 0 when there was none. Cancelling twice,
 * cancelling before (re-)registering (the usual "restart the timeout"
 * idiom), cancel + register + cancel, a cancel by a helper followed by
 * another, a query after a cancel: all defined, none a use-after-release.
 * There is no handle: the context pointers (eloop_data, user_data) only key
 * the registration, so a finding never names a context pointer ('hapd',
 * 'sta', 'wpa_s') as if it were a timer that was released.
 *
 * With the link phase, the positives: a handler registered on a context and
 * cancelled by no function (a cancel of another handler, however often,
 * does not count), reported at its registration and named as the
 * registration of that handler on its context type.
 */
#include <stdbool.h>
#include <stddef.h>
#include "eloop.h"

struct sta_info {
    unsigned char addr[6];
    int timeouts;
    bool authorized;
};

struct hostapd_data {
    struct sta_info *sta;
    int ap_max_inactivity;
};

struct wpa_supplicant {
    int scan_interval;
    int auth_attempts;
};

static void ap_handle_timer(void *eloop_ctx, void *timeout_ctx)
{
    struct sta_info *sta = timeout_ctx;

    (void)eloop_ctx;
    sta->timeouts++;
}

static void ap_sa_query_timer(void *eloop_ctx, void *timeout_ctx)
{
    struct sta_info *sta = timeout_ctx;

    (void)eloop_ctx;
    sta->authorized = false;
}

/* Never cancelled by any function: bad. */
static void ap_max_inactivity_timer(void *eloop_ctx, void *timeout_ctx)
{
    struct sta_info *sta = timeout_ctx;

    (void)eloop_ctx;
    sta->authorized = false;
}

static void wpa_scan_timeout(void *eloop_ctx, void *timeout_ctx)
{
    (void)eloop_ctx;
    (void)timeout_ctx;
}

/* Never cancelled: only wpa_scan_timeout is, twice, in wpa_deinit: bad. */
static void wpa_auth_timeout(void *eloop_ctx, void *timeout_ctx)
{
    struct wpa_supplicant *wpa_s = eloop_ctx;

    (void)timeout_ctx;
    wpa_s->auth_attempts++;
}

/* Cancels both station timeouts for this station. */
static void sta_cancel_timers(struct hostapd_data *hapd, struct sta_info *sta)
{
    eloop_cancel_timeout(ap_handle_timer, hapd, sta);
    eloop_cancel_timeout(ap_sa_query_timer, hapd, sta);
}

/* good: cancelled twice: the second finds nothing and returns 0 */
void good_cancel_twice(struct hostapd_data *hapd, struct sta_info *sta)
{
    eloop_cancel_timeout(ap_handle_timer, hapd, sta);
    eloop_cancel_timeout(ap_handle_timer, hapd, sta);
}

/* good: restart the timeout: cancel any pending one, register the new one */
void good_reschedule(struct hostapd_data *hapd, struct sta_info *sta, unsigned int secs)
{
    eloop_cancel_timeout(ap_handle_timer, hapd, sta);
    eloop_register_timeout(secs, 0, ap_handle_timer, hapd, sta);
}

/* good: cancel, register, and cancel again when the station goes away */
int good_cancel_register_cancel(struct hostapd_data *hapd, struct sta_info *sta, bool leaving)
{
    eloop_cancel_timeout(ap_sa_query_timer, hapd, sta);
    if (eloop_register_timeout(1, 0, ap_sa_query_timer, hapd, sta) < 0)
        return -1;
    if (leaving)
        eloop_cancel_timeout(ap_sa_query_timer, hapd, sta);
    return 0;
}

/* good: a helper cancelled it, the caller cancels it again */
void good_cancel_after_helper(struct hostapd_data *hapd, struct sta_info *sta)
{
    sta_cancel_timers(hapd, sta);
    eloop_cancel_timeout(ap_handle_timer, hapd, sta);
}

/* good: cancelled on every station, then on this one */
void good_all_ctx_then_one(struct hostapd_data *hapd, struct sta_info *sta)
{
    eloop_cancel_timeout(ap_handle_timer, hapd, ELOOP_ALL_CTX);
    eloop_cancel_timeout(ap_handle_timer, hapd, sta);
}

/* good: asking whether it is registered after cancelling it */
int good_query_after_cancel(struct hostapd_data *hapd, struct sta_info *sta)
{
    eloop_cancel_timeout(ap_sa_query_timer, hapd, sta);
    if (eloop_is_timeout_registered(ap_sa_query_timer, hapd, sta))
        return -1;
    return eloop_register_timeout(2, 0, ap_sa_query_timer, hapd, sta);
}

/* good: the station is freed after its timeouts were cancelled, one of
 * them twice (through the helper and directly) */
void sta_free(struct hostapd_data *hapd, struct sta_info *sta)
{
    sta_cancel_timers(hapd, sta);
    eloop_cancel_timeout(ap_handle_timer, hapd, sta);
    if (hapd->sta == sta)
        hapd->sta = NULL;
    os_free(sta);
}

/* bad: the inactivity timeout is registered here and cancelled nowhere */
void sta_start_inactivity(struct hostapd_data *hapd, struct sta_info *sta)
{
    eloop_cancel_timeout(ap_handle_timer, hapd, sta);
    eloop_register_timeout(hapd->ap_max_inactivity, 0, ap_max_inactivity_timer, hapd, sta); /* expect: field-never-stopped */ /* note[field-never-stopped]: the registration of ap_max_inactivity_timer on struct hostapd_data */
}

void hostapd_deinit(struct hostapd_data *hapd)
{
    eloop_cancel_timeout(ap_handle_timer, hapd, ELOOP_ALL_CTX);
    eloop_cancel_timeout(ap_sa_query_timer, hapd, ELOOP_ALL_CTX);
    os_free(hapd->sta);
    os_free(hapd);
}

int wpa_start(struct wpa_supplicant *wpa_s)
{
    eloop_cancel_timeout(wpa_scan_timeout, wpa_s, NULL);
    if (eloop_register_timeout(wpa_s->scan_interval, 0, wpa_scan_timeout, wpa_s, NULL) < 0)
        return -1;
    return eloop_register_timeout(10, 0, wpa_auth_timeout, wpa_s, NULL); /* expect: field-never-stopped */ /* note[field-never-stopped]: the registration of wpa_auth_timeout on struct wpa_supplicant */
}

/* cancels the scan timeout twice, the auth timeout never */
void wpa_deinit(struct wpa_supplicant *wpa_s)
{
    eloop_cancel_timeout(wpa_scan_timeout, wpa_s, NULL);
    eloop_cancel_timeout(wpa_scan_timeout, wpa_s, ELOOP_ALL_CTX);
    os_free(wpa_s);
}
