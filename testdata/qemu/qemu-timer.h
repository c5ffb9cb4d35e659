/* qemu-timer.h: declarations shaped like QEMU's include/qemu/timer.h
 * (v8.x): timer_new_ns/us/ms() are inline wrappers of timer_new() and
 * timer_new_full(), which g_new0()s the timer and calls timer_init_full();
 * timer_free() is inline: timer_del() then g_free(). Only what the testdata
 * needs; the glib allocation functions are declared, not included. */
#ifndef TESTDATA_QEMU_TIMER_H
#define TESTDATA_QEMU_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *g_malloc0_n(size_t n_blocks, size_t n_block_bytes);
void g_free(void *mem);
#define g_new0(struct_type, n_structs) \
    ((struct_type *)g_malloc0_n((n_structs), sizeof(struct_type)))

#define SCALE_MS 1000000
#define SCALE_US 1000
#define SCALE_NS 1

typedef enum {
    QEMU_CLOCK_REALTIME = 0,
    QEMU_CLOCK_VIRTUAL = 1,
    QEMU_CLOCK_HOST = 2,
    QEMU_CLOCK_VIRTUAL_RT = 3,
    QEMU_CLOCK_MAX
} QEMUClockType;

typedef struct QEMUTimerList QEMUTimerList;
typedef struct QEMUTimerListGroup QEMUTimerListGroup;
typedef void QEMUTimerCB(void *opaque);

typedef struct QEMUTimer {
    int64_t expire_time;
    QEMUTimerList *timer_list;
    QEMUTimerCB *cb;
    void *opaque;
    struct QEMUTimer *next;
    int attributes;
    int scale;
} QEMUTimer;

int64_t qemu_clock_get_ns(QEMUClockType type);

static inline int64_t qemu_clock_get_ms(QEMUClockType type)
{
    return qemu_clock_get_ns(type) / SCALE_MS;
}

void timer_init_full(QEMUTimer *ts, QEMUTimerListGroup *timer_list_group,
                     QEMUClockType type, int scale, int attributes,
                     QEMUTimerCB *cb, void *opaque);

static inline void timer_init_ns(QEMUTimer *ts, QEMUClockType type,
                                 QEMUTimerCB *cb, void *opaque)
{
    timer_init_full(ts, NULL, type, SCALE_NS, 0, cb, opaque);
}

static inline void timer_init_ms(QEMUTimer *ts, QEMUClockType type,
                                 QEMUTimerCB *cb, void *opaque)
{
    timer_init_full(ts, NULL, type, SCALE_MS, 0, cb, opaque);
}

static inline QEMUTimer *timer_new_full(QEMUTimerListGroup *timer_list_group,
                                        QEMUClockType type,
                                        int scale, int attributes,
                                        QEMUTimerCB *cb, void *opaque)
{
    QEMUTimer *ts = g_new0(QEMUTimer, 1);
    timer_init_full(ts, timer_list_group, type, scale, attributes, cb, opaque);
    return ts;
}

static inline QEMUTimer *timer_new(QEMUClockType type, int scale,
                                   QEMUTimerCB *cb, void *opaque)
{
    return timer_new_full(NULL, type, scale, 0, cb, opaque);
}

static inline QEMUTimer *timer_new_ns(QEMUClockType type, QEMUTimerCB *cb,
                                      void *opaque)
{
    return timer_new(type, SCALE_NS, cb, opaque);
}

static inline QEMUTimer *timer_new_us(QEMUClockType type, QEMUTimerCB *cb,
                                      void *opaque)
{
    return timer_new(type, SCALE_US, cb, opaque);
}

static inline QEMUTimer *timer_new_ms(QEMUClockType type, QEMUTimerCB *cb,
                                      void *opaque)
{
    return timer_new(type, SCALE_MS, cb, opaque);
}

void timer_deinit(QEMUTimer *ts);
void timer_del(QEMUTimer *ts);

static inline void timer_free(QEMUTimer *ts)
{
    if (ts) {
        timer_del(ts);
        g_free(ts);
    }
}

void timer_mod_ns(QEMUTimer *ts, int64_t expire_time);
void timer_mod_anticipate_ns(QEMUTimer *ts, int64_t expire_time);
void timer_mod(QEMUTimer *ts, int64_t expire_timer);
void timer_mod_anticipate(QEMUTimer *ts, int64_t expire_time);
bool timer_pending(QEMUTimer *ts);
bool timer_expired(QEMUTimer *timer_head, int64_t current_time);
uint64_t timer_expire_time_ns(QEMUTimer *ts);

#endif
