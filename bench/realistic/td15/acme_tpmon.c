// scan: --link
/*
 * ACME TPM-8 PCI thermal monitor: eight channels sampled into a FIFO the
 * guest drains through MMIO; alarms raise an MSI, rate-limited by a hold-off
 * timer; the sample log can be DMA'd to guest memory.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/timer.h"
#include "qapi/error.h"
#include "hw/pci/pci_device.h"
#include "hw/pci/msi.h"
#include "hw/qdev-properties.h"

#define TYPE_ACME_TPMON "acme-tpmon"
OBJECT_DECLARE_SIMPLE_TYPE(TPMonState, ACME_TPMON)

#define TPMON_MMIO_SIZE     0x100
#define TPMON_NCHAN         8
#define TPMON_FIFO_MAX      256
#define TPMON_LOG_PAGES_MAX 16
#define REG_CTRL        0x00
#define REG_STATUS      0x04
#define REG_FIFO        0x08
#define REG_ALARM_ACK   0x0c
#define REG_DMA_START   0x10
#define REG_LIMIT(n)    (0x40 + 4 * (n))
#define CTRL_ENABLE     (1u << 0)
#define CTRL_ALARM_IE   (1u << 1)
#define STATUS_ALARM    (1u << 0)
#define STATUS_DMA_DONE (1u << 1)
#define SAMPLE_PERIOD_MS 100
#define HOLDOFF_US      500
#define DMA_LATENCY_NS  (20 * SCALE_US)

struct TPMonState {
    PCIDevice parent_obj;
    MemoryRegion mmio;
    uint32_t ctrl, status;
    uint32_t limit[TPMON_NCHAN];
    uint64_t dma_addr;
    uint32_t fifo_depth, fifo_head, fifo_count;
    uint32_t *fifo;
    uint32_t log_pages;
    uint8_t *log;
    QEMUTimer *sample_timer;   /* periodic sampling while CTRL_ENABLE */
    QEMUTimer *holdoff_timer;  /* MSI rate limit */
    QEMUTimer *dma_timer;      /* log DMA completion */
    QEMUTimer *fifo_timer;     /* delayed FIFO refill after a drain */
};

static void tpmon_fifo_push(TPMonState *s, uint32_t v)
{
    if (s->fifo_count < s->fifo_depth) {
        s->fifo[(s->fifo_head + s->fifo_count++) % s->fifo_depth] = v;
    }
}

static void tpmon_raise_alarm(TPMonState *s)
{
    s->status |= STATUS_ALARM;
    if (!(s->ctrl & CTRL_ALARM_IE) || timer_pending(s->holdoff_timer)) {
        return;
    }
    if (msi_enabled(PCI_DEVICE(s))) {
        msi_notify(PCI_DEVICE(s), 0);
    }
    timer_mod(s->holdoff_timer, qemu_clock_get_us(QEMU_CLOCK_VIRTUAL) + HOLDOFF_US); /* expect: field-never-stopped */
}

static void tpmon_holdoff_expired(void *opaque)
{
    TPMonState *s = opaque;
    /* an alarm that is still unacknowledged fires again */
    if (s->status & STATUS_ALARM) {
        tpmon_raise_alarm(s);
    }
}

static void tpmon_sample_tick(void *opaque)
{
    TPMonState *s = opaque;
    uint32_t i, milli_c;

    for (i = 0; i < TPMON_NCHAN; i++) {
        milli_c = 40000 + g_random_int() % 2000;
        tpmon_fifo_push(s, i << 24 | milli_c);
        if (s->limit[i] && milli_c > s->limit[i]) {
            tpmon_raise_alarm(s);
        }
    }
    timer_mod(s->sample_timer, qemu_clock_get_ms(QEMU_CLOCK_VIRTUAL) + SAMPLE_PERIOD_MS);
}

static void tpmon_dma_complete(void *opaque)
{
    TPMonState *s = opaque;
    pci_dma_write(PCI_DEVICE(s), s->dma_addr, s->log, (dma_addr_t)s->log_pages * TARGET_PAGE_SIZE);
    s->status |= STATUS_DMA_DONE;
}

static void tpmon_fifo_refill(void *opaque)
{
    TPMonState *s = opaque;
    if (s->fifo_count == 0 && (s->ctrl & CTRL_ENABLE)) {
        tpmon_sample_tick(s);
    }
}

static uint64_t tpmon_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    TPMonState *s = opaque;
    uint32_t v;

    switch (addr) {
    case REG_CTRL:
        return s->ctrl;
    case REG_STATUS:
        return s->status;
    case REG_FIFO:
        if (s->fifo_count == 0) {
            return 0xffffffff;
        }
        v = s->fifo[s->fifo_head];
        s->fifo_head = (s->fifo_head + 1) % s->fifo_depth;
        if (--s->fifo_count == 0) {
            timer_mod(s->fifo_timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + 10 * SCALE_US);
        }
        return v;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "tpmon: bad read at 0x%" HWADDR_PRIx "\n", addr);
        return 0;
    }
}

static void tpmon_mmio_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    TPMonState *s = opaque;

    switch (addr) {
    case REG_CTRL:
        if ((val & CTRL_ENABLE) && !(s->ctrl & CTRL_ENABLE)) {
            timer_mod(s->sample_timer, qemu_clock_get_ms(QEMU_CLOCK_VIRTUAL) + SAMPLE_PERIOD_MS);
        } else if (!(val & CTRL_ENABLE)) {
            timer_del(s->sample_timer);
        }
        s->ctrl = val;
        break;
    case REG_ALARM_ACK:
        s->status &= ~val;
        if (!(s->status & STATUS_ALARM)) {
            timer_del(s->holdoff_timer);
        }
        break;
    case REG_DMA_START:    /* the guest address of the log buffer */
        if (s->log) {
            s->dma_addr = val;
            s->status &= ~STATUS_DMA_DONE;
            timer_mod_ns(s->dma_timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + DMA_LATENCY_NS);
        }
        break;
    default:
        if (addr >= REG_LIMIT(0) && addr < REG_LIMIT(TPMON_NCHAN)) {
            s->limit[(addr - REG_LIMIT(0)) / 4] = val;
        }
        break;
    }
}

static const MemoryRegionOps tpmon_mmio_ops = {
    .read = tpmon_mmio_read,
    .write = tpmon_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static bool tpmon_init_fifo(TPMonState *s, Error **errp)
{
    QEMUTimer *t;

    if (s->fifo_depth == 0 || s->fifo_depth > TPMON_FIFO_MAX) {
        error_setg(errp, "fifo-depth must be between 1 and %d", TPMON_FIFO_MAX);
        return false;
    }
    t = timer_new_ns(QEMU_CLOCK_VIRTUAL, tpmon_fifo_refill, s); /* expect: missing-stop */
    s->fifo = g_try_new0(uint32_t, s->fifo_depth);
    if (!s->fifo) {
        error_setg(errp, "cannot allocate a %u-entry FIFO", s->fifo_depth);
        return false;
    }
    s->fifo_timer = t;
    return true;
}

static void tpmon_free_timers(TPMonState *s)
{
    timer_free(s->sample_timer);
    timer_free(s->dma_timer);
    timer_free(s->fifo_timer);
}

static void tpmon_realize(PCIDevice *pdev, Error **errp)
{
    TPMonState *s = ACME_TPMON(pdev);

    pci_config_set_interrupt_pin(pdev->config, 1);
    if (msi_init(pdev, 0, 1, true, false, errp) < 0) {
        return;
    }
    memory_region_init_io(&s->mmio, OBJECT(s), &tpmon_mmio_ops, s,
                          "acme-tpmon-mmio", TPMON_MMIO_SIZE);
    pci_register_bar(pdev, 0, PCI_BASE_ADDRESS_SPACE_MEMORY, &s->mmio);

    s->sample_timer = timer_new_ms(QEMU_CLOCK_VIRTUAL, tpmon_sample_tick, s);
    s->holdoff_timer = timer_new_us(QEMU_CLOCK_VIRTUAL, tpmon_holdoff_expired, s);
    s->dma_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, tpmon_dma_complete, s);

    if (!tpmon_init_fifo(s, errp)) {
        goto fail_timers;
    }
    if (s->log_pages > TPMON_LOG_PAGES_MAX) {
        error_setg(errp, "log-pages must be at most %d", TPMON_LOG_PAGES_MAX);
        timer_free(s->dma_timer);   /* no usable log: nothing to DMA */
        goto fail_fifo;
    }
    s->log = s->log_pages ? g_malloc0(s->log_pages * TARGET_PAGE_SIZE) : NULL;
    return;

fail_fifo:
    timer_free(s->fifo_timer);
    g_free(s->fifo);
fail_timers:
    timer_free(s->dma_timer); /* expect: use-after-release */
    timer_free(s->holdoff_timer);
    timer_free(s->sample_timer);
    msi_uninit(pdev);
}

static void tpmon_unrealize(PCIDevice *pdev)
{
    TPMonState *s = ACME_TPMON(pdev);

    tpmon_free_timers(s);
    g_free(s->log);
    g_free(s->fifo);
    msi_uninit(pdev);
}

static void tpmon_reset(DeviceState *dev)
{
    TPMonState *s = ACME_TPMON(dev);

    timer_del(s->sample_timer);
    timer_del(s->holdoff_timer);
    timer_del(s->dma_timer);
    timer_del(s->fifo_timer);
    s->ctrl = s->status = 0;
    s->fifo_head = s->fifo_count = 0;
    memset(s->limit, 0, sizeof(s->limit));
}

static Property tpmon_properties[] = {
    DEFINE_PROP_UINT32("fifo-depth", TPMonState, fifo_depth, 64),
    DEFINE_PROP_UINT32("log-pages", TPMonState, log_pages, 4),
    DEFINE_PROP_END_OF_LIST(),
};

static void tpmon_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->realize = tpmon_realize;
    k->exit = tpmon_unrealize;
    k->vendor_id = 0x1de5;
    k->device_id = 0x7a08;
    k->class_id = PCI_CLASS_OTHERS;
    device_class_set_legacy_reset(dc, tpmon_reset);
    device_class_set_props(dc, tpmon_properties);
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
}

static const TypeInfo tpmon_info = {
    .name = TYPE_ACME_TPMON,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(TPMonState),
    .class_init = tpmon_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_CONVENTIONAL_PCI_DEVICE },
        { },
    },
};

static void tpmon_register_types(void)
{
    type_register_static(&tpmon_info);
}

type_init(tpmon_register_types)
