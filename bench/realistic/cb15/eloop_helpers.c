// scan: --link
/* ap_timers: station, BSS and interface timers of a hostapd-style access
 * point (inactivity polling, SA Query, EAPOL retransmission, delayed
 * disassociation, scan retry, radar CAC, AP PIN lockout, PMKSA expiry). */
#include <string.h>

#include "../../../testdata/eloop/eloop.h"

#define AP_MAX_INACTIVITY    300
#define AP_DISASSOC_DELAY    3
#define SA_QUERY_RETRY_USEC  201000
#define SA_QUERY_MAX         5
#define EAPOL_RETRANS_SECS   1
#define EAPOL_MAX_RETRIES    4
#define SCAN_RETRY_SECS      5
#define SCAN_MAX_RETRIES     10
#define CAC_SECS             60
#define AP_PIN_LOCK_SECS     60
#define AP_PIN_MAX_FAILURES  3

#define WLAN_STA_AUTH  0x1
#define WLAN_STA_ASSOC 0x2

struct hostapd_data;

struct sta_info {
    struct sta_info *next;
    unsigned char addr[6];
    unsigned int flags;
    int sa_query_count;
    int eapol_retries;
    struct hostapd_data *hapd;
};

struct hostapd_data {
    struct hostapd_iface *iface;
    struct sta_info *sta_list;
    int num_sta;
    int ap_pin_failures;
    int ap_pin_locked;
};

struct hostapd_iface {
    char ifname[16];
    struct hostapd_data *bss;
    int scan_retries;
    int cac_started;
    int freq;
};

struct rsn_pmksa_cache_entry {
    struct rsn_pmksa_cache_entry *next;
    unsigned char spa[6];
    unsigned int expiration;
};

struct rsn_pmksa_cache {
    struct rsn_pmksa_cache_entry *pmksa;
    int pmksa_count;
    unsigned int now;
};

/* driver wrappers, in driver_i.c */
extern int drv_get_inact_sec(const char *ifname, const unsigned char *addr);
extern int drv_sta_deauth(const char *ifname, const unsigned char *addr);
extern int drv_send_sa_query(const char *ifname, const unsigned char *addr);
extern int drv_send_eapol(const char *ifname, const unsigned char *addr);
extern int drv_scan(const char *ifname);
extern int drv_start_cac(const char *ifname, int freq);

/* ---- station timers ---- */

static void ap_handle_timer(void *eloop_ctx, void *timeout_ctx) {
    struct hostapd_data *hapd = eloop_ctx;
    struct sta_info *sta = timeout_ctx;
    int inactive = drv_get_inact_sec(hapd->iface->ifname, sta->addr);
    if (inactive >= 0 && inactive < AP_MAX_INACTIVITY) {
        eloop_register_timeout(AP_MAX_INACTIVITY - inactive, 0, ap_handle_timer, hapd, sta);
        return;
    }
    drv_sta_deauth(hapd->iface->ifname, sta->addr);
}

static void ap_sta_arm_inactivity(struct hostapd_data *hapd, struct sta_info *sta) {
    eloop_cancel_timeout(ap_handle_timer, hapd, sta);
    eloop_register_timeout(AP_MAX_INACTIVITY, 0, ap_handle_timer, hapd, sta);
}

static void ap_sa_query_timer(void *eloop_ctx, void *timeout_ctx);

static void ap_sta_schedule_sa_query(struct hostapd_data *hapd, struct sta_info *sta) {
    eloop_register_timeout(0, SA_QUERY_RETRY_USEC, ap_sa_query_timer, hapd, sta); /* expect: field-never-stopped */
}

static void ap_sa_query_timer(void *eloop_ctx, void *timeout_ctx) {
    struct hostapd_data *hapd = eloop_ctx;
    struct sta_info *sta = timeout_ctx;
    if (++sta->sa_query_count > SA_QUERY_MAX) {
        drv_sta_deauth(hapd->iface->ifname, sta->addr);
        return;
    }
    drv_send_sa_query(hapd->iface->ifname, sta->addr);
    ap_sta_schedule_sa_query(hapd, sta);
}

static void eapol_retrans_timer(void *eloop_ctx, void *timeout_ctx) {
    struct sta_info *sta = eloop_ctx;
    if (++sta->eapol_retries > EAPOL_MAX_RETRIES)
        return;
    drv_send_eapol(sta->hapd->iface->ifname, sta->addr);
    eloop_register_timeout(EAPOL_RETRANS_SECS, 0, eapol_retrans_timer, sta, NULL);
}

static void ap_sta_start_eapol(struct sta_info *sta) {
    sta->eapol_retries = 0;
    drv_send_eapol(sta->hapd->iface->ifname, sta->addr);
    eloop_register_timeout(EAPOL_RETRANS_SECS, 0, eapol_retrans_timer, sta, NULL);
}

static void ap_sta_disassoc_cb(void *eloop_ctx, void *timeout_ctx) {
    struct sta_info *sta = timeout_ctx;
    sta->flags &= ~WLAN_STA_ASSOC;
}

static void ap_sta_reassoc_timer(void *eloop_ctx, void *timeout_ctx) {
    struct sta_info *sta = timeout_ctx;
    sta->flags |= WLAN_STA_ASSOC;
}

static void ap_sta_cancel_disassoc(struct sta_info *sta) {
    eloop_cancel_timeout(ap_sta_disassoc_cb, ELOOP_ALL_CTX, sta);
}

void ap_sta_disassociate(struct hostapd_data *hapd, struct sta_info *sta) {
    eloop_cancel_timeout(ap_handle_timer, hapd, sta);
    eloop_register_timeout(AP_DISASSOC_DELAY, 0, ap_sta_disassoc_cb, hapd, sta);
}

void ap_sta_deauthenticate(struct hostapd_data *hapd, struct sta_info *sta) {
    sta->flags &= ~(WLAN_STA_AUTH | WLAN_STA_ASSOC);
    ap_sta_cancel_disassoc(sta);
    drv_sta_deauth(hapd->iface->ifname, sta->addr);
}

static void sta_info_free(struct hostapd_data *hapd, struct sta_info *sta) {
    eloop_cancel_timeout(ap_handle_timer, hapd, sta);
    eloop_cancel_timeout(ap_sa_query_timer, hapd, NULL);
    eloop_cancel_timeout(eapol_retrans_timer, sta, ELOOP_ALL_CTX);
    ap_sta_cancel_disassoc(sta);
    eloop_cancel_timeout(ap_sta_reassoc_timer, hapd, sta);
    hapd->num_sta--;
    os_free(sta);
}

struct sta_info *ap_sta_add(struct hostapd_data *hapd, const unsigned char *addr, int mfp) {
    struct sta_info *sta = os_zalloc(sizeof(*sta));
    if (!sta)
        return NULL;
    memcpy(sta->addr, addr, 6);
    sta->hapd = hapd;
    sta->next = hapd->sta_list;
    hapd->sta_list = sta;
    hapd->num_sta++;
    ap_sta_arm_inactivity(hapd, sta);
    if (mfp)
        ap_sta_schedule_sa_query(hapd, sta);
    ap_sta_start_eapol(sta);
    return sta;
}

static void ap_sta_free_all(struct hostapd_data *hapd) {
    struct sta_info *sta = hapd->sta_list, *next;
    while (sta) {
        next = sta->next;
        sta_info_free(hapd, sta);
        sta = next;
    }
    hapd->sta_list = NULL;
}

/* ---- BSS timers ---- */

static void hostapd_wps_reenable_ap_pin(void *eloop_ctx, void *timeout_ctx) {
    struct hostapd_data *hapd = eloop_ctx;
    hapd->ap_pin_locked = 0;
    hapd->ap_pin_failures = 0;
}

void hostapd_wps_ap_pin_failed(struct hostapd_data *hapd) {
    if (++hapd->ap_pin_failures < AP_PIN_MAX_FAILURES || hapd->ap_pin_locked)
        return;
    hapd->ap_pin_locked = 1;
    eloop_register_timeout(AP_PIN_LOCK_SECS, 0, hostapd_wps_reenable_ap_pin, hapd, NULL); /* expect: field-never-stopped */
}

static void hostapd_periodic(void *eloop_ctx, void *timeout_ctx) {
    struct hostapd_data *hapd = eloop_ctx;
    if (hapd->num_sta == 0)
        hapd->ap_pin_failures = 0;
    eloop_register_timeout(1, 0, hostapd_periodic, hapd, NULL);
}

static struct hostapd_data *hostapd_bss_init(struct hostapd_iface *iface) {
    struct hostapd_data *hapd = os_zalloc(sizeof(*hapd));
    if (!hapd)
        return NULL;
    hapd->iface = iface;
    eloop_register_timeout(1, 0, hostapd_periodic, hapd, NULL);
    return hapd;
}

static void hostapd_bss_deinit(struct hostapd_data *hapd) {
    eloop_cancel_timeout(hostapd_periodic, ELOOP_ALL_CTX, ELOOP_ALL_CTX);
    ap_sta_free_all(hapd);
    os_free(hapd);
}

/* ---- interface timers ---- */

static void iface_scan_retry(void *eloop_ctx, void *timeout_ctx);

static void iface_schedule_scan(struct hostapd_iface *iface) {
    eloop_register_timeout(SCAN_RETRY_SECS, 0, iface_scan_retry, iface, NULL);
}

static void iface_scan_retry(void *eloop_ctx, void *timeout_ctx) {
    struct hostapd_iface *iface = eloop_ctx;
    if (drv_scan(iface->ifname) < 0 && ++iface->scan_retries < SCAN_MAX_RETRIES)
        iface_schedule_scan(iface);
}

static void iface_cac_timeout(void *eloop_ctx, void *timeout_ctx) {
    struct hostapd_iface *iface = eloop_ctx;
    iface->cac_started = 0;
}

static int iface_start_cac(struct hostapd_iface *iface) {
    if (drv_start_cac(iface->ifname, iface->freq) < 0)
        return -1;
    iface->cac_started = 1;
    eloop_register_timeout(CAC_SECS, 0, iface_cac_timeout, iface, NULL); /* expect: field-never-stopped */
    return 0;
}

static void iface_cancel_timers(struct hostapd_iface *iface) {
    eloop_cancel_timeout(iface_scan_retry, iface, ELOOP_ALL_CTX);
}

struct hostapd_iface *iface_init(const char *ifname, int freq, int dfs) {
    struct hostapd_iface *iface = os_zalloc(sizeof(*iface));
    if (!iface)
        return NULL;
    strncpy(iface->ifname, ifname, sizeof(iface->ifname) - 1);
    iface->freq = freq;
    iface->bss = hostapd_bss_init(iface);
    if (!iface->bss)
        goto fail;
    if (drv_scan(iface->ifname) < 0)
        iface_schedule_scan(iface);
    if (dfs && iface_start_cac(iface) < 0)
        goto fail;
    return iface;
fail:
    iface_cancel_timers(iface);
    if (iface->bss)
        hostapd_bss_deinit(iface->bss);
    os_free(iface);
    return NULL;
}

void iface_deinit(struct hostapd_iface *iface) {
    eloop_cancel_timeout(iface_scan_retry, iface, NULL);
    iface_cancel_timers(iface);
    hostapd_bss_deinit(iface->bss);
    os_free(iface);
}

/* ---- PMKSA cache ---- */

static void pmksa_cache_set_expiration(struct rsn_pmksa_cache *pmksa);

static void pmksa_cache_expire(void *eloop_ctx, void *timeout_ctx) {
    struct rsn_pmksa_cache *pmksa = eloop_ctx;
    while (pmksa->pmksa && pmksa->pmksa->expiration <= pmksa->now) {
        struct rsn_pmksa_cache_entry *entry = pmksa->pmksa;
        pmksa->pmksa = entry->next;
        pmksa->pmksa_count--;
        os_free(entry);
    }
    pmksa_cache_set_expiration(pmksa);
}

static void pmksa_cache_set_expiration(struct rsn_pmksa_cache *pmksa) {
    eloop_cancel_timeout(pmksa_cache_expire, pmksa, NULL);
    if (!pmksa->pmksa)
        return;
    eloop_register_timeout(pmksa->pmksa->expiration - pmksa->now + 1, 0, pmksa_cache_expire, pmksa, NULL); /* expect: field-never-stopped */
}

void pmksa_cache_add(struct rsn_pmksa_cache *pmksa, const unsigned char *spa, unsigned int lifetime) {
    struct rsn_pmksa_cache_entry *entry = os_zalloc(sizeof(*entry));
    if (!entry)
        return;
    memcpy(entry->spa, spa, 6);
    entry->expiration = pmksa->now + lifetime;
    entry->next = pmksa->pmksa;
    pmksa->pmksa = entry;
    pmksa->pmksa_count++;
    pmksa_cache_set_expiration(pmksa);
}

void pmksa_cache_deinit(struct rsn_pmksa_cache *pmksa) {
    struct rsn_pmksa_cache_entry *entry = pmksa->pmksa, *next;
    while (entry) {
        next = entry->next;
        os_free(entry);
        entry = next;
    }
    os_free(pmksa);
}
