/* path.c: access paths (see IrSlot in ir.h). Pure: computing a path emits no
 * event, so pre-passes can use it too. */
#include <string.h>

#include "feInt.h"

static bool base_of(Lower *L, CXCursor ref, FePath *p);

bool fe_var_path(Lower *L, CXCursor var, FePath *p) {
  return base_of(L, var, p);
}

static bool base_compute(Lower *L, CXCursor ref, FePath *p);

static void bases_grow(Lower *L) {
  unsigned old = L->bases ? L->base_mask + 1 : 0;
  struct BaseSlot *prev = L->bases;
  unsigned size = old ? 2 * old : 64;
  L->bases = xcalloc(size, sizeof *L->bases);
  L->base_mask = size - 1;
  for (unsigned i = 0; i < old; i++)
    if (prev[i].used) {
      unsigned h = clang_hashCursor(prev[i].decl) & L->base_mask;
      while (L->bases[h].used)
        h = (h + 1) & L->base_mask;
      L->bases[h] = prev[i];
    }
  xfree(prev);
}

void fe_bases_reset(Lower *L) {
  xfree(L->bases);
  L->bases = NULL;
  L->nbases = 0;
}

static bool base_of(Lower *L, CXCursor ref, FePath *p) {
  if (!L->bases || 2 * (L->nbases + 1) > L->base_mask + 1)
    bases_grow(L);
  unsigned h = clang_hashCursor(ref) & L->base_mask;
  for (; L->bases[h].used; h = (h + 1) & L->base_mask)
    if (clang_equalCursors(L->bases[h].decl, ref)) {
      *p = L->bases[h].path;
      return L->bases[h].ok;
    }
  struct BaseSlot *e = &L->bases[h];
  e->used = true;
  e->decl = ref;
  e->ok = base_compute(L, ref, &e->path);
  L->nbases++;
  *p = e->path;
  return e->ok;
}

static bool base_compute(Lower *L, CXCursor ref, FePath *p) {
  memset(p, 0, sizeof *p);
  enum CXCursorKind k = clang_getCursorKind(ref);
  if (k != CXCursor_VarDecl && k != CXCursor_ParmDecl)
    return false;
  p->name = fe_spelling(L, ref);
  p->ops = "";
  p->param = -1;
  if (k == CXCursor_ParmDecl) {
    int n = clang_Cursor_getNumArguments(L->fn_cursor);
    for (int i = 0; i < n; i++)
      if (clang_equalCursors(clang_Cursor_getArgument(L->fn_cursor, i), ref)) {
        p->bk = BASE_PARAM;
        p->param = i;
        p->base = arena_printf(L->a, "%s#p%d", p->name, i);
        return true;
      }
    /* A parameter of another function (a nested declarator): not ours. */
    return false;
  }
  enum CX_StorageClass sc = clang_Cursor_getStorageClass(ref);
  CXCursor parent = clang_getCursorSemanticParent(ref);
  enum CXCursorKind pk = clang_getCursorKind(parent);
  bool global = sc == CX_SC_Static || sc == CX_SC_Extern ||
                pk == CXCursor_TranslationUnit || pk == CXCursor_Namespace;
  unsigned off = fe_offset(clang_getCursorLocation(ref));
  /* A local of another function (a lambda's capture, a destructor's own
   * variable seen from where it is inlined) is storage we do not own. */
  CXSourceRange fr = clang_getCursorExtent(L->fn_cursor);
  bool foreign = !global && (off < fe_offset(clang_getRangeStart(fr)) ||
                             off > fe_offset(clang_getRangeEnd(fr)));
  p->bk = global || foreign ? BASE_GLOBAL : BASE_LOCAL;
  if (global) /* a static's name is its file's own */
    p->key = ir_key_global(L->a, p->name,
                           sc == CX_SC_Static ? fe_loc(L, ref).file : NULL);
  p->base = arena_printf(L->a, "%s@%u", p->name, off);
  return true;
}

/* A path that is a C++ reference bound in this function names its target. */
static void follow_ref(Lower *L, FePath *p) {
  for (int i = 0; i < L->refs.n; i++)
    if (!strcmp(L->refs.v[i].base, p->base) && !strcmp(L->refs.v[i].ops, p->ops)) {
      *p = L->refs.v[i].to;
      return;
    }
}

/* `this` in a method lowered as a function: a parameter past the declared
 * ones, so members are paths below it ("this->timer": *.timer) and the
 * link phase sees the class's fields. */
static bool method_this(Lower *L, Val *out) {
  enum CXCursorKind k = clang_getCursorKind(L->fn_cursor);
  if (k != CXCursor_CXXMethod && k != CXCursor_Constructor &&
      k != CXCursor_Destructor)
    return false;
  memset(out, 0, sizeof *out);
  out->kind = VAL_PATH;
  out->p.base = "this#this";
  out->p.name = "this";
  out->p.bk = BASE_PARAM;
  out->p.param = L->f->nparams;
  out->p.ops = "";
  return true;
}

bool fe_is_assigned(Lower *L, CXCursor var) {
  for (int i = 0; i < L->assigned.n; i++)
    if (clang_equalCursors(L->assigned.v[i], var))
      return true;
  return false;
}

/* glibc's pthread_cleanup_push keeps its argument in `void *__cancel_arg =
 * (arg);` and the pop passes that on; `struct ctx *c = &ctx;` is the same
 * shape. Following the alias keeps the handle tracked where treating the
 * pointer as unknown would lose it. Not decided during the pre-pass, which
 * is still collecting the assignments that rule an alias out. */
bool fe_alias_of(Lower *L, CXCursor var, Val *out) {
  if (L->in_prepass || clang_getCursorKind(var) != CXCursor_VarDecl ||
      clang_Cursor_getStorageClass(var) == CX_SC_Static ||
      clang_getCanonicalType(clang_getCursorType(var)).kind != CXType_Pointer)
    return false;
  CXCursor init = clang_Cursor_getVarDeclInitializer(var);
  if (clang_Cursor_isNull(init) || fe_is_assigned(L, var))
    return false;
  Val v;
  L->in_prepass = true; /* p = &*p and friends: no alias chains */
  bool ok = fe_path_of(L, init, &v) && v.kind == VAL_ADDR;
  L->in_prepass = false;
  if (ok)
    *out = v;
  return ok;
}

static bool is_pointer(CXCursor e) {
  CXType t = clang_getCanonicalType(clang_getCursorType(e));
  return t.kind == CXType_Pointer;
}

static void add_op(Lower *L, FePath *p, const char *op) {
  p->ops = arena_printf(L->a, "%s%s", p->ops, op);
  p->key = NULL;
}

/* A record type's identity across TUs: its spelling and where it is
 * defined ("struct conn@memcached.h:88"). Two programs of one tree may each
 * have their own `struct conn` (memcached's server and its test client,
 * linuxptp's ptp4l and phc2sys). */
IrRecord fe_record(Lower *L, CXType t) {
  t = clang_getCanonicalType(t);
  CXString s = clang_getTypeSpelling(t);
  CXCursor d = clang_getCursorDefinition(clang_getTypeDeclaration(t));
  IrLoc at = clang_Cursor_isNull(d) ? (IrLoc){NULL, 0, 0} : fe_loc(L, d);
  IrRecord r = {arena_strdup(L->a, clang_getCString(s)), at.file, at.line};
  clang_disposeString(s);
  return r;
}

/* The field's record (fe_record) and name. */
static const IrKey *field_key(Lower *L, CXCursor member) {
  CXCursor fd = clang_getCursorReferenced(member);
  if (clang_getCursorKind(fd) != CXCursor_FieldDecl)
    return NULL;
  CXType rt = clang_getCursorType(clang_getCursorSemanticParent(fd));
  return ir_key_field(L->a, fe_record(L, rt), fe_spelling(L, fd));
}

/* The member a constructor's mem-initializer names (`worker_(...)`, a
 * MemberRef child of the constructor): this->member. */
bool fe_member_init_path(Lower *L, CXCursor member, Val *out) {
  if (clang_getCursorKind(clang_getCursorReferenced(member)) !=
          CXCursor_FieldDecl ||
      !method_this(L, out))
    return false;
  add_op(L, &out->p, "*.");
  add_op(L, &out->p, fe_spelling(L, member));
  out->p.key = field_key(L, member);
  return true;
}

/* `obj.member` for the member a mem-initializer names (a MemberRef). */
bool fe_member_of(Lower *L, const FePath *obj, CXCursor member, FePath *out) {
  if (clang_getCursorKind(clang_getCursorReferenced(member)) !=
      CXCursor_FieldDecl)
    return false;
  *out = *obj;
  add_op(L, out, ".");
  add_op(L, out, fe_spelling(L, member));
  out->key = field_key(L, member);
  return true;
}

/* A temporary of the function (a call's result a condition tests, the
 * object a temporary expression makes), shown as `name`; its path in *p
 * when p is not NULL. */
int fe_temp(Lower *L, const char *name, FePath *p) {
  FePath t = {arena_printf(L->a, "$%d", L->ntemps++), name, BASE_TEMP, -1, "",
              NULL};
  if (p)
    *p = t;
  return fe_slot(L, &t);
}

bool fe_path_of(Lower *L, CXCursor c, Val *out) {
  c = fe_strip(c);
  memset(out, 0, sizeof *out);
  switch (clang_getCursorKind(c)) {
  case CXCursor_DeclRefExpr: {
    CXCursor var = clang_getCursorReferenced(c);
    if (!base_of(L, var, &out->p))
      return false;
    out->kind = VAL_PATH;
    Val alias;
    if (out->p.bk == BASE_LOCAL && fe_alias_of(L, var, &alias))
      *out = alias;
    else
      follow_ref(L, &out->p);
    return true;
  }
  case CXCursor_CXXThisExpr:
    if (L->has_this) { /* a destructor inlined on a variable */
      out->kind = VAL_ADDR;
      out->p = L->this_path;
      return true;
    }
    return method_this(L, out);
  case CXCursor_MemberRefExpr: {
    Kids k = fe_kids(L, c);
    if (k.n < 1 && L->has_this) { /* a member named inside a destructor */
      out->kind = VAL_PATH;
      out->p = L->this_path;
      add_op(L, &out->p, ".");
      add_op(L, &out->p, fe_spelling(L, c));
      out->p.key = field_key(L, c);
      follow_ref(L, &out->p);
      return true;
    }
    if (k.n < 1) { /* a member of *this, in a method */
      if (clang_getCursorKind(clang_getCursorReferenced(c)) != CXCursor_FieldDecl ||
          !method_this(L, out))
        return false;
      add_op(L, &out->p, "*.");
      add_op(L, &out->p, fe_spelling(L, c));
      out->p.key = field_key(L, c);
      follow_ref(L, &out->p);
      return true;
    }
    if (k.n < 1 || !fe_path_of(L, k.v[0], out))
      return false;
    bool arrow = is_pointer(k.v[0]);
    if (out->kind == VAL_ADDR && arrow) { /* (&x)->f is x.f */
      out->kind = VAL_PATH;
      arrow = false;
    } else if (out->kind != VAL_PATH) {
      return false;
    }
    add_op(L, &out->p, arrow ? "*." : ".");
    add_op(L, &out->p, fe_spelling(L, c));
    out->p.key = field_key(L, c);
    follow_ref(L, &out->p);
    return true;
  }
  case CXCursor_ArraySubscriptExpr: {
    Kids k = fe_kids(L, c);
    if (k.n < 1 || !fe_path_of(L, k.v[0], out) || out->kind != VAL_PATH)
      return false;
    add_op(L, &out->p, "[]");
    return true;
  }
  case CXCursor_UnaryOperator: {
    enum CXUnaryOperatorKind op = clang_getCursorUnaryOperatorKind(c);
    Kids k = fe_kids(L, c);
    if (k.n < 1 || (op != CXUnaryOperator_AddrOf && op != CXUnaryOperator_Deref))
      return false;
    if (!fe_path_of(L, k.v[0], out))
      return false;
    if (op == CXUnaryOperator_AddrOf) {
      if (out->kind != VAL_PATH)
        return false;
      out->kind = VAL_ADDR;
    } else if (out->kind == VAL_ADDR) {
      out->kind = VAL_PATH;
    } else {
      add_op(L, &out->p, "*");
    }
    return true;
  }
  case CXCursor_CStyleCastExpr: {
    Kids k = fe_kids(L, c);
    return k.n > 0 && fe_path_of(L, k.v[k.n - 1], out);
  }
  default:
    return false;
  }
}

FePath fe_deref(Lower *L, const Val *v, bool *ok) {
  FePath p = v->p;
  *ok = v->kind == VAL_PATH || v->kind == VAL_ADDR;
  if (v->kind == VAL_PATH)
    add_op(L, &p, "*");
  return p;
}

static const char *display(Lower *L, const FePath *p) {
  StrBuf b = {0};
  const char *o = p->ops;
  int derefs_pending = 0;
  sb_puts(&b, p->name);
  while (*o) {
    if (o[0] == '*' && o[1] == '.') {
      o += 2;
      sb_puts(&b, "->");
      continue;
    }
    if (o[0] == '*') {
      derefs_pending++;
      o++;
      continue;
    }
    if (o[0] == '[') {
      sb_puts(&b, "[]");
      o += 2;
      continue;
    }
    if (o[0] == '.')
      sb_putc(&b, *o++);
    while (*o && *o != '.' && *o != '*' && *o != '[')
      sb_putc(&b, *o++);
  }
  const char *r;
  if (derefs_pending) {
    StrBuf s = {0};
    for (int i = 0; i < derefs_pending; i++)
      sb_putc(&s, '*');
    sb_puts(&s, b.s);
    r = arena_strdup(L->a, s.s);
    sb_free(&s);
  } else {
    r = arena_strdup(L->a, b.s);
  }
  sb_free(&b);
  return r;
}

int fe_slot(Lower *L, const FePath *p) {
  int s = ir_slot_find(L->f, p->base, p->ops);
  if (s >= 0)
    return s;
  s = ir_slot(L->f, display(L, p), p->base, p->bk, p->param, p->ops);
  ir_slot_set_key(L->f, s, p->key);
  return s;
}

