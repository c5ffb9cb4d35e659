/* irInt.h: what the IR's writer (ir_dump.c) and reader (ir_read.c) share:
 * the words of the text form and its quoting rule, so the two cannot drift.
 * The grammar itself is described at the top of ir_text.c. Nobody outside
 * analyzer/ir includes this. */
#ifndef TL_IR_INT_H
#define TL_IR_INT_H

#include "ir.h"

extern const char *const ir_term_names[]; /* by IrTermKind */
extern const char *const ir_cmp_names[];  /* by IrCmp */
extern const char *const ir_fail_names[]; /* by IrFail */
enum {
  IR_NTERMS = TERM_INVOKE + 1,
  IR_NCMPS = CMP_GE + 1,
  IR_NFAILS = FAIL_ZERO + 1
};

/* Event flags written as a bare word. EVF_ADDR is written as '&' before the
 * slot (as a word only when there is no slot), EVF_CONST as "= k" and
 * EVF_DEFERRED as deferred(why)@at. */
typedef struct {
  unsigned flag;
  const char *word;
} IrFlagWord;
extern const IrFlagWord ir_flag_words[];
extern const int ir_nflag_words;
/* Every flag the text form knows; other bits are written as flags=0x... */
#define IR_KNOWN_FLAGS 0x7ffffffu

/* Can `s` be written as a bare word where a name may stand (an event's api
 * or slot, an attribute's value)? False when it is empty, holds a blank, a
 * quote, a backslash, '=' or unbalanced parentheses, starts with a
 * character that opens another element ('&', '@', '('), ends like a slot
 * index ("#3"), or is a word of the syntax ("-", "?", a flag word). */
bool ir_text_bare(const char *s);
/* Writes `s` bare when it can be, else as a C string literal. */
void ir_text_put(FILE *out, const char *s);
/* Writes `s` as a C string literal (\" \\ \n \t \r, \xHH). */
void ir_text_quote(FILE *out, const char *s);
/* Free text inside parentheses (an invoke's call, a deferred event's why)
 * that is read back up to the closing parenthesis: false when it must be
 * quoted instead. */
bool ir_text_raw_ok(const char *s);

/* The base label and access path a slot's display name implies: "s->t"
 * implies base "s", ops "*.t"; "*p" implies "p", "*". The dump writes base=
 * and ops= only where a slot differs; a reader fills them in. */
const char *ir_text_name_base(Arena *a, const char *name);
const char *ir_text_name_ops(Arena *a, const char *name);

#endif
