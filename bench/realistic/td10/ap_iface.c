/*
 * apd - interface objects
 *
 * An interface is allocated with iface_alloc(), brought up with
 * iface_init() and taken down with iface_deinit() before iface_free()
 * releases the memory.
 */

#include <stdio.h>
#include "ap.h"

#define BEACON_UPDATE_DELAY_US 20000
#define DEFAULT_BEACON_INT 100

static void iface_inactivity_check(void *eloop_ctx, void *user_ctx)
{
	struct ap_iface *iface = eloop_ctx;

	if (!iface->enabled)
		return;

	wpa_printf(MSG_MSGDUMP, "%s: checking %u station(s) for inactivity",
		   iface->ifname, iface->num_sta);
	sta_check_inactive(iface);
	iface_schedule_inactivity(iface, iface->conf.inactivity_sec);
}


void iface_schedule_inactivity(struct ap_iface *iface, unsigned int secs)
{
	int pending;

	if (secs == 0)
		secs = AP_DEFAULT_INACTIVITY;

	pending = eloop_is_timeout_registered(iface_inactivity_check, iface,
					      NULL);
	if (pending)
		wpa_printf(MSG_DEBUG, "%s: inactivity check moved to %u s",
			   iface->ifname, secs);
	eloop_register_timeout(secs, 0, iface_inactivity_check, iface, NULL); /* expect: missing-stop */
}


void iface_beacon_update_cb(void *eloop_ctx, void *user_ctx)
{
	struct ap_iface *iface = eloop_ctx;

	iface->beacon_updates++;
	if (ap_drv_set_beacon(iface->drv_priv, iface->freq,
			      iface->conf.beacon_int) < 0)
		wpa_printf(MSG_WARNING, "%s: failed to update beacon",
			   iface->ifname);
}


void iface_schedule_beacon_update(struct ap_iface *iface)
{
	/* Coalesce back-to-back changes into a single driver update */
	if (eloop_is_timeout_registered(iface_beacon_update_cb, iface, NULL))
		return;
	eloop_register_timeout(0, BEACON_UPDATE_DELAY_US,
			       iface_beacon_update_cb, iface, NULL);
}


static void iface_csa_finish(void *eloop_ctx, void *user_ctx)
{
	struct ap_iface *iface = eloop_ctx;

	wpa_printf(MSG_INFO, "%s: channel switch to %d MHz completed",
		   iface->ifname, iface->csa_freq);
	iface->freq = iface->csa_freq;
	iface->csa_in_progress = 0;
	iface_schedule_beacon_update(iface);
	ap_scan_restart(iface->scan);
}


int iface_switch_channel(struct ap_iface *iface, int freq, unsigned int count)
{
	unsigned int usecs;

	if (iface->csa_in_progress) {
		wpa_printf(MSG_DEBUG, "%s: channel switch already in progress",
			   iface->ifname);
		return -1;
	}
	if (count == 0)
		count = 1;

	if (ap_drv_switch_channel(iface->drv_priv, freq, count) < 0) {
		wpa_printf(MSG_ERROR, "%s: driver rejected channel switch to %d MHz",
			   iface->ifname, freq);
		return -1;
	}

	iface->csa_freq = freq;
	iface->csa_in_progress = 1;

	/* The switch happens after 'count' beacons (1 TU = 1024 us) */
	usecs = count * iface->conf.beacon_int * 1024;
	eloop_register_timeout(usecs / 1000000, usecs % 1000000, iface_csa_finish, iface, NULL); /* expect: field-never-stopped */
	return 0;
}


struct ap_iface *iface_alloc(struct ap_global *global,
			     const struct ap_config *conf)
{
	struct ap_iface *iface;

	iface = os_zalloc(sizeof(*iface));
	if (iface == NULL)
		return NULL;

	iface->global = global;
	iface->conf = *conf;
	snprintf(iface->ifname, sizeof(iface->ifname), "%s", conf->ifname);
	if (iface->conf.beacon_int == 0)
		iface->conf.beacon_int = DEFAULT_BEACON_INT;
	iface->freq = conf->freq;

	return iface;
}


int iface_init(struct ap_iface *iface)
{
	iface->drv_priv = ap_drv_init(iface->ifname);
	if (iface->drv_priv == NULL) {
		wpa_printf(MSG_ERROR, "%s: driver initialization failed",
			   iface->ifname);
		return -1;
	}

	if (ap_drv_set_freq(iface->drv_priv, iface->freq) < 0) {
		wpa_printf(MSG_ERROR, "%s: could not set frequency %d MHz",
			   iface->ifname, iface->freq);
		goto fail_drv;
	}

	iface->scan = ap_scan_init(iface);
	if (iface->scan == NULL)
		goto fail_drv;

	if (iface->conf.wps_enabled) {
		iface->wps = wps_init(iface);
		if (iface->wps == NULL) {
			wpa_printf(MSG_ERROR, "%s: WPS initialization failed",
				   iface->ifname);
			goto fail_scan;
		}
	}

	iface->enabled = 1;
	iface_schedule_inactivity(iface, iface->conf.inactivity_sec);
	ap_scan_request(iface->scan, 1);

	wpa_printf(MSG_INFO, "%s: interface enabled on %d MHz",
		   iface->ifname, iface->freq);
	return 0;

fail_scan:
	ap_scan_deinit(iface->scan);
	iface->scan = NULL;
fail_drv:
	ap_drv_deinit(iface->drv_priv);
	iface->drv_priv = NULL;
	return -1;
}


void iface_deinit(struct ap_iface *iface)
{
	wpa_printf(MSG_DEBUG, "%s: deinitializing interface", iface->ifname);

	iface->enabled = 0;
	eloop_cancel_timeout(iface_inactivity_check, iface, NULL);

	/* Kick everybody out in one go; stations are freed silently below */
	if (iface->drv_priv)
		ap_drv_flush(iface->drv_priv);
	sta_deinit_all(iface);

	wps_deinit(iface);
	ap_scan_deinit(iface->scan);
	iface->scan = NULL;

	if (iface->drv_priv) {
		ap_drv_deinit(iface->drv_priv);
		iface->drv_priv = NULL;
	}
}


void iface_free(struct ap_iface *iface)
{
	if (iface == NULL)
		return;
	wpa_printf(MSG_DEBUG, "%s: freeing interface", iface->ifname);
	os_free(iface);
}


void iface_dump(const struct ap_iface *iface)
{
	wpa_printf(MSG_INFO, "%s: freq=%d stations=%u beacon_updates=%u%s",
		   iface->ifname, iface->freq, iface->num_sta,
		   iface->beacon_updates,
		   iface->csa_in_progress ? " (channel switch pending)" : "");
	wpa_printf(MSG_INFO, "%s: last scan found %d BSS(s)", iface->ifname,
		   ap_scan_last_count(iface->scan));
}
