/* eloop.h: declarations shaped like hostapd/wpa_supplicant's
 * src/utils/eloop.h (the timeout part): a timeout is registered and
 * cancelled by (handler, eloop_data, user_data); there is no handle.
 * ELOOP_ALL_CTX matches any context when cancelling. Only what the testdata
 * needs. */
#ifndef TESTDATA_ELOOP_H
#define TESTDATA_ELOOP_H

#define ELOOP_ALL_CTX (void *)-1

typedef void (*eloop_timeout_handler)(void *eloop_data, void *user_ctx);

int eloop_register_timeout(unsigned int secs, unsigned int usecs,
                           eloop_timeout_handler handler,
                           void *eloop_data, void *user_data);
int eloop_cancel_timeout(eloop_timeout_handler handler,
                         void *eloop_data, void *user_data);
int eloop_is_timeout_registered(eloop_timeout_handler handler,
                                void *eloop_data, void *user_data);
void eloop_run(void);
void eloop_terminate(void);

void *os_zalloc(unsigned long size);
void os_free(void *ptr);

#endif
