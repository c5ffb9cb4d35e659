/* prepare.c: what one object's run computes before it sweeps: the block
 * order, which slots may hold the object, and the loops around its
 * creation. */
#include "objrun.h"

static void rpo_visit(ObjRun *r, int b, bool *seen) {
  seen[b] = true;
  const IrBlock *bl = &r->f->blocks.v[b];
  for (int i = bl->succ.n - 1; i >= 0; i--)
    if (!seen[bl->succ.v[i].to])
      rpo_visit(r, bl->succ.v[i].to, seen);
  r->rpo[--r->nrpo] = b;
}

void run_compute_rpo(ObjRun *r) {
  int n = r->f->blocks.n;
  bool *seen = xcalloc((size_t)n, sizeof *seen);
  r->rpo = xcalloc((size_t)n, sizeof *r->rpo);
  r->nrpo = n;
  rpo_visit(r, r->f->entry, seen);
  /* Unreachable blocks were never placed: shift the reachable ones down. */
  int off = r->nrpo;
  memmove(r->rpo, r->rpo + off, (size_t)(n - off) * sizeof *r->rpo);
  r->nrpo = n - off;
  xfree(seen);
}

/* Slots that may hold the object: its own, plus copies, to a fixpoint. */
bool run_compute_bits(ObjRun *r, int seed) {
  const IrFunc *f = r->f;
  r->bit = xmalloc((size_t)(f->slots.n ? f->slots.n : 1) * sizeof *r->bit);
  for (int s = 0; s < f->slots.n; s++)
    r->bit[s] = -1;
  int nbits = 0;
  if (seed >= 0)
    r->bit[seed] = nbits++;
  for (bool again = true; again;) {
    again = false;
    for (IrEvIter it = ir_events(f); ir_events_next(&it);) {
      const IrEvent *e = it.e;
      if (e->kind == EV_COPY && r->bit[e->slot2] >= 0 && r->bit[e->slot] < 0) {
        if (nbits == MAX_BITS)
          return false;
        r->bit[e->slot] = nbits++;
        again = true;
      }
    }
  }
  return true;
}

/* Marks the natural loop of every back edge whose body holds the creating
 * block: the blocks that reach the edge's source without passing through its
 * header. A released object crossing such a back edge is about to be created
 * afresh on the next iteration; a later release seen again on a path that
 * skips the creation (an inner loop run zero times after running once) is
 * usually infeasible, so that state is not carried across. */
void run_compute_loops(ObjRun *r, int create_block) {
  const IrFunc *f = r->f;
  int n = f->blocks.n;
  r->in_loop = xcalloc((size_t)n, sizeof *r->in_loop);
  bool *body = xmalloc((size_t)n * sizeof *body);
  int *stack = xmalloc((size_t)n * sizeof *stack);
  for (int u = 0; u < n; u++)
    for (int i = 0; i < f->blocks.v[u].succ.n; i++) {
      if (!f->blocks.v[u].succ.v[i].back)
        continue;
      ir_natural_loop(f, u, f->blocks.v[u].succ.v[i].to, body, stack);
      if (body[create_block])
        r->in_loop[u] = true; /* u's back edge closes a loop around it */
    }
  xfree(body);
  xfree(stack);
}
