/* kernel-types.h: the few basic kernel definitions the kernel testdata
 * needs, shaped like <linux/types.h>, <linux/err.h>, <linux/jiffies.h>,
 * <linux/slab.h> and <linux/printk.h>. Not a kernel header: just enough for
 * the testdata to be real C that clang can parse. */
#ifndef TESTDATA_KERNEL_TYPES_H
#define TESTDATA_KERNEL_TYPES_H

#include <stdbool.h>
#include <stddef.h>

typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long s64;
typedef int clockid_t;
typedef unsigned int gfp_t;

#define GFP_KERNEL 0x0cc0u
#define HZ 250
#define EINVAL 22
#define ENOMEM 12
#define EBUSY 16
#define ETIMEDOUT 110
#define MAX_ERRNO 4095
#define NUMA_NO_NODE (-1)

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))

extern volatile unsigned long jiffies;
unsigned long msecs_to_jiffies(const unsigned int m);

#define IS_ERR_VALUE(x) unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE((unsigned long)ptr); }

void *kzalloc(size_t size, gfp_t flags);
void kfree(const void *objp);
int printk(const char *fmt, ...);
#define pr_err(fmt, ...) printk(fmt, ##__VA_ARGS__)

struct hlist_node {
    struct hlist_node *next, **pprev;
};
struct list_head {
    struct list_head *next, *prev;
};
struct lock_class_key {
    int dummy;
};
typedef struct {
    long counter;
} atomic_long_t;

#define INIT_LIST_HEAD(l) do { (l)->next = (l); (l)->prev = (l); } while (0)

#endif
