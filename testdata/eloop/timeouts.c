/*
 * eloop: timeouts registered with eloop_register_timeout() are keyed by
 * (handler, eloop_data) and cancelled with eloop_cancel_timeout(). There is
 * no handle, and handle-less registrations are not analysed yet: every bug
 * here is a known gap, and no correct function may produce a finding.
 */
#include <stdbool.h>
#include <stddef.h>
#include "eloop.h"

struct sta_info {
    unsigned char addr[6];
    int auth_retries;
    bool associated;
};

struct hostapd_data {
    struct sta_info *sta;
    int beacon_int;
    bool started;
};

extern int hostapd_send_auth(struct hostapd_data *hapd, struct sta_info *sta);

static void ap_handle_timer(void *eloop_ctx, void *timeout_ctx)
{
    struct hostapd_data *hapd = eloop_ctx;
    struct sta_info *sta = timeout_ctx;

    (void)hapd;
    sta->auth_retries++;
}

static void hostapd_beacon_timer(void *eloop_ctx, void *timeout_ctx)
{
    struct hostapd_data *hapd = eloop_ctx;

    (void)timeout_ctx;
    eloop_register_timeout(0, hapd->beacon_int * 1024, hostapd_beacon_timer, hapd, NULL);
}

/* bad: the station is freed on the error path with its timeout still registered */
int bad_sta_freed_with_timeout(struct hostapd_data *hapd)
{
    struct sta_info *sta = os_zalloc(sizeof(*sta));

    if (sta == NULL)
        return -1;
    eloop_register_timeout(5, 0, ap_handle_timer, hapd, sta); /* known-gap: missing-stop */
    if (hostapd_send_auth(hapd, sta) < 0) {
        os_free(sta);
        return -1;
    }
    hapd->sta = sta;
    return 0;
}

/* good: cancelled before the station is freed */
int good_cancel_before_free(struct hostapd_data *hapd)
{
    struct sta_info *sta = os_zalloc(sizeof(*sta));

    if (sta == NULL)
        return -1;
    eloop_register_timeout(5, 0, ap_handle_timer, hapd, sta);
    if (hostapd_send_auth(hapd, sta) < 0) {
        eloop_cancel_timeout(ap_handle_timer, hapd, sta);
        os_free(sta);
        return -1;
    }
    hapd->sta = sta;
    return 0;
}

/* good: a re-registration from the handler itself is the periodic idiom */
void good_start_beacons(struct hostapd_data *hapd)
{
    hapd->started = true;
    eloop_register_timeout(0, hapd->beacon_int * 1024, hostapd_beacon_timer, hapd, NULL);
}

/* The deinit frees hapd without cancelling hostapd_beacon_timer, registered
 * with hapd as its context in good_start_beacons() and
 * hostapd_restart_beacons(): the link phase's case. */
void hostapd_deinit(struct hostapd_data *hapd)
{
    eloop_cancel_timeout(ap_handle_timer, hapd, ELOOP_ALL_CTX);
    os_free(hapd->sta);
    os_free(hapd);
}

void hostapd_restart_beacons(struct hostapd_data *hapd)
{
    eloop_register_timeout(0, hapd->beacon_int * 1024, hostapd_beacon_timer, hapd, NULL); /* known-gap: field-never-stopped */
}
