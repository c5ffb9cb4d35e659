/* facts.c: integer comparison facts on branch variables. Every predicate is
 * constant between the breakpoints 0 and the constants involved, so testing
 * those points and their neighbours decides satisfiability exactly. */
#include "engineInt.h"

bool fact_holds(IrCmp op, int64_t x, int64_t k) {
  switch (op) {
  case CMP_EQ: return x == k;
  case CMP_NE: return x != k;
  case CMP_LT: return x < k;
  case CMP_LE: return x <= k;
  case CMP_GT: return x > k;
  case CMP_GE: return x >= k;
  }
  return true;
}

IrCmp cmp_negate(IrCmp op) {
  static const IrCmp neg[] = {CMP_NE, CMP_EQ, CMP_GE, CMP_GT, CMP_LE, CMP_LT};
  return neg[op];
}

const char *cmp_text(IrCmp op) {
  static const char *const t[] = {"==", "!=", "<", "<=", ">", ">="};
  return t[op];
}

/* Sample points: the breakpoints, their neighbours, and both extremes. */
static int samples(int64_t *v, int64_t a, int64_t b) {
  int n = 0;
  int64_t pts[] = {a, b, 0};
  for (int i = 0; i < 3; i++) {
    v[n++] = pts[i];
    if (pts[i] > INT64_MIN)
      v[n++] = pts[i] - 1;
    if (pts[i] < INT64_MAX)
      v[n++] = pts[i] + 1;
  }
  v[n++] = INT64_MIN;
  v[n++] = INT64_MAX;
  return n;
}

bool facts_sat(IrCmp op1, int64_t k1, IrCmp op2, int64_t k2) {
  int64_t v[16];
  int n = samples(v, k1, k2);
  for (int i = 0; i < n; i++)
    if (fact_holds(op1, v[i], k1) && fact_holds(op2, v[i], k2))
      return true;
  return false;
}

static bool fails(IrFail f, int64_t x) {
  switch (f) {
  case FAIL_NEVER: return false;
  case FAIL_NONZERO: return x != 0;
  case FAIL_NEGATIVE: return x < 0;
  case FAIL_ZERO: return x == 0;
  }
  return false;
}

int fail_implied(IrFail fail, IrCmp op, int64_t k) {
  if (fail == FAIL_NEVER)
    return -1;
  int64_t v[16];
  int n = samples(v, k, 0);
  bool any_fail = false, any_ok = false;
  for (int i = 0; i < n; i++) {
    if (!fact_holds(op, v[i], k))
      continue;
    if (fail == FAIL_ZERO && v[i] < 0)
      continue; /* zero-fails handles are pointers or unsigned ids */
    if (fails(fail, v[i]))
      any_fail = true;
    else
      any_ok = true;
  }
  if (any_fail && !any_ok)
    return 1;
  if (any_ok && !any_fail)
    return -1;
  return 0;
}

void config_kill_facts(Config *c, int var) {
  int j = 0;
  for (int i = 0; i < c->nfacts; i++)
    if (c->facts[i].var != var)
      c->facts[j++] = c->facts[i];
  c->nfacts = j;
}

void config_add_fact(Config *c, int var, IrCmp op, int64_t k) {
  for (int i = 0; i < c->nfacts; i++)
    if (c->facts[i].var == var && c->facts[i].op == op && c->facts[i].k == k)
      return;
  /* A full table stops learning: a later contradiction on another variable
   * goes unnoticed. Eight facts per configuration cover the flag-tested-twice
   * idiom many times over. */
  if (c->nfacts < MAX_FACTS)
    c->facts[c->nfacts++] = (Fact){var, op, k};
}
