/* pf.h: the token prefilter (#17, design.md §8). Before any TU is parsed,
 * the main file of each and the project headers it includes are tokenised
 * (no preprocessor, no libclang); a TU is skipped when nothing in those
 * files can lead to a finding or a link fact: no identifier of a loaded
 * family, and no holder type, wrapper, macro or project function that the
 * fixpoint over the whole scan found to reach one (decisions.md says why
 * that is conservative). When in doubt (a file that cannot be read, a raw
 * string that does not end, `#include MACRO`), the TU is parsed.
 *
 * Knows nothing of libclang or SQLite: the store's cache of outlines is
 * reached through PfCache. Run-long object, owned by the scan. */
#ifndef TL_PF_H
#define TL_PF_H

#include <stdbool.h>
#include <stdint.h>

#include "../rules/rules.h"

typedef struct Pf Pf;

/* Outlines of file contents kept across scans, by PF_KEY: text made by
 * the prefilter, never read by anyone else. get returns malloc'd text or
 * NULL; either may be NULL (no cache). */
typedef struct {
  char *(*get)(void *ctx, const char *key);
  void *ctx;
} PfCache;

/* A file a TU's decision read, with the hash of its contents (the same
 * FNV-1a as the store's dependency hashes). */
typedef struct {
  const char *path;
  uint64_t hash;
} PfDep;

/* `root`: the scan root (a header below it is the project's). */
Pf *pf_new(const char *root, const PfCache *cache);
void pf_free(Pf *pf);

/* An identifier that may lead to a finding wherever it appears; with
 * pf_seed_cxx, only in C++ (a name C code uses for anything: `wait`). */
void pf_seed(Pf *pf, const char *name);
void pf_seed_cxx(Pf *pf, const char *name);
/* Every name the loaded families give an object-making or object-using
 * role (not the generic free, alloc, noreturn, alias or scope-guard
 * helpers: those do nothing without a timer or thread). */
void pf_seed_rules(Pf *pf, const Rules *r);

/* Tokenises a TU's main file and its project headers (each file once per
 * scan); its flags resolve the includes as the compiler would. With
 * `strict`, an include that cannot be found puts the TU in doubt (its
 * parse would fail). Returns the TU's index. */
int pf_add_tu(Pf *pf, const char *file, const char *directory,
              const char *const *argv, int argc, bool full_argv, bool strict);
/* The fixpoint over every TU added; after it, pf_skip answers. */
void pf_solve(Pf *pf);
/* May TU `tu` be skipped? Its files (main first), in the prefilter's
 * memory, either way. */
bool pf_skip(const Pf *pf, int tu, const PfDep **deps, int *ndeps);
/* Outlines made this scan that the cache did not have (key, text), for the
 * caller to store; valid until pf_free. */
int pf_new_outlines(const Pf *pf, const char *const **keys,
                    const char *const **texts);
/* The same, of the files TUs `tus` read only: a shard decides over the
 * whole database and keeps the outlines of its own TUs, not 64 copies of
 * everyone's. */
int pf_new_outlines_of(Pf *pf, const int *tus, int ntus,
                       const char *const **keys, const char *const **texts);

/* Counts for --quiet-less runs and the bench. */
typedef struct {
  int files, cached, doubt;
} PfStats;
PfStats pf_stats(const Pf *pf);

#endif
