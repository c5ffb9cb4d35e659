/* rule_examples.c: a bad and a good example per rule id, for the help of
 * each rule in SARIF (help.text and help.markdown). Each example is whole
 * functions that compile against the installed headers (C11, or C++20 for
 * "cpp") once configure() and worker() (work() in C++) are declared;
 * tests/test_rule_examples.py scans them and checks that each bad one gets
 * its rule and each good one gets no finding. */
#include <string.h>

#include "report.h"

static const RuleExample examples[] = {
    {"missing-stop", "c",
     "int start(void)\n"
     "{\n"
     "    timer_t t;\n"
     "    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)\n"
     "        return -1;\n"
     "    if (configure() != 0)\n"
     "        return -1; /* t is never deleted on this path */\n"
     "    timer_delete(t);\n"
     "    return 0;\n"
     "}\n",
     "int start(void)\n"
     "{\n"
     "    timer_t t;\n"
     "    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)\n"
     "        return -1;\n"
     "    if (configure() != 0) {\n"
     "        timer_delete(t);\n"
     "        return -1;\n"
     "    }\n"
     "    timer_delete(t);\n"
     "    return 0;\n"
     "}\n"},
    {"missing-join", "c",
     "int run(void)\n"
     "{\n"
     "    pthread_t th;\n"
     "    if (pthread_create(&th, NULL, worker, NULL) != 0)\n"
     "        return -1;\n"
     "    if (configure() != 0)\n"
     "        return -1; /* th is neither joined nor detached */\n"
     "    return pthread_join(th, NULL);\n"
     "}\n",
     "int run(void)\n"
     "{\n"
     "    pthread_t th;\n"
     "    if (pthread_create(&th, NULL, worker, NULL) != 0)\n"
     "        return -1;\n"
     "    if (configure() != 0) {\n"
     "        pthread_join(th, NULL);\n"
     "        return -1;\n"
     "    }\n"
     "    return pthread_join(th, NULL);\n"
     "}\n"},
    {"created-in-loop", "c",
     "int arm_all(int n)\n"
     "{\n"
     "    struct itimerspec its = { .it_value = { .tv_sec = 1 } };\n"
     "    for (int i = 0; i < n; i++) {\n"
     "        int fd = timerfd_create(CLOCK_MONOTONIC, 0);\n"
     "        if (fd < 0)\n"
     "            return -1;\n"
     "        timerfd_settime(fd, 0, &its, NULL);\n"
     "    } /* each iteration leaves one fd open */\n"
     "    return 0;\n"
     "}\n",
     "int arm_all(int n)\n"
     "{\n"
     "    struct itimerspec its = { .it_value = { .tv_sec = 1 } };\n"
     "    for (int i = 0; i < n; i++) {\n"
     "        int fd = timerfd_create(CLOCK_MONOTONIC, 0);\n"
     "        if (fd < 0)\n"
     "            return -1;\n"
     "        timerfd_settime(fd, 0, &its, NULL);\n"
     "        close(fd);\n"
     "    }\n"
     "    return 0;\n"
     "}\n"},
    {"disarmed-not-released", "c",
     "int pause_then_quit(void)\n"
     "{\n"
     "    struct itimerspec zero = {0};\n"
     "    timer_t t;\n"
     "    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)\n"
     "        return -1;\n"
     "    timer_settime(t, 0, &zero, NULL); /* disarmed, never deleted */\n"
     "    return 0;\n"
     "}\n",
     "int pause_then_quit(void)\n"
     "{\n"
     "    struct itimerspec zero = {0};\n"
     "    timer_t t;\n"
     "    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)\n"
     "        return -1;\n"
     "    timer_settime(t, 0, &zero, NULL);\n"
     "    timer_delete(t);\n"
     "    return 0;\n"
     "}\n"},
    {"use-after-release", "c",
     "int run_once(void)\n"
     "{\n"
     "    pthread_t th;\n"
     "    if (pthread_create(&th, NULL, worker, NULL) != 0)\n"
     "        return -1;\n"
     "    pthread_detach(th);\n"
     "    return pthread_join(th, NULL); /* joined after it was detached */\n"
     "}\n",
     "int run_once(void)\n"
     "{\n"
     "    pthread_t th;\n"
     "    if (pthread_create(&th, NULL, worker, NULL) != 0)\n"
     "        return -1;\n"
     "    return pthread_join(th, NULL);\n"
     "}\n"},
    {"handle-discarded", "c",
     "bool have_timerfd(void)\n"
     "{\n"
     "    /* the fd is only compared, then lost */\n"
     "    return timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC) >= 0;\n"
     "}\n",
     "bool have_timerfd(void)\n"
     "{\n"
     "    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);\n"
     "    if (fd < 0)\n"
     "        return false;\n"
     "    close(fd);\n"
     "    return true;\n"
     "}\n"},
    {"stop-too-late", "c",
     "static void delete_timer(timer_t *t) { timer_delete(*t); }\n"
     "\n"
     "int serve(void)\n"
     "{\n"
     "    __attribute__((cleanup(delete_timer))) timer_t t;\n"
     "    pthread_t th;\n"
     "    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)\n"
     "        return -1;\n"
     "    if (pthread_create(&th, NULL, worker, &t) == 0)\n"
     "        pthread_detach(th); /* worker may still use t after the cleanup */\n"
     "    return 0;\n"
     "}\n",
     "static void delete_timer(timer_t *t) { timer_delete(*t); }\n"
     "\n"
     "int serve(void)\n"
     "{\n"
     "    __attribute__((cleanup(delete_timer))) timer_t t;\n"
     "    pthread_t th;\n"
     "    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)\n"
     "        return -1;\n"
     "    if (pthread_create(&th, NULL, worker, &t) == 0)\n"
     "        pthread_join(th, NULL); /* worker is done before the cleanup */\n"
     "    return 0;\n"
     "}\n"},
    {"field-never-stopped", "c",
     "struct conn { timer_t idle; };\n"
     "\n"
     "int conn_open(struct conn *c)\n"
     "{\n"
     "    struct itimerspec its = { .it_value = { .tv_sec = 30 } };\n"
     "    if (timer_create(CLOCK_MONOTONIC, NULL, &c->idle) != 0)\n"
     "        return -1;\n"
     "    return timer_settime(c->idle, 0, &its, NULL);\n"
     "}\n"
     "\n"
     "void conn_free(struct conn *c)\n"
     "{\n"
     "    free(c); /* c->idle is still armed */\n"
     "}\n",
     "struct conn { timer_t idle; };\n"
     "\n"
     "int conn_open(struct conn *c)\n"
     "{\n"
     "    struct itimerspec its = { .it_value = { .tv_sec = 30 } };\n"
     "    if (timer_create(CLOCK_MONOTONIC, NULL, &c->idle) != 0)\n"
     "        return -1;\n"
     "    return timer_settime(c->idle, 0, &its, NULL);\n"
     "}\n"
     "\n"
     "void conn_free(struct conn *c)\n"
     "{\n"
     "    timer_delete(c->idle);\n"
     "    free(c);\n"
     "}\n"},
    {"thread-joinable-destroyed", "cpp",
     "int serve()\n"
     "{\n"
     "    std::thread th(work);\n"
     "    if (configure() != 0)\n"
     "        return -1; // th is destroyed while joinable: std::terminate\n"
     "    th.join();\n"
     "    return 0;\n"
     "}\n",
     "int serve()\n"
     "{\n"
     "    std::jthread th(work); // joins when destroyed, on every path\n"
     "    if (configure() != 0)\n"
     "        return -1;\n"
     "    return 0;\n"
     "}\n"},
    {"invalid-suppression", "c",
     "int start_forever(void)\n"
     "{\n"
     "    timer_t t;\n"
     "    // timerlint: ignore[missing-stop]\n"
     "    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)\n"
     "        return -1;\n"
     "    return 0;\n"
     "}\n",
     "int start_forever(void)\n"
     "{\n"
     "    timer_t t;\n"
     "    // timerlint: ignore[missing-stop] lives until the process exits\n"
     "    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)\n"
     "        return -1;\n"
     "    return 0;\n"
     "}\n"},
};

const RuleExample *report_rule_example(const char *rule) {
  for (size_t i = 0; i < sizeof examples / sizeof *examples; i++)
    if (!strcmp(examples[i].rule, rule))
      return &examples[i];
  return NULL;
}
