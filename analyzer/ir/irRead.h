/* irRead.h: what the IR reader's files share (ir_read.c: lines, functions,
 * blocks and terminators; ir_read_words.c: words, names, numbers,
 * locations and slot references; ir_read_event.c: slot and event lines).
 * Nobody outside the reader includes this. Every ir_rd_ function that can
 * fail records "name:line:col: what" in Rd.err (the first error only) and
 * returns false. */
#ifndef TL_IR_READ_H
#define TL_IR_READ_H

#include "irInt.h"

/* A word of the current line: a run of non-blanks, where a "string" or a
 * (parenthesised group) may hold blanks. */
typedef struct {
  const char *s;
  size_t n;
  int col; /* 1-based, for messages */
} Word;

typedef Array(Word) WordList;

typedef struct {
  int line, col;
} Pos;

/* A callee=/worker= index, checked once every function is read. */
typedef struct {
  Pos at;
  int fn;
} CalleeRef;

typedef Array(IrUse) UseList;

/* Per block of the function being read. */
enum { BK_UNSEEN, BK_REFERENCED, BK_DECLARED, BK_ENDED };

/* Bounds that keep a typo from allocating the machine away. */
enum { MAX_BLOCKS = 1 << 20, ERR_MAX = 512 };

/* The reader's state: where it is and what it has built. */
typedef struct {
  Arena *a;
  const char *name; /* of the text, for messages */
  int lineno;
  const char *line, *end; /* the current line, without its newline */
  const char *err;        /* the first error */
  bool quiet;             /* only asking: errors are not recorded */
  IrUnit *u;
  IrFunc *f; /* being read; NULL before the first func line */
  int block; /* being read; -1 before the first block of f */
  Pos fpos;  /* where f's func line is */
  Array(unsigned char) bstate;
  Array(Pos) bpos;           /* where each block was first named */
  WordList w;                /* the current line's words */
  Array(const char *) files; /* interned: the engine compares pointers */
  Array(CalleeRef) callees;
} Rd;

static inline bool ir_rd_blank(char c) { return c == ' ' || c == '\t'; }

/* ir_read_words.c */
bool ir_rd_fail(Rd *r, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool ir_rd_word_is(const Word *w, const char *lit);
/* key=VALUE: sets the value, which may be empty. */
bool ir_rd_is_key(const Word *w, const char *key, const char **val, size_t *vn);
/* From the opening quote at s, the position after the closing one; NULL
 * when the text ends first. */
const char *ir_rd_string_end(const char *s, const char *end);
/* Splits [p, end) into words; in a slot line field= takes the rest. */
bool ir_rd_lex(Rd *r, const char *p, const char *end, bool slot_line,
               WordList *out);
bool ir_rd_unquote(Rd *r, const char *s, size_t n, int col, const char **out);
bool ir_rd_name(Rd *r, const char *s, size_t n, int col, const char **out);
bool ir_rd_paren_text(Rd *r, const char *s, size_t n, int col,
                      const char **out);
bool ir_rd_int64(Rd *r, const char *s, size_t n, int col, int64_t *out);
bool ir_rd_int(Rd *r, const char *s, size_t n, int col, int *out);
bool ir_rd_digits(const char *s, size_t n);
bool ir_rd_loc(Rd *r, const char *s, size_t n, int col, const char *dflt,
               IrLoc *out);
bool ir_rd_slot_ref(Rd *r, const Word *w, int *slot, bool *addr);
bool ir_rd_names_slot(Rd *r, const Word *w);

/* ir_read_event.c */
bool ir_rd_slot_line(Rd *r);
bool ir_rd_event_line(Rd *r, IrEventKind kind);

#endif
