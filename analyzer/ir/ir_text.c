/* ir_text.c: the vocabulary of the IR's text form, shared by the writer
 * (ir_dump.c) and the reader (ir_read.c). Dumping what was read gives the
 * same bytes, and every field survives the trip (tests/test_ir_roundtrip.py
 * checks both over all testdata).
 *
 * A unit is its functions in order: callee=F and worker=F count them from
 * 0. One element per line; indentation is for the eye. A line whose first
 * non-blank character is ';' is a comment (engine tests keep their
 * expectations there; the dump writes none).
 *
 *   func NAME(N params) entry=Bn exit=Bn [usr=U] [end=LINE] [opaque] [called-only]  @LOC
 *   slot I NAME [local] [param=P | global | temp] [base=B] [ops=O] [field=...]
 *   elem-stop KIND API FIELD [async]  @LOC
 *   Bn:
 *   KIND [API] [SLOT] [<- SLOT] [status=SLOT] [callee=F arg=A] [= K]
 *        [discarded] [escaped] [detached] [worker=F] [uses=SLOT]...
 *        [thread] [fail=nonzero|negative|zero] [released-by=API] [arms]
 *        [inert] [async] [if-live] [addr] [cb-deref] [closing] [idempotent]
 *        [cb-data] [storage] [scalar] [to-worker] [pointer] [fresh] [free-rule]
 *        [k=K] [callee=F] [arg=A]
 *        [frees=T] [data-rec=T] [data-unref=API] [usr=U] [later=U later-arg=P] [flags=0xX] [deferred(WHY)@LOC]  @LOC
 *   TERM [(SLOT OP K) | (TEXT)] [Bn[^]]... [text=(TEXT)]  [@LOC]
 *
 * Words. A name (function, slot, api, attribute value) is a bare word or a
 * C string literal; ir_text_bare() says which. A SLOT is a slot's name,
 * NAME#I where other slots share the name, '&' before it when the event
 * passes its address (EVF_ADDR). LOC is LINE:COL in the function's own file
 * (the one on its func line), FILE:LINE:COL elsewhere; '?' is an unknown
 * file. (TEXT) is free text (a condition's source, the call an invoke
 * makes, why a cleanup runs) as written, or a string literal where that
 * would not read back; (?) is none.
 *
 * Defaults are not written, so most lines read as they did before these
 * attributes existed: slot I x with no more words is a local whose base is
 * its own and whose ops its name implies (x: "", s->t: "*.t", *p: "*");
 * base=B names a base shared by the slots that show the same B; `local` is
 * derived from base kind and ops, and the reader checks it. field= runs to
 * the end of the line. An event's KIND is followed by its API and its
 * SLOT; a lone word is the SLOT for escape, copy and assign and for any
 * word that names a slot, else the API; '-' stands for the missing one when
 * that rule would read it wrongly. A branch holds on its first successor
 * when SLOT OP K does ((?): a condition on nothing tracked, whose op and k
 * nothing reads); '^' marks a back edge. A dump writes attributes in the
 * order above; the reader takes them in any order. */
#include <string.h>

#include "irInt.h"

const char *const ir_term_names[] = {"goto",     "branch", "switch", "return",
                                     "noreturn", "exit",   "invoke"};
const char *const ir_cmp_names[] = {"==", "!=", "<", "<=", ">", ">="};
const char *const ir_fail_names[] = {"never", "nonzero", "negative", "zero"};

/* In the order a dump writes them; discarded, escaped and detached first
 * because the dump wrote them before the others existed. */
const IrFlagWord ir_flag_words[] = {
    {EVF_DISCARDED, "discarded"}, {EVF_ESCAPED, "escaped"},
    {EVF_DETACHED, "detached"},   {EVF_ARMS, "arms"},
    {EVF_INERT, "inert"},         {EVF_ASYNC, "async"},
    {EVF_IF_LIVE, "if-live"},     {EVF_ADDR, "addr"},
    {EVF_CB_DEREF, "cb-deref"},   {EVF_CLOSING, "closing"},
    {EVF_IDEMPOTENT, "idempotent"}, {EVF_CB_DATA, "cb-data"},
    {EVF_STORAGE, "storage"},     {EVF_SCALAR, "scalar"},
    {EVF_TO_WORKER, "to-worker"}, {EVF_POINTER, "pointer"},
    {EVF_FRESH, "fresh"},         {EVF_FREE, "free-rule"},
    {EVF_FORMAT, "format"},       {EVF_SPEC, "spec"},
    {EVF_DTOR_CHECKS, "dtor-checks"}, {EVF_ADDS, "adds"},
    {EVF_UNCHECKED, "unchecked"}, {EVF_KEEPS_ARMED, "keeps-armed"},
    {EVF_RETURNS_ID, "returns-id"}, {EVF_GENERIC, "generic"},
    {EVF_FAMILY_API, "family-api"},
};
const int ir_nflag_words = sizeof ir_flag_words / sizeof ir_flag_words[0];

/* Words the syntax gives a meaning where a name may stand. */
static bool reserved(const char *s) {
  static const char *const words[] = {"-", "<-", "=", "?", "thread"};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (!strcmp(s, words[i]))
      return true;
  for (int i = 0; i < ir_nflag_words; i++)
    if (!strcmp(s, ir_flag_words[i].word))
      return true;
  return false;
}

/* "x#12": a reader would take the tail for a slot index. */
static bool ends_like_index(const char *s) {
  const char *h = strrchr(s, '#');
  if (!h || !h[1])
    return false;
  for (const char *p = h + 1; *p; p++)
    if (*p < '0' || *p > '9')
      return false;
  return true;
}

/* No blank, quote, backslash, control character or '=', and parentheses
 * that balance (a reader keeps a parenthesised group in one word). */
static bool plain_chars(const char *s, bool allow_eq) {
  int depth = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p <= ' ' || *p == 0x7f || *p == '"' || *p == '\\' ||
        (*p == '=' && !allow_eq))
      return false;
    if (*p == '(')
      depth++;
    if (*p == ')' && --depth < 0)
      return false;
  }
  return depth == 0;
}

bool ir_text_bare(const char *s) {
  if (!s || !*s || reserved(s) || strchr("&@(", s[0]))
    return false;
  return plain_chars(s, false) && !ends_like_index(s) &&
         strncmp(s, "deferred(", 9) != 0;
}

void ir_text_quote(FILE *out, const char *s) {
  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '"': fputs("\\\"", out); break;
    case '\\': fputs("\\\\", out); break;
    case '\n': fputs("\\n", out); break;
    case '\t': fputs("\\t", out); break;
    case '\r': fputs("\\r", out); break;
    default:
      if (*p < ' ' || *p == 0x7f)
        fprintf(out, "\\x%02x", *p);
      else
        fputc(*p, out);
    }
  }
  fputc('"', out);
}

void ir_text_put(FILE *out, const char *s) {
  if (ir_text_bare(s))
    fputs(s, out);
  else
    ir_text_quote(out, s ? s : "");
}

bool ir_text_raw_ok(const char *s) {
  if (!s || !*s || !strcmp(s, "?"))
    return false;
  int depth = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p < ' ' || *p == 0x7f || *p == '"' || *p == '\\')
      return false;
    if (*p == '(')
      depth++;
    if (*p == ')' && --depth < 0)
      return false;
  }
  return depth == 0;
}

/* Length of the base part of a display name after its leading '*'s: up to
 * the first "->", '.' or '['. */
static size_t base_len(const char *s) {
  size_t n = 0;
  while (s[n] && s[n] != '.' && s[n] != '[' &&
         !(s[n] == '-' && s[n + 1] == '>'))
    n++;
  return n;
}

const char *ir_text_name_base(Arena *a, const char *name) {
  while (*name == '*')
    name++;
  return arena_strndup(a, name, base_len(name));
}

/* The inverse of the front end's display form: "->" is "*.", a leading
 * '*' is a dereference of the whole path (display writes *p for ops "*"). */
const char *ir_text_name_ops(Arena *a, const char *name) {
  int stars = 0;
  while (*name == '*')
    name++, stars++;
  const char *s = name + base_len(name);
  size_t n = strlen(s);
  char *ops = arena_alloc(a, 2 * n + (size_t)stars + 1);
  char *o = ops;
  while (*s) {
    if (s[0] == '-' && s[1] == '>') {
      *o++ = '*', *o++ = '.';
      s += 2;
    } else {
      *o++ = *s++;
    }
  }
  while (stars--)
    *o++ = '*';
  *o = 0;
  return ops;
}
