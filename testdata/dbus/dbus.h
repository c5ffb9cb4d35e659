/* dbus.h: declarations shaped like libdbus's <dbus/dbus.h> (the main-loop
 * integration part): a connection hands its timeouts to the program's
 * loop through add/remove/toggle functions, and frees a DBusTimeout once
 * the remove function returns. Only what the testdata needs. */
#ifndef TESTDATA_DBUS_H
#define TESTDATA_DBUS_H

typedef unsigned int dbus_bool_t;
typedef struct DBusConnection DBusConnection;
typedef struct DBusTimeout DBusTimeout;
typedef void (*DBusFreeFunction)(void *memory);
typedef dbus_bool_t (*DBusAddTimeoutFunction)(DBusTimeout *timeout, void *data);
typedef void (*DBusTimeoutToggledFunction)(DBusTimeout *timeout, void *data);
typedef void (*DBusRemoveTimeoutFunction)(DBusTimeout *timeout, void *data);

dbus_bool_t dbus_connection_set_timeout_functions(
    DBusConnection *connection, DBusAddTimeoutFunction add_function,
    DBusRemoveTimeoutFunction remove_function,
    DBusTimeoutToggledFunction toggled_function, void *data,
    DBusFreeFunction free_data_function);
int dbus_timeout_get_interval(DBusTimeout *timeout);
dbus_bool_t dbus_timeout_get_enabled(DBusTimeout *timeout);
dbus_bool_t dbus_timeout_handle(DBusTimeout *timeout);
void dbus_timeout_set_data(DBusTimeout *timeout, void *data,
                           DBusFreeFunction free_data_function);

#endif
