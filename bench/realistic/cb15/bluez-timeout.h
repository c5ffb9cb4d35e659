/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 *  Shaped on BlueZ src/shared/timeout.h: a main-loop agnostic timeout API.
 *  timeout_add() returns an id, 0 on failure.  The callback returns true
 *  to be called again after the same interval, false to end the timeout.
 */
#ifndef BLUEZ_SHARED_TIMEOUT_H
#define BLUEZ_SHARED_TIMEOUT_H

#include <stdbool.h>

typedef bool (*timeout_func_t)(void *user_data);
typedef void (*timeout_destroy_func_t)(void *user_data);

unsigned int timeout_add(unsigned int timeout, timeout_func_t func,
			void *user_data, timeout_destroy_func_t destroy);
void timeout_remove(unsigned int id);
unsigned int timeout_add_seconds(unsigned int timeout, timeout_func_t func,
			void *user_data, timeout_destroy_func_t destroy);

#endif /* BLUEZ_SHARED_TIMEOUT_H */
