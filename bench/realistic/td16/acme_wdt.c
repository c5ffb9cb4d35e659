// scan: --link
/* ACME SoC watchdog (WDT-3): a down-counter with a pre-timeout interrupt, an
 * optional early-kick window and a selectable counter clock.
 * Copyright (c) 2024 Example Systems.  SPDX-License-Identifier: GPL-2.0-or-later */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/timer.h"
#include "qapi/error.h"
#include "hw/irq.h"
#include "hw/qdev-properties.h"
#include "hw/sysbus.h"
#include "migration/vmstate.h"
#include "sysemu/watchdog.h"

#define TYPE_ACME_WDT "acme-wdt"
OBJECT_DECLARE_SIMPLE_TYPE(AcmeWdtState, ACME_WDT)

#define A_CTRL          0x00
#define   R_CTRL_EN       BIT(0)
#define   R_CTRL_PRE_EN   BIT(1)
#define   R_CTRL_RST_EN   BIT(2)
#define   R_CTRL_WIN_EN   BIT(3)
#define A_LOAD          0x04
#define A_KICK          0x08
#define A_STATUS        0x0c
#define   R_STATUS_PRE    BIT(0)
#define   R_STATUS_EXP    BIT(1)
#define   R_STATUS_EARLY  BIT(2)
#define A_CLKSEL        0x10
#define ACME_WDT_KICK_MAGIC 0x4b1c4b1c

struct AcmeWdtState {
    SysBusDevice parent_obj;
    MemoryRegion iomem;
    qemu_irq irq;
    QEMUTimer *expire_timer;     /* on clock_type */
    QEMUTimer *pretimeout_timer; /* always QEMU_CLOCK_VIRTUAL */
    QEMUTimer window_timer;      /* closes the early-kick window */
    uint32_t ctrl, load, status, clksel;
    bool window_open;
    QEMUClockType clock_type;
    uint32_t freq_hz, pretimeout_pct, window_pct;
};

static int64_t acme_wdt_period_ns(AcmeWdtState *s, uint32_t pct)
{
    return muldiv64(s->load, NANOSECONDS_PER_SECOND, s->freq_hz) * pct / 100;
}

static void acme_wdt_arm_pretimeout(AcmeWdtState *s)
{
    timer_mod(s->pretimeout_timer, /* expect: field-never-stopped */
              qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + acme_wdt_period_ns(s, s->pretimeout_pct));
}

static void acme_wdt_reload(AcmeWdtState *s)
{
    int64_t now = qemu_clock_get_ns(s->clock_type);

    timer_mod(s->expire_timer, now + acme_wdt_period_ns(s, 100));
    if (s->ctrl & R_CTRL_PRE_EN) {
        acme_wdt_arm_pretimeout(s);
    }
    if (s->ctrl & R_CTRL_WIN_EN) {
        s->window_open = false;
        timer_mod(&s->window_timer, qemu_clock_get_ms(QEMU_CLOCK_VIRTUAL) +
                  acme_wdt_period_ns(s, s->window_pct) / SCALE_MS);
    }
}

static void acme_wdt_disable(AcmeWdtState *s)
{
    timer_del(s->expire_timer);
    timer_del(s->pretimeout_timer);
    timer_del(&s->window_timer);
    s->window_open = true;
}

static void acme_wdt_update_irq(AcmeWdtState *s)
{
    qemu_set_irq(s->irq, !!(s->status & (R_STATUS_PRE | R_STATUS_EXP | R_STATUS_EARLY)));
}

static void acme_wdt_expire_cb(void *opaque)
{
    AcmeWdtState *s = opaque;

    s->status |= R_STATUS_EXP;
    if (s->ctrl & R_CTRL_RST_EN) {
        watchdog_perform_action();
    }
    acme_wdt_update_irq(s);
    acme_wdt_reload(s);     /* the counter reloads itself and keeps running */
}

static void acme_wdt_pretimeout_cb(void *opaque)
{
    AcmeWdtState *s = opaque;

    s->status |= R_STATUS_PRE;
    acme_wdt_update_irq(s);
}

static void acme_wdt_window_cb(void *opaque)
{
    AcmeWdtState *s = opaque;

    s->window_open = true;
}

/* CLKSEL: 0 = bus clock (virtual time), 1 = always-on LPO (keeps counting when paused) */
static void acme_wdt_switch_clock(AcmeWdtState *s, QEMUClockType type)
{
    int64_t left = 0;

    if (type == s->clock_type) {
        return;
    }
    /* a QEMUTimer is bound to its clock: replace it */
    timer_free(s->expire_timer);
    if (s->ctrl & R_CTRL_EN) {
        left = timer_expire_time_ns(s->expire_timer) - qemu_clock_get_ns(s->clock_type); /* expect: use-after-release */
    }
    s->clock_type = type;
    s->expire_timer = timer_new_ns(type, acme_wdt_expire_cb, s);
    if ((s->ctrl & R_CTRL_EN) && left > 0) {
        timer_mod(s->expire_timer, qemu_clock_get_ns(type) + left);
    }
}

static uint64_t acme_wdt_read(void *opaque, hwaddr addr, unsigned size)
{
    AcmeWdtState *s = opaque;

    switch (addr) {
    case A_CTRL:   return s->ctrl;
    case A_LOAD:   return s->load;
    case A_STATUS: return s->status;
    case A_CLKSEL: return s->clksel;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "%s: bad offset 0x%" HWADDR_PRIx "\n", __func__, addr);
        return 0;
    }
}

static void acme_wdt_write(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    AcmeWdtState *s = opaque;
    uint32_t old;

    switch (addr) {
    case A_CTRL:
        old = s->ctrl;
        s->ctrl = value & (R_CTRL_EN | R_CTRL_PRE_EN | R_CTRL_RST_EN | R_CTRL_WIN_EN);
        if ((s->ctrl & R_CTRL_EN) && !(old & R_CTRL_EN)) {
            acme_wdt_reload(s);
        } else if (!(s->ctrl & R_CTRL_EN)) {
            acme_wdt_disable(s);
        }
        break;
    case A_LOAD:
        s->load = value ? value : 1;
        break;
    case A_KICK:
        if (value != ACME_WDT_KICK_MAGIC || !(s->ctrl & R_CTRL_EN)) {
            break;
        }
        if ((s->ctrl & R_CTRL_WIN_EN) && !s->window_open) {
            s->status |= R_STATUS_EARLY;
            acme_wdt_update_irq(s);
            break;
        }
        timer_del(s->pretimeout_timer);
        acme_wdt_reload(s);
        break;
    case A_STATUS:
        s->status &= ~value;    /* write one to clear */
        acme_wdt_update_irq(s);
        break;
    case A_CLKSEL:
        s->clksel = value & 1;
        acme_wdt_switch_clock(s, s->clksel ? QEMU_CLOCK_VIRTUAL_RT : QEMU_CLOCK_VIRTUAL);
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "%s: bad offset 0x%" HWADDR_PRIx "\n", __func__, addr);
    }
}

static const MemoryRegionOps acme_wdt_ops = {
    .read = acme_wdt_read,
    .write = acme_wdt_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid.min_access_size = 4,
    .valid.max_access_size = 4,
};

static void acme_wdt_reset_hold(Object *obj, ResetType type)
{
    AcmeWdtState *s = ACME_WDT(obj);

    acme_wdt_disable(s);
    acme_wdt_switch_clock(s, QEMU_CLOCK_VIRTUAL);
    s->ctrl = 0;
    s->load = 0xffff;
    s->status = 0;
    s->clksel = 0;
}

static void acme_wdt_realize(DeviceState *dev, Error **errp)
{
    AcmeWdtState *s = ACME_WDT(dev);
    QEMUTimer *pre;

    if (s->freq_hz == 0) {
        error_setg(errp, "acme-wdt: clock-frequency must not be zero");
        return;
    }
    s->clock_type = QEMU_CLOCK_VIRTUAL;
    s->expire_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, acme_wdt_expire_cb, s);
    pre = timer_new_ns(QEMU_CLOCK_VIRTUAL, acme_wdt_pretimeout_cb, s); /* expect: missing-stop */
    if (s->pretimeout_pct == 0 || s->pretimeout_pct >= 100) {
        error_setg(errp, "acme-wdt: pretimeout-pct must be 1..99, not %u", s->pretimeout_pct);
        timer_free(s->expire_timer);
        return;
    }
    s->pretimeout_timer = pre;
    if (s->window_pct >= s->pretimeout_pct) {
        error_setg(errp, "acme-wdt: window-pct (%u) must be below pretimeout-pct (%u)",
                   s->window_pct, s->pretimeout_pct);
        goto fail;
    }
    timer_init_ms(&s->window_timer, QEMU_CLOCK_VIRTUAL, acme_wdt_window_cb, s);
    memory_region_init_io(&s->iomem, OBJECT(s), &acme_wdt_ops, s, TYPE_ACME_WDT, 0x20);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->iomem);
    sysbus_init_irq(SYS_BUS_DEVICE(dev), &s->irq);
    return;

fail:
    timer_free(s->pretimeout_timer);
    timer_free(s->expire_timer);
}

static void acme_wdt_unrealize(DeviceState *dev)
{
    AcmeWdtState *s = ACME_WDT(dev);

    timer_free(s->expire_timer);
    timer_del(&s->window_timer);
    timer_deinit(&s->window_timer);
}

static const VMStateDescription vmstate_acme_wdt = {
    .name = TYPE_ACME_WDT,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(ctrl, AcmeWdtState),
        VMSTATE_UINT32(load, AcmeWdtState),
        VMSTATE_UINT32(status, AcmeWdtState),
        VMSTATE_UINT32(clksel, AcmeWdtState),
        VMSTATE_BOOL(window_open, AcmeWdtState),
        VMSTATE_TIMER_PTR(expire_timer, AcmeWdtState),
        VMSTATE_TIMER_PTR(pretimeout_timer, AcmeWdtState),
        VMSTATE_TIMER(window_timer, AcmeWdtState),
        VMSTATE_END_OF_LIST()
    },
};

static Property acme_wdt_properties[] = {
    DEFINE_PROP_UINT32("clock-frequency", AcmeWdtState, freq_hz, 32768),
    DEFINE_PROP_UINT32("pretimeout-pct", AcmeWdtState, pretimeout_pct, 75),
    DEFINE_PROP_UINT32("window-pct", AcmeWdtState, window_pct, 0),
    DEFINE_PROP_END_OF_LIST(),
};

static void acme_wdt_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->realize = acme_wdt_realize;
    dc->unrealize = acme_wdt_unrealize;
    dc->vmsd = &vmstate_acme_wdt;
    rc->phases.hold = acme_wdt_reset_hold;
    device_class_set_props(dc, acme_wdt_properties);
    set_bit(DEVICE_CATEGORY_WATCHDOG, dc->categories);
}

static const TypeInfo acme_wdt_types[] = {
    {
        .name = TYPE_ACME_WDT,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(AcmeWdtState),
        .class_init = acme_wdt_class_init,
    },
};

DEFINE_TYPES(acme_wdt_types)
