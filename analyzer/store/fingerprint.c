/* fingerprint.c: a finding's identity across edits, the key that
 * baselines, diffs and the store compare (design.md §6). */
#include <string.h>

#include "store.h"

void store_fingerprints(FindingList *fl, const char *root, Arena *a) {
  for (int i = 0; i < fl->n; i++) {
    Finding *f = &fl->v[i];
    const char *rel = path_relative(f->loc.file ? f->loc.file : "", root, a);
    uint64_t h = HASH_SEED;
    h = hash_str(h, f->rule);
    h = hash_str(h, rel);
    h = hash_str(h, f->function ? f->function : "");
    h = hash_str(h, f->handle ? f->handle : "");
    h = hash_str(h, f->api ? f->api : "");
    /* Equal keys earlier in the same file: the occurrence index. */
    int occ = 0;
    for (int j = 0; j < i; j++) {
      const Finding *g = &fl->v[j];
      occ += !strcmp(g->rule, f->rule) && g->loc.file && f->loc.file &&
             !strcmp(g->loc.file, f->loc.file) &&
             !strcmp(g->function ? g->function : "", f->function ? f->function : "") &&
             !strcmp(g->handle ? g->handle : "", f->handle ? f->handle : "") &&
             !strcmp(g->api ? g->api : "", f->api ? f->api : "");
    }
    h = hash_bytes(h, &occ, sizeof occ);
    f->fingerprint = arena_printf(a, "%016llx", (unsigned long long)h);
  }
}
