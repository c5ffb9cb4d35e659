// scan: --link
/* A framework that frees the object its callback was given once the
 * callback returns (a `hook` rule): libdbus frees a DBusTimeout after the
 * connection's remove function. A remove function that does not cancel
 * the eloop timeout it registered with that DBusTimeout as user-data
 * leaves the handler to run with freed memory, though the program cancels
 * it elsewhere (for every DBusTimeout, at deinit). One that cancels it,
 * itself or through a helper, is fine. */
#include <stddef.h>
#include "../eloop/eloop.h"
#include "../dbus/dbus.h"

struct bus_priv {
    DBusConnection *con;
    int pending;
};

struct peer_bus {
    DBusConnection *con;
    int timeouts;
};

static void bus_timeout_fired(void *eloop_ctx, void *sock_ctx)
{
    (void)eloop_ctx;
    dbus_timeout_handle(sock_ctx);
}

static dbus_bool_t bus_add_timeout(DBusTimeout *timeout, void *data)
{
    struct bus_priv *priv = data;

    if (!dbus_timeout_get_enabled(timeout))
        return 1;
    eloop_register_timeout(0, dbus_timeout_get_interval(timeout) * 1000,
                           bus_timeout_fired, priv, timeout);
    dbus_timeout_set_data(timeout, priv, NULL);
    return 1;
}

static void bus_remove_timeout(DBusTimeout *timeout, void *data)
{
    struct bus_priv *priv = data;

    eloop_cancel_timeout(bus_timeout_fired, priv, timeout);
    dbus_timeout_set_data(timeout, NULL, NULL);
}

static void bus_toggle_timeout(DBusTimeout *timeout, void *data)
{
    if (dbus_timeout_get_enabled(timeout))
        bus_add_timeout(timeout, data);
    else
        bus_remove_timeout(timeout, data);
}

void bus_attach(struct bus_priv *priv)
{
    dbus_connection_set_timeout_functions(priv->con, bus_add_timeout,
                                          bus_remove_timeout,
                                          bus_toggle_timeout, priv, NULL);
}

void bus_detach(struct bus_priv *priv)
{
    eloop_cancel_timeout(bus_timeout_fired, priv, ELOOP_ALL_CTX);
    dbus_connection_set_timeout_functions(priv->con, NULL, NULL, NULL, NULL,
                                          NULL);
    os_free(priv);
}

static void peer_timeout_fired(void *eloop_ctx, void *sock_ctx)
{
    struct peer_bus *pb = eloop_ctx;

    pb->timeouts++;
    dbus_timeout_handle(sock_ctx);
}

static void peer_stop_timer(struct peer_bus *pb, DBusTimeout *timeout)
{
    eloop_cancel_timeout(peer_timeout_fired, pb, timeout);
}

static dbus_bool_t peer_add_timeout(DBusTimeout *timeout, void *data)
{
    struct peer_bus *pb = data;

    eloop_register_timeout(0, dbus_timeout_get_interval(timeout) * 1000, /* expect: field-never-stopped */
                           peer_timeout_fired, pb, timeout);
    return 1;
}

/* The timeout is freed when this returns, with its eloop timeout still
 * registered. */
static void peer_remove_timeout(DBusTimeout *timeout, void *data)
{
    struct peer_bus *pb = data;

    (void)timeout;
    pb->timeouts = 0;
}

/* Cancels through a helper. */
static void peer_remove_timeout_helper(DBusTimeout *timeout, void *data)
{
    peer_stop_timer(data, timeout);
}

void peer_attach(struct peer_bus *pb)
{
    dbus_connection_set_timeout_functions(pb->con, peer_add_timeout,
                                          peer_remove_timeout, NULL, pb, NULL);
}

void peer_attach_careful(struct peer_bus *pb)
{
    dbus_connection_set_timeout_functions(pb->con, peer_add_timeout,
                                          peer_remove_timeout_helper,
                                          NULL, pb, NULL);
}

/* A deinit of the context, the first phase of its teardown: no phase of
 * a DBusTimeout's. */
static void peer_deinit(struct peer_bus *pb)
{
    eloop_cancel_timeout(peer_timeout_fired, pb, ELOOP_ALL_CTX);
    pb->timeouts = 0;
}

void peer_free(struct peer_bus *pb)
{
    peer_deinit(pb);
    os_free(pb);
}
