/* iface.h: the objects of teardown-across-files.c and its parts: each is
 * set up in one file and torn down in another, through functions of a
 * third. */
#ifndef TESTDATA_IFACE_H
#define TESTDATA_IFACE_H

#include <pthread.h>
#include <time.h>

struct iface {
    int index;
    timer_t rekey;
    pthread_t scanner;
    int scanning;
    char name[16];
};

struct station_ops;
struct station {
    int aid;
    const struct station_ops *ops;
};
struct station_ops {
    void (*release)(struct station *sta);
};

struct peer {
    int addr;
    struct peer *next;
};

struct group {
    int members;
    char name[32];
};

struct link {
    int state;
    int retries;
};

struct pool {
    pthread_t th;
    int quit;
};

/* iface-p2p.c */
void p2p_start_listen(struct iface *ifc);
void p2p_stop_listen(struct iface *ifc);
void p2p_form_group(struct iface *ifc);
void p2p_deinit(struct iface *ifc);
void rekey_start(struct iface *ifc);
void rekey_stop(struct iface *ifc);
void station_start_ageing(struct station *sta);
void station_touch(struct station *sta);
void peer_probe_start(struct peer *p);
void peer_lost(struct peer *p);
void peer_unlink(struct peer *p);
void link_keepalive(void *eloop_ctx, void *timeout_ctx);
void link_retry(void *eloop_ctx, void *timeout_ctx);
void link_up(struct link *l);
void link_ack(struct link *l);
void link_shutdown(struct link *l);

/* iface-wps.c */
void wps_start(struct iface *ifc);
void wps_deinit(struct iface *ifc);
int scanner_start(struct iface *ifc);
void scanner_cancel(struct iface *ifc);
void scanner_join(struct iface *ifc);
void group_start(struct group *g);
void group_touch(struct group *g);
void group_deinit(struct group *g);
void group_log(const struct group *g);
void link_clear_timers(struct link *l);
int pool_start(struct pool *p);
void pool_stop(struct pool *p);

/* no body in the scanned code */
extern void peer_list_remove(struct peer *p);

#endif
