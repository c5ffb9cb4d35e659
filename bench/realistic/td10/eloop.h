/*
 * Event loop - timeouts, signals and small OS helpers
 */

#ifndef ELOOP_H
#define ELOOP_H

#include <stddef.h>

#define ELOOP_ALL_CTX (void *) -1

/* Debug levels for wpa_printf() */
enum {
	MSG_EXCESSIVE, MSG_MSGDUMP, MSG_DEBUG, MSG_INFO, MSG_WARNING, MSG_ERROR
};

typedef void (*eloop_timeout_handler)(void *eloop_data, void *user_ctx);
typedef void (*eloop_signal_handler)(int sig, void *signal_ctx);

int eloop_init(void);
int eloop_register_timeout(unsigned int secs, unsigned int usecs, eloop_timeout_handler handler, void *eloop_data, void *user_data);
int eloop_cancel_timeout(eloop_timeout_handler handler, void *eloop_data, void *user_data);
int eloop_is_timeout_registered(eloop_timeout_handler handler, void *eloop_data, void *user_data);
int eloop_register_signal_terminate(eloop_signal_handler handler, void *user_data);
void eloop_run(void);
void eloop_terminate(void);
void eloop_destroy(void);

void *os_zalloc(size_t size);
void os_free(void *ptr);
void wpa_printf(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* ELOOP_H */
