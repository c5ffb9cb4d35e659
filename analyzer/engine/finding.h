/* finding.h: what the engine reports and report writers read. Plain data;
 * strings live in the unit's arena (or the store's, once loaded back). */
#ifndef TL_FINDING_H
#define TL_FINDING_H

#include "../ir/ir.h"

/* One step of the path that proves a finding. */
typedef struct {
  IrLoc loc;
  const char *text;
} Note;

typedef struct {
  const char *rule;     /* stable rule id, e.g. "missing-stop" */
  IrLoc loc;            /* primary location */
  const char *function; /* enclosing function */
  const char *message;
  const char *handle; /* display form of the handle, "" when none */
  const char *api;    /* the creating API */
  Note *notes;        /* the witness path, in order */
  int nnotes;
  int fn_start, fn_end; /* lines of the enclosing function (pre-commit mode) */
  /* Filled after analysis (store/fingerprint.c, suppressions): */
  const char *fingerprint; /* stable identity across edits, or NULL */
  bool suppressed;
  const char *suppress_reason;
} Finding;

typedef Array(Finding) FindingList;

/* Sorts by file, line, column, rule and drops exact duplicates (a function
 * from a header seen by several TUs is reported once). */
void findings_sort_unique(FindingList *l);

/* Fingerprint lookup for baselines and diffs: findings_by_fingerprint fills
 * `index` with pointers into `l` sorted by fingerprint (caller frees with
 * array_free); findings_lookup finds one in O(log n). */
typedef Array(const Finding *) FindingIndex;
void findings_by_fingerprint(const FindingList *l, FindingIndex *index);
const Finding *findings_lookup(const FindingIndex *index, const char *fp);

#endif
