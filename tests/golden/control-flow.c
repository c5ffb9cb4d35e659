/* Lowering of every control construct the front end handles. Golden dump:
 * control-flow.ir (regenerate with tests/golden/update.sh after reviewing). */
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#define MAKE(t) timer_create(CLOCK_MONOTONIC, NULL, &(t))

extern int poll_once(void);

int if_else_status(int verbose) {
  timer_t t;
  int rc = MAKE(t);
  if (rc != 0)
    return -1;
  if (verbose && poll_once() > 0)
    timer_delete(t);
  else
    timer_delete(t);
  return 0;
}

int switch_fallthrough(int kind) {
  timer_t t;
  if (timer_create(CLOCK_REALTIME, NULL, &t))
    return -1;
  switch (kind) {
  case 0:
    poll_once();
    /* fall through */
  case 1:
    timer_delete(t);
    break;
  default:
    return kind ? 1 : 2;
  }
  return 0;
}

void loops(int n) {
  for (int i = 0; i < n; i++) {
    if (i == 3)
      continue;
    if (i == 7)
      break;
  }
  while (poll_once())
    ;
  do {
    n--;
  } while (n > 0);
  for (;;) {
    if (poll_once())
      goto out;
  }
out:
  return;
}

void *worker(void *arg);

int copies_and_fields(struct { pthread_t th; } *s) {
  pthread_t a, b;
  if (pthread_create(&a, NULL, worker, NULL) != 0)
    return -1;
  b = a;
  s->th = b;
  return pthread_join(b, NULL);
}
