/* acct.h: accounting for teardown-configs.c, which one build configures
 * out (the header then stubs its functions). */
#ifndef TESTDATA_ACCT_H
#define TESTDATA_ACCT_H

struct bss {
    int id;
    long octets;
};

#ifdef NO_ACCOUNTING
static inline void acct_start(struct bss *b) { (void)b; }
static inline void acct_stop(struct bss *b) { (void)b; }
#else
void acct_start(struct bss *b);
void acct_stop(struct bss *b);
#endif

#endif
