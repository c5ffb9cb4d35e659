/* verdict.c: from observations to findings. Every check (check_list.h)
 * sees every observation; a ranked verdict competes for the object's one
 * leak finding, the others are kept once per site; all are emitted only
 * once the object's run converged. */
#include "objrun.h"

const char *run_handle_name(const ObjRun *r) {
  int s = r->create ? r->create->slot : r->param_slot;
  return s >= 0 ? r->f->slots.v[s].name : "";
}

const Wit *run_wit(ObjRun *r, const Wit *prev, IrLoc loc, const char *t) {
  return eng_wit(r->a, prev, loc, t);
}

static const struct {
  CheckId chk;
  CheckFn fn;
  int rank;
} check_list[] = {
#define X(e, fn, rank) {e, fn, rank},
#include "check_list.h"
#undef X
};

/* A finding a check made: ranked ones compete for the one leak finding of
 * the object, the others are kept once per site. */
static void candidate(ObjRun *r, CheckId chk, int rank, const Verdict *v) {
  Candidate c = {chk, v->loc, v->message, v->w};
  if (!rank) {
    for (int i = 0; i < r->other.n; i++)
      if (r->other.v[i].chk == chk && r->other.v[i].loc.line == v->loc.line &&
          r->other.v[i].loc.col == v->loc.col &&
          r->other.v[i].loc.file == v->loc.file)
        return;
    array_push(&r->other, c);
    return;
  }
  if (!r->has_leak || rank > r->leak_rank) {
    r->leak = c;
    r->leak_rank = rank;
    r->has_leak = true;
  }
}

/* Tells every check what was seen on this path. */
void run_observe(ObjRun *r, const Observation *o) {
  for (size_t i = 0; i < sizeof check_list / sizeof *check_list; i++) {
    Verdict v = {0};
    if (check_list[i].fn(&r->ox, o, &v))
      candidate(r, check_list[i].chk, check_list[i].rank, &v);
  }
}

/* The object's last holder goes away: a loss when it is held and ours. */
void run_lost(ObjRun *r, const Config *c, IrLoc where, int slot) {
  if (!r->create || !ts_holds(c->ts) || (c->flags & CF_ESCAPED))
    return;
  Observation o = {.kind = OBS_LOST, .c = c, .slot = slot, .loc = where};
  run_observe(r, &o);
}

void run_emit(ObjRun *r) {
  if (r->overflow)
    return;
  if (r->external) {
    for (int i = 0; i < r->other.n; i++)
      eng_add_finding(r->cx, r->f, r->other.v[i].chk, r->other.v[i].loc,
                      r->other.v[i].message, run_handle_name(r), "",
                      r->other.v[i].w);
    return;
  }
  if (r->has_leak)
    eng_add_finding(r->cx, r->f, r->leak.chk, r->leak.loc, r->leak.message,
                    run_handle_name(r), r->create->api, r->leak.w);
  for (int i = 0; i < r->other.n; i++)
    eng_add_finding(r->cx, r->f, r->other.v[i].chk, r->other.v[i].loc,
                    r->other.v[i].message, run_handle_name(r),
                    r->create ? r->create->api : "", r->other.v[i].w);
}
