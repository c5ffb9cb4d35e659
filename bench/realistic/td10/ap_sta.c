/*
 * apd - station table
 *
 * Stations are created on authentication, must associate within
 * STA_AUTH_TIMEOUT seconds and are polled once they have been idle for
 * longer than the configured inactivity limit.
 */

#include "ap.h"

#define STA_AUTH_TIMEOUT 5
#define STA_POLL_TIMEOUT 2
#define STA_MAX_IDENTITY 128

static void sta_auth_timeout(void *eloop_ctx, void *user_ctx);
static void sta_poll_timeout(void *eloop_ctx, void *user_ctx);
static void sta_session_timeout(void *eloop_ctx, void *user_ctx);

struct ap_sta *sta_get(struct ap_iface *iface, const u8 *addr)
{
	struct ap_sta *sta;

	for (sta = iface->sta_list; sta; sta = sta->next) {
		if (memcmp(sta->addr, addr, ETH_ALEN) == 0)
			return sta;
	}
	return NULL;
}


static void sta_unlink(struct ap_iface *iface, struct ap_sta *sta)
{
	struct ap_sta **pos;

	for (pos = &iface->sta_list; *pos; pos = &(*pos)->next) {
		if (*pos == sta) {
			*pos = sta->next;
			iface->num_sta--;
			return;
		}
	}
	wpa_printf(MSG_DEBUG, "%s: STA " MACSTR " not in station list",
		   iface->ifname, MAC2STR(sta->addr));
}


static void sta_free(struct ap_iface *iface, struct ap_sta *sta)
{
	wpa_printf(MSG_DEBUG, "%s: freeing STA " MACSTR, iface->ifname,
		   MAC2STR(sta->addr));

	eloop_cancel_timeout(sta_auth_timeout, sta, NULL);
	eloop_cancel_timeout(sta_session_timeout, sta, NULL);
	sta_unlink(iface, sta);
	os_free(sta->identity);
	os_free(sta);
}


static void sta_disassociate(struct ap_sta *sta, int reason)
{
	struct ap_iface *iface = sta->iface;

	wpa_printf(MSG_INFO, "%s: STA " MACSTR " disassociated (reason %d)",
		   iface->ifname, MAC2STR(sta->addr), reason);

	sta->flags &= ~(STA_ASSOC | STA_AUTHORIZED | STA_POLL_PENDING);
	eloop_cancel_timeout(sta_poll_timeout, sta, NULL);
	ap_drv_sta_remove(iface->drv_priv, sta->addr, reason);
	sta->aid = 0;
}


static void sta_auth_timeout(void *eloop_ctx, void *user_ctx)
{
	struct ap_sta *sta = eloop_ctx;

	wpa_printf(MSG_DEBUG, "%s: STA " MACSTR " did not associate in time",
		   sta->iface->ifname, MAC2STR(sta->addr));
	sta_free(sta->iface, sta);
}


static void sta_session_timeout(void *eloop_ctx, void *user_ctx)
{
	struct ap_sta *sta = eloop_ctx;
	struct ap_iface *iface = sta->iface;

	wpa_printf(MSG_INFO, "%s: session timeout for STA " MACSTR,
		   iface->ifname, MAC2STR(sta->addr));
	sta_disassociate(sta, WLAN_REASON_UNSPECIFIED);
	sta_free(iface, sta);
}


static void sta_poll_timeout(void *eloop_ctx, void *user_ctx)
{
	struct ap_sta *sta = eloop_ctx;
	struct ap_iface *iface = sta->iface;

	if (!(sta->flags & STA_POLL_PENDING))
		return;

	wpa_printf(MSG_DEBUG, "%s: STA " MACSTR " did not answer poll",
		   iface->ifname, MAC2STR(sta->addr));
	sta_disassociate(sta, WLAN_REASON_DISASSOC_INACTIVITY);
	sta_free(iface, sta);
}


static void sta_poll(struct ap_sta *sta)
{
	struct ap_iface *iface = sta->iface;

	/* One outstanding poll per station is enough */
	if (eloop_is_timeout_registered(sta_poll_timeout, sta, NULL))
		return;

	if (ap_drv_poll_sta(iface->drv_priv, sta->addr) < 0) {
		wpa_printf(MSG_DEBUG, "%s: could not poll STA " MACSTR,
			   iface->ifname, MAC2STR(sta->addr));
		return;
	}
	sta->flags |= STA_POLL_PENDING;
	eloop_register_timeout(STA_POLL_TIMEOUT, 0, sta_poll_timeout, sta, NULL); /* expect: field-never-stopped */
}


void sta_poll_ack(struct ap_iface *iface, const u8 *addr)
{
	struct ap_sta *sta = sta_get(iface, addr);

	if (sta == NULL || !(sta->flags & STA_POLL_PENDING))
		return;
	sta->flags &= ~STA_POLL_PENDING;
	eloop_cancel_timeout(sta_poll_timeout, sta, NULL);
}


struct ap_sta *sta_add(struct ap_iface *iface, const u8 *addr)
{
	struct ap_sta *sta;

	sta = sta_get(iface, addr);
	if (sta)
		return sta;

	if (iface->num_sta >= AP_MAX_STA) {
		wpa_printf(MSG_INFO, "%s: station table full, rejecting " MACSTR,
			   iface->ifname, MAC2STR(addr));
		return NULL;
	}

	sta = os_zalloc(sizeof(*sta));
	if (sta == NULL)
		return NULL;
	memcpy(sta->addr, addr, ETH_ALEN);
	sta->iface = iface;
	sta->flags = STA_AUTH;
	sta->next = iface->sta_list;
	iface->sta_list = sta;
	iface->num_sta++;

	eloop_register_timeout(STA_AUTH_TIMEOUT, 0, sta_auth_timeout, sta, NULL);
	wpa_printf(MSG_DEBUG, "%s: added STA " MACSTR, iface->ifname,
		   MAC2STR(addr));
	return sta;
}


int sta_associated(struct ap_sta *sta, u16 aid)
{
	if (!(sta->flags & STA_AUTH))
		return -1;
	eloop_cancel_timeout(sta_auth_timeout, sta, NULL);
	sta->flags |= STA_ASSOC;
	sta->aid = aid;
	return 0;
}


int sta_set_identity(struct ap_sta *sta, const char *identity)
{
	size_t len = strlen(identity);

	if (len > STA_MAX_IDENTITY)
		return -1;
	os_free(sta->identity);
	sta->identity = os_zalloc(len + 1);
	if (sta->identity == NULL)
		return -1;
	memcpy(sta->identity, identity, len);
	return 0;
}


void sta_set_session_timeout(struct ap_sta *sta, unsigned int secs)
{
	if (eloop_is_timeout_registered(sta_session_timeout, sta, NULL))
		eloop_cancel_timeout(sta_session_timeout, sta, NULL);
	sta->session_timeout = secs;
	if (secs == 0)
		return;
	eloop_register_timeout(secs, 0, sta_session_timeout, sta, NULL);
}


int sta_remove(struct ap_iface *iface, const u8 *addr, int reason)
{
	struct ap_sta *sta = sta_get(iface, addr);

	if (sta == NULL)
		return -1;
	sta_disassociate(sta, reason);
	sta_free(iface, sta);
	return 0;
}


void sta_check_inactive(struct ap_iface *iface)
{
	struct ap_sta *sta;
	int inact;

	for (sta = iface->sta_list; sta; sta = sta->next) {
		if (!(sta->flags & STA_ASSOC))
			continue;
		inact = ap_drv_get_inact_sec(iface->drv_priv, sta->addr);
		if (inact < 0)
			continue;
		if ((unsigned int) inact >= iface->conf.inactivity_sec)
			sta_poll(sta);
	}
}


void sta_deinit_all(struct ap_iface *iface)
{
	struct ap_sta *sta, *next;

	/* The driver table was flushed by the caller; no deauth needed */
	for (sta = iface->sta_list; sta; sta = next) {
		next = sta->next;
		sta_free(iface, sta);
	}
	iface->sta_list = NULL;
	iface->num_sta = 0;
}
