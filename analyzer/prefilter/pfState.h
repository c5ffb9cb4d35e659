/* pfState.h: the Pf object, shared by pf.c (reading) and solve.c (the
 * fixpoint) only. */
#ifndef TL_PF_STATE_H
#define TL_PF_STATE_H

#include "pfInt.h"

typedef struct {
  const char **k;
  int *v;
  int cap, n;
} PfMap;
int pf_map_get(const PfMap *m, const char *s, size_t n);
void pf_map_put(PfMap *m, Arena *a, const char *s, size_t n, int v);
void pf_map_free(PfMap *m);

typedef struct {
  const char *path; /* real path */
  uint64_t hash;
  PfOutline o;
  int seen; /* the last TU that listed it */
  bool cxx; /* some C++ TU reads it */
  int fresh; /* 1 + its index in new_keys, or 0: from the cache, unread */
} PfFile;

typedef struct {
  IdList files; /* main first, then its project headers */
  bool doubt;
  bool cxx;  /* compiled as C++ */
  bool skip; /* pf_solve's answer */
  PfDep *deps;
} PfTu;

typedef struct {
  const char *path; /* NULL: not the project's */
  bool found;
} PfMemo;

struct Pf {
  Arena *a;
  const char *root;
  PfCache cache;
  PfMap ids; /* name -> id */
  Array(const char *) names;
  PfMap by_path; /* real path -> index in files */
  Array(PfFile *) files;
  PfMap memo; /* search path, directory, name -> index in memo_v */
  Array(PfMemo) memo_v;
  Array(PfTu) tus;
  IdList seeds, cxx_seeds;
  Array(const char *) new_keys, new_texts;
  PfStats st;
  /* solve.c: by id, what the fixpoint found */
  unsigned char *mark;
};

/* Bits of Pf.mark. */
enum {
  PF_ACTIVE = 1, /* may make, start, stop or wrap a timer or thread */
  PF_HOLDER = 2, /* a type (or variable, prototype) that holds one */
  PF_NEEDED = 4, /* a project function whose body the link phase reads */
  PF_NTYPE = 8,  /* a type of function pointers such code calls */
  PF_TYPE = 16,  /* a defined type's name */
  PF_FUNC = 32,  /* a defined function's name */
  PF_MCALL = 64, /* a member called through by such code */
  PF_CXXACT = 128, /* active in C++ only: a C++ rule's class or member
                      name (`wait`, `thread`), which C code spells with
                      other meanings */
};

void pf_solved_free(Pf *pf);

#endif
