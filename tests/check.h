/* check.h: the pass/fail counter the C tests share. CHECK counts and names
 * a failure with its function and line; check_summary() prints the closing
 * "N passed, N failed" line (the one CI reads) and returns the exit status.
 * One test program per binary: the counters are static. */
#ifndef TL_TEST_CHECK_H
#define TL_TEST_CHECK_H

#include <stdio.h>

static int passed, failed;

#define CHECK(cond, ...)                                                       \
  do {                                                                         \
    if (cond)                                                                  \
      passed++;                                                                \
    else {                                                                     \
      failed++;                                                                \
      printf("FAIL %s:%d: ", __func__, __LINE__);                              \
      printf(__VA_ARGS__);                                                     \
      printf("\n");                                                            \
    }                                                                          \
  } while (0)

static inline int check_summary(void) {
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}

#endif
