/* ir_roundtrip FILE: reads an IR dump (or an engine test) and writes it
 * again on stdout, for tests/test_ir_roundtrip.py: what --dump-ir printed
 * must come back byte for byte. Exit 0, 1 when the text does not read (the
 * message on stderr), 2 on usage or I/O errors. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../analyzer/ir/ir.h"

/* The whole file, NUL-terminated, in `a`; NULL with *why on an error. */
static char *slurp(Arena *a, const char *path, const char **why) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    *why = strerror(errno);
    return NULL;
  }
  StrBuf b = {0};
  char buf[65536];
  size_t n;
  *why = NULL;
  while (!*why && (n = fread(buf, 1, sizeof buf - 1, f)) > 0) {
    buf[n] = 0;
    if (memchr(buf, 0, n))
      *why = "holds a NUL byte: not text";
    sb_puts(&b, buf);
  }
  if (!*why && ferror(f))
    *why = strerror(errno);
  fclose(f);
  char *s = *why ? NULL : arena_strdup(a, b.s ? b.s : "");
  sb_free(&b);
  return s;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: ir_roundtrip FILE\n");
    return 2;
  }
  Arena *a = arena_new();
  const char *why, *err;
  const char *text = slurp(a, argv[1], &why);
  if (!text) {
    fprintf(stderr, "ir_roundtrip: %s: %s\n", argv[1], why);
    arena_free(a);
    return 2;
  }
  IrUnit *u = ir_read(a, argv[1], text, &err);
  if (!u) {
    fprintf(stderr, "%s\n", err);
    arena_free(a);
    return 1;
  }
  ir_dump_unit(stdout, u);
  ir_unit_free(u);
  arena_free(a);
  return fflush(stdout) == 0 ? 0 : 2;
}
