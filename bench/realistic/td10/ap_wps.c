/*
 * apd - Wi-Fi Protected Setup (registrar side)
 *
 * Only one enrollee session is handled at a time. The session is bounded
 * by a timeout that is restarted whenever the enrollee makes progress.
 * Too many PIN failures lock AP setup for WPS_AP_SETUP_LOCK_TIME seconds.
 */

#include <stdio.h>
#include "ap.h"

#define WPS_PBC_WALK_TIME 120
#define WPS_DEFAULT_TIMEOUT 60
#define WPS_MAX_PIN_FAILURES 3
#define WPS_AP_SETUP_LOCK_TIME 300

enum wps_msg {
	WPS_MSG_M1 = 1, WPS_MSG_M2, WPS_MSG_M3, WPS_MSG_M4, WPS_MSG_M5,
	WPS_MSG_M6, WPS_MSG_M7, WPS_MSG_M8, WPS_MSG_DONE, WPS_MSG_NACK
};

struct wps_session {
	struct wps_context *wps;
	u8 peer_addr[ETH_ALEN];
	int state;
	unsigned int msgs;
	int pbc;
	char pin[9];
};

struct wps_context {
	struct ap_iface *iface;
	struct wps_session *session;
	unsigned int timeout;
	int pbc_active;
	int ap_setup_locked;
	unsigned int pin_failures;
	unsigned int success_count;
};


static void wps_session_free(struct wps_session *sess)
{
	sess->pin[0] = '\0';
	os_free(sess);
}


static void wps_session_timeout(void *eloop_ctx, void *user_ctx)
{
	struct wps_session *sess = eloop_ctx;
	struct wps_context *wps = sess->wps;

	wpa_printf(MSG_INFO, "%s: WPS session with " MACSTR " timed out in state %d",
		   wps->iface->ifname, MAC2STR(sess->peer_addr), sess->state);
	wps->session = NULL;
	wps_session_free(sess);
}


static void wps_session_arm(struct wps_session *sess, unsigned int secs)
{
	eloop_register_timeout(secs, 0, wps_session_timeout, sess, NULL); /* expect: field-never-stopped */
}


static void wps_session_done(struct wps_context *wps, int success)
{
	struct wps_session *sess = wps->session;

	if (sess == NULL)
		return;

	eloop_cancel_timeout(wps_session_timeout, sess, NULL);
	wps->session = NULL;
	if (success) {
		wps->success_count++;
		wps->pin_failures = 0;
	}
	wpa_printf(MSG_INFO, "%s: WPS session with " MACSTR " %s",
		   wps->iface->ifname, MAC2STR(sess->peer_addr),
		   success ? "completed" : "failed");
	wps_session_free(sess);
}


static void wps_ap_setup_unlock(void *eloop_ctx, void *user_ctx)
{
	struct wps_context *wps = eloop_ctx;

	wpa_printf(MSG_INFO, "%s: WPS AP setup unlocked", wps->iface->ifname);
	wps->ap_setup_locked = 0;
	wps->pin_failures = 0;
	iface_schedule_beacon_update(wps->iface);
}


static void wps_pin_failure(struct wps_context *wps)
{
	wps->pin_failures++;
	if (wps->pin_failures < WPS_MAX_PIN_FAILURES || wps->ap_setup_locked)
		return;

	wpa_printf(MSG_WARNING, "%s: %u PIN failures, locking AP setup for %d s",
		   wps->iface->ifname, wps->pin_failures,
		   WPS_AP_SETUP_LOCK_TIME);
	wps->ap_setup_locked = 1;
	eloop_register_timeout(WPS_AP_SETUP_LOCK_TIME, 0, wps_ap_setup_unlock,
			       wps, NULL);
	iface_schedule_beacon_update(wps->iface);
}


static void wps_pbc_timeout(void *eloop_ctx, void *user_ctx)
{
	struct wps_context *wps = eloop_ctx;

	wpa_printf(MSG_DEBUG, "%s: PBC walk time expired", wps->iface->ifname);
	wps->pbc_active = 0;
	iface_schedule_beacon_update(wps->iface);
}


int wps_button_pushed(struct ap_iface *iface)
{
	struct wps_context *wps = iface->wps;

	if (wps == NULL || wps->ap_setup_locked)
		return -1;

	/* A new button press restarts the walk time */
	eloop_cancel_timeout(wps_pbc_timeout, wps, NULL);
	wps->pbc_active = 1;
	eloop_register_timeout(WPS_PBC_WALK_TIME, 0, wps_pbc_timeout, wps, NULL);
	iface_schedule_beacon_update(iface);
	return 0;
}


int wps_start_session(struct ap_iface *iface, const u8 *peer, const char *pin)
{
	struct wps_context *wps = iface->wps;
	struct wps_session *sess;

	if (wps == NULL || wps->ap_setup_locked)
		return -1;
	if (wps->session) {
		wpa_printf(MSG_DEBUG, "%s: WPS busy, ignoring " MACSTR,
			   iface->ifname, MAC2STR(peer));
		return -1;
	}
	if (pin == NULL && !wps->pbc_active)
		return -1;

	sess = os_zalloc(sizeof(*sess));
	if (sess == NULL)
		return -1;
	sess->wps = wps;
	memcpy(sess->peer_addr, peer, ETH_ALEN);
	if (pin)
		snprintf(sess->pin, sizeof(sess->pin), "%s", pin);
	else
		sess->pbc = 1;
	sess->state = WPS_MSG_M1;

	wps->session = sess;
	wps_session_arm(sess, wps->timeout);
	return 0;
}


int wps_process_msg(struct ap_iface *iface, const u8 *peer, int msg)
{
	struct wps_context *wps = iface->wps;
	struct wps_session *sess = wps ? wps->session : NULL;

	if (sess == NULL || memcmp(sess->peer_addr, peer, ETH_ALEN) != 0)
		return -1;

	if (msg == WPS_MSG_NACK) {
		if (!sess->pbc)
			wps_pin_failure(wps);
		wps_session_done(wps, 0);
		return 0;
	}

	sess->state = msg;
	sess->msgs++;
	if (msg == WPS_MSG_DONE) {
		wps_session_done(wps, 1);
		eloop_cancel_timeout(wps_pbc_timeout, wps, NULL);
		wps->pbc_active = 0;
		iface_schedule_beacon_update(iface);
		return 0;
	}

	/* The enrollee is making progress; give it a full timeout again */
	eloop_cancel_timeout(wps_session_timeout, sess, NULL);
	wps_session_arm(sess, wps->timeout);
	return 0;
}


void wps_cancel(struct ap_iface *iface)
{
	struct wps_context *wps = iface->wps;

	if (wps == NULL)
		return;
	wps_session_done(wps, 0);
	eloop_cancel_timeout(wps_pbc_timeout, wps, NULL);
	wps->pbc_active = 0;
}


struct wps_context *wps_init(struct ap_iface *iface)
{
	struct wps_context *wps;

	wps = os_zalloc(sizeof(*wps));
	if (wps == NULL)
		return NULL;
	wps->iface = iface;
	wps->timeout = iface->conf.wps_timeout ? iface->conf.wps_timeout :
		WPS_DEFAULT_TIMEOUT;
	return wps;
}


void wps_deinit(struct ap_iface *iface)
{
	struct wps_context *wps = iface->wps;

	if (wps == NULL)
		return;

	eloop_cancel_timeout(wps_pbc_timeout, wps, NULL);
	eloop_cancel_timeout(wps_ap_setup_unlock, wps, NULL);
	if (wps->session) {
		wpa_printf(MSG_DEBUG, "%s: aborting WPS session in state %d",
			   iface->ifname, wps->session->state);
		wps_session_free(wps->session);
		wps->session = NULL;
	}
	os_free(wps);
	iface->wps = NULL;
}
