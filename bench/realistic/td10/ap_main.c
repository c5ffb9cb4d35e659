// scan: --link
// with: ap_iface.c ap_sta.c ap_scan.c ap_wps.c
/*
 * apd - main program and interface lifetime
 *
 * Interfaces are added at startup (one per command line argument) or later
 * through the control interface, and removed either individually or all at
 * once when the daemon terminates.
 */

#include <stdio.h>
#include <stdlib.h>
#include "ap.h"

#define AP_WATCHDOG_INTERVAL 10
#define AP_CSA_BEACON_COUNT 5


static void ap_global_arm_watchdog(struct ap_global *global)
{
	eloop_register_timeout(AP_WATCHDOG_INTERVAL, 0, ap_global_watchdog,
			       global, NULL);
}


void ap_global_watchdog(void *eloop_ctx, void *user_ctx)
{
	struct ap_global *global = eloop_ctx;
	struct ap_iface *iface;

	global->watchdog_ticks++;
	for (iface = global->ifaces; iface; iface = iface->next) {
		/* Idle interfaces keep their view of the neighborhood fresh */
		if (iface->enabled && iface->num_sta == 0)
			ap_scan_restart(iface->scan);
	}
	if (!global->terminating)
		ap_global_arm_watchdog(global);
}


static struct ap_iface *ap_iface_find(struct ap_global *global,
				      const char *ifname)
{
	struct ap_iface *iface;

	for (iface = global->ifaces; iface; iface = iface->next) {
		if (strcmp(iface->ifname, ifname) == 0)
			return iface;
	}
	return NULL;
}


static void ap_iface_shutdown(struct ap_iface *iface)
{
	wpa_printf(MSG_INFO, "%s: shutting down (%u station(s))",
		   iface->ifname, iface->num_sta);
	eloop_cancel_timeout(iface_beacon_update_cb, iface, NULL);
	iface_deinit(iface);
}


struct ap_iface *ap_iface_add(struct ap_global *global,
			      const struct ap_config *conf)
{
	struct ap_iface *iface;

	if (ap_iface_find(global, conf->ifname)) {
		wpa_printf(MSG_INFO, "%s: interface already configured",
			   conf->ifname);
		return NULL;
	}

	iface = iface_alloc(global, conf);
	if (iface == NULL)
		return NULL;

	if (iface_init(iface) < 0) {
		wpa_printf(MSG_ERROR, "%s: could not initialize interface",
			   conf->ifname);
		iface_free(iface);
		return NULL;
	}

	iface->next = global->ifaces;
	global->ifaces = iface;
	global->num_ifaces++;

	if (!eloop_is_timeout_registered(ap_global_watchdog, global, NULL))
		ap_global_arm_watchdog(global);
	return iface;
}


int ap_iface_remove(struct ap_global *global, const char *ifname)
{
	struct ap_iface **pos, *iface;

	for (pos = &global->ifaces; *pos; pos = &(*pos)->next) {
		if (strcmp((*pos)->ifname, ifname) == 0)
			break;
	}
	iface = *pos;
	if (iface == NULL)
		return -1;

	*pos = iface->next;
	global->num_ifaces--;
	ap_iface_shutdown(iface);
	iface_free(iface);

	if (global->num_ifaces == 0) {
		wpa_printf(MSG_DEBUG, "no interfaces left, stopping watchdog");
		eloop_cancel_timeout(ap_global_watchdog, global, NULL);
	}
	return 0;
}


int ap_iface_reload(struct ap_iface *iface, const struct ap_config *conf)
{
	int inact_changed = conf->inactivity_sec != iface->conf.inactivity_sec;

	if (strcmp(conf->ifname, iface->ifname) != 0)
		return -1;

	iface->conf.beacon_int = conf->beacon_int ? conf->beacon_int :
		iface->conf.beacon_int;
	iface->conf.inactivity_sec = conf->inactivity_sec;
	iface->conf.wps_timeout = conf->wps_timeout;

	if (inact_changed)
		iface_schedule_inactivity(iface, conf->inactivity_sec);
	ap_scan_set_interval(iface->scan, conf->scan_interval);
	iface_schedule_beacon_update(iface);
	return 0;
}


int ap_handle_radar(struct ap_iface *iface, int new_freq)
{
	wpa_printf(MSG_INFO, "%s: radar detected on %d MHz, moving to %d MHz",
		   iface->ifname, iface->freq, new_freq);
	return iface_switch_channel(iface, new_freq, AP_CSA_BEACON_COUNT);
}


struct ap_global *ap_global_init(void)
{
	struct ap_global *global;

	global = os_zalloc(sizeof(*global));
	if (global == NULL)
		return NULL;

	global->ctrl_priv = ap_ctrl_iface_init(global);
	if (global->ctrl_priv == NULL) {
		wpa_printf(MSG_ERROR, "failed to open control interface");
		os_free(global);
		return NULL;
	}
	return global;
}


void ap_global_deinit(struct ap_global *global)
{
	struct ap_iface *iface, *next;

	if (global == NULL)
		return;

	global->terminating = 1;
	for (iface = global->ifaces; iface; iface = next) {
		next = iface->next;
		ap_iface_shutdown(iface);
		iface_free(iface);
	}
	global->ifaces = NULL;
	global->num_ifaces = 0;

	ap_ctrl_iface_deinit(global);
	os_free(global);
}


static void ap_handle_term(int sig, void *signal_ctx)
{
	wpa_printf(MSG_INFO, "signal %d received - terminating", sig);
	eloop_terminate();
}


int main(int argc, char *argv[])
{
	struct ap_global *global;
	struct ap_config conf;
	int i, ret = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s <ifname> [ifname...]\n", argv[0]);
		return 1;
	}
	if (eloop_init() < 0)
		return 1;

	global = ap_global_init();
	if (global == NULL) {
		eloop_destroy();
		return 1;
	}

	for (i = 1; i < argc; i++) {
		memset(&conf, 0, sizeof(conf));
		snprintf(conf.ifname, sizeof(conf.ifname), "%s", argv[i]);
		conf.freq = 2412;
		conf.beacon_int = 100;
		conf.inactivity_sec = AP_DEFAULT_INACTIVITY;
		conf.scan_interval = 300;
		conf.wps_enabled = getenv("APD_NO_WPS") == NULL;
		if (ap_iface_add(global, &conf) == NULL)
			ret = 1;
	}

	if (global->num_ifaces > 0) {
		eloop_register_signal_terminate(ap_handle_term, NULL);
		eloop_run();
	}

	ap_global_deinit(global);
	eloop_destroy();
	return ret;
}
