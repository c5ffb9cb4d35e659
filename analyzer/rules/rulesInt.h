/* rulesInt.h: shared by the rules loader's files only. rules.c owns the
 * Rules object and reads files; file.c reads a file's top level (a family,
 * teardown words); entry.c assembles one function entry from its keys, a
 * merged mapping and the file's defaults; keys.c knows which roles take
 * which key and reads each value. */
#ifndef TL_RULES_INT_H
#define TL_RULES_INT_H

#include <stdbool.h>
#include <yaml.h>

#include "rules.h"

typedef Array(const char *) NameList;

struct Rules {
  Arena *arena;
  Array(RuleFn) fns;
  Array(RuleFamily) fams;
  NameList teardown;  /* teardown names of every file */
  NameList callbacks; /* teardown callbacks of every file */
  NameList rc_types;  /* refcounted base types of every file ... */
  NameList rc_unrefs; /* ... and what drops a reference, index for index */
  uint64_t hash;
};

/* One key of an entry as written, in the entry itself, in a mapping it
 * merges (`<<:`) or in the file's `defaults:`. */
typedef struct {
  const char *k;
  yaml_node_t *kn, *vn;
  bool used; /* a default: some entry took it */
} KeyVal;

/* Parsing context for one file. */
typedef struct {
  Rules *r;
  const char *file;
  yaml_document_t doc;
  KeyVal *defaults; /* the file's `defaults:` (in the rules' arena) */
  int ndefaults;
  char *err; /* the first error, "file:line:col: what" */
} Ld;

/* Records the first error at n (NULL: the file's start); returns -1. */
int rules_fail(Ld *ld, yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
yaml_node_t *rules_node(Ld *ld, int id);
/* The scalar n holds, copied into the rules' arena; NULL (and an error
 * naming `what`) when n is no scalar. */
const char *rules_scalar(Ld *ld, yaml_node_t *n, const char *what);

/* file.c: one loaded document, a family and/or teardown words. */
int rules_parse_doc(Ld *ld);

/* keys.c: the keys of a function entry, by index into its table. */
int rules_key_index(const char *k); /* -1: no such key */
bool rules_key_takes(int key, int role);
int rules_key_read(Ld *ld, RuleFn *fn, int key, yaml_node_t *vn);
/* The error for a key that is no key here; a retired spelling's names the
 * key that replaced it. */
int rules_key_unknown(Ld *ld, yaml_node_t *kn, const char *k,
                      const char *where);
int rules_key_wrong_role(Ld *ld, yaml_node_t *kn, int key, int role);

/* entry.c */
/* Checks a file's `defaults:` mapping and keeps it in ld for the entries. */
int rules_set_defaults(Ld *ld, yaml_node_t *n);
/* Reads one function entry of fam into ld->r->fns. */
int rules_parse_entry(Ld *ld, yaml_node_t *n, const RuleFamily *fam,
                      IrResKind res);
/* After the entries: a default that no entry took is an error. */
int rules_check_defaults_used(Ld *ld);

#endif
