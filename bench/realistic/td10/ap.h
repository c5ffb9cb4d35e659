/*
 * apd - shared definitions for the access point daemon
 */

#ifndef AP_H
#define AP_H

#include <stddef.h>
#include <string.h>
#include "eloop.h"

typedef unsigned char u8;
typedef unsigned short u16;

#define ETH_ALEN 6
#define IFNAMSIZ 16
#define MACSTR "%02x:%02x:%02x:%02x:%02x:%02x"
#define MAC2STR(a) (a)[0], (a)[1], (a)[2], (a)[3], (a)[4], (a)[5]

#define AP_MAX_STA 64
#define AP_DEFAULT_INACTIVITY 300

#define WLAN_REASON_UNSPECIFIED 1
#define WLAN_REASON_DEAUTH_LEAVING 3
#define WLAN_REASON_DISASSOC_INACTIVITY 4

struct ap_scan;
struct wps_context;

struct ap_config {
	char ifname[IFNAMSIZ];
	int freq;
	unsigned int beacon_int;	/* in TUs */
	unsigned int inactivity_sec;
	unsigned int scan_interval;
	unsigned int wps_timeout;
	int wps_enabled;
};

#define STA_AUTH		0x01
#define STA_ASSOC		0x02
#define STA_AUTHORIZED		0x04
#define STA_POLL_PENDING	0x08

struct ap_sta {
	struct ap_sta *next;
	struct ap_iface *iface;
	u8 addr[ETH_ALEN];
	unsigned int flags;
	u16 aid;
	unsigned int session_timeout;
	char *identity;
};

struct ap_iface {
	struct ap_iface *next;
	struct ap_global *global;
	char ifname[IFNAMSIZ];
	void *drv_priv;
	struct ap_config conf;
	struct ap_sta *sta_list;
	unsigned int num_sta;
	struct ap_scan *scan;
	struct wps_context *wps;
	int freq;
	int csa_freq;
	int csa_in_progress;
	int enabled;
	unsigned int beacon_updates;
};

struct ap_global {
	struct ap_iface *ifaces;
	unsigned int num_ifaces;
	void *ctrl_priv;
	unsigned int watchdog_ticks;
	int terminating;
};

/* ap_iface.c */
struct ap_iface *iface_alloc(struct ap_global *global,
			     const struct ap_config *conf);
int iface_init(struct ap_iface *iface);
void iface_deinit(struct ap_iface *iface);
void iface_free(struct ap_iface *iface);
void iface_schedule_inactivity(struct ap_iface *iface, unsigned int secs);
void iface_schedule_beacon_update(struct ap_iface *iface);
void iface_beacon_update_cb(void *eloop_ctx, void *user_ctx);
int iface_switch_channel(struct ap_iface *iface, int freq, unsigned int count);
void iface_dump(const struct ap_iface *iface);

/* ap_sta.c */
struct ap_sta *sta_get(struct ap_iface *iface, const u8 *addr);
struct ap_sta *sta_add(struct ap_iface *iface, const u8 *addr);
int sta_associated(struct ap_sta *sta, u16 aid);
int sta_set_identity(struct ap_sta *sta, const char *identity);
void sta_set_session_timeout(struct ap_sta *sta, unsigned int secs);
void sta_poll_ack(struct ap_iface *iface, const u8 *addr);
int sta_remove(struct ap_iface *iface, const u8 *addr, int reason);
void sta_check_inactive(struct ap_iface *iface);
void sta_deinit_all(struct ap_iface *iface);

/* ap_scan.c */
struct ap_scan *ap_scan_init(struct ap_iface *iface);
void ap_scan_deinit(struct ap_scan *scan);
void ap_scan_request(struct ap_scan *scan, unsigned int secs);
void ap_scan_restart(struct ap_scan *scan);
void ap_scan_set_interval(struct ap_scan *scan, unsigned int interval);
int ap_scan_last_count(const struct ap_scan *scan);

/* ap_wps.c */
struct wps_context *wps_init(struct ap_iface *iface);
void wps_deinit(struct ap_iface *iface);
int wps_button_pushed(struct ap_iface *iface);
int wps_start_session(struct ap_iface *iface, const u8 *peer, const char *pin);
int wps_process_msg(struct ap_iface *iface, const u8 *peer, int msg);
void wps_cancel(struct ap_iface *iface);

/* ap_main.c - entry points used by the control interface */
struct ap_global *ap_global_init(void);
void ap_global_deinit(struct ap_global *global);
void ap_global_watchdog(void *eloop_ctx, void *user_ctx);
struct ap_iface *ap_iface_add(struct ap_global *global,
			      const struct ap_config *conf);
int ap_iface_remove(struct ap_global *global, const char *ifname);
int ap_iface_reload(struct ap_iface *iface, const struct ap_config *conf);
int ap_handle_radar(struct ap_iface *iface, int new_freq);

/* Driver wrappers (driver_*.c) */
void *ap_drv_init(const char *ifname);
void ap_drv_deinit(void *priv);
int ap_drv_set_freq(void *priv, int freq);
int ap_drv_switch_channel(void *priv, int freq, unsigned int count);
int ap_drv_set_beacon(void *priv, int freq, unsigned int beacon_int);
int ap_drv_flush(void *priv);
int ap_drv_sta_remove(void *priv, const u8 *addr, int reason);
int ap_drv_poll_sta(void *priv, const u8 *addr);
int ap_drv_get_inact_sec(void *priv, const u8 *addr);
int ap_drv_trigger_scan(void *priv);
int ap_drv_get_scan_results(void *priv);

/*
 * Control interface (ctrl_iface.c). ap_ctrl_iface_deinit() closes the
 * control sockets and releases everything the control interface attached
 * to the global context.
 */
void *ap_ctrl_iface_init(struct ap_global *global);
void ap_ctrl_iface_deinit(struct ap_global *global);

#endif /* AP_H */
