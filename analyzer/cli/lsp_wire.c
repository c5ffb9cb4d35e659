/* lsp_wire.c: LSP's base protocol, the framing of JSON-RPC messages: a
 * header block of `Name: value\r\n` lines (Content-Length required,
 * Content-Type ignored) ended by an empty line, then that many bytes of
 * JSON. Knows nothing of the methods. Bad input is said on stderr and
 * skipped; it never ends the session except at the end of the input. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lspInt.h"

/* Bodies larger than this are refused, not allocated (an editor sends a
 * whole file at most; a wild length must not exhaust memory). */
#define LSP_MAX_BODY (256L * 1024 * 1024)
/* A header line longer than this is not LSP. */
#define LSP_MAX_HEADER 1024

/* One header line without its line end, into buf; false at EOF. A longer
 * line is cut (and so fails to parse) rather than overflowing. */
static bool header_line(FILE *in, char *buf, size_t n) {
  if (!fgets(buf, (int)n, in))
    return false;
  size_t l = strlen(buf);
  if (l && buf[l - 1] != '\n') { /* too long: drop the rest of it */
    int ch;
    while ((ch = getc(in)) != EOF && ch != '\n')
      ;
  }
  buf[strcspn(buf, "\r\n")] = 0;
  return true;
}

/* Content-Length's value; -1 when the line is not one, -2 when it is but
 * its value is not a length we take. */
static long content_length(const char *line) {
  static const char name[] = "Content-Length:";
  if (strncasecmp(line, name, sizeof name - 1))
    return -1;
  const char *v = line + sizeof name - 1;
  while (*v == ' ' || *v == '\t')
    v++;
  char *end;
  errno = 0;
  long n = strtol(v, &end, 10);
  while (*end == ' ' || *end == '\t')
    end++;
  if (end == v || *end || errno || n < 0 || n > LSP_MAX_BODY)
    return -2;
  return n;
}

LspRead lsp_read(FILE *in, char **body, size_t *len) {
  char line[LSP_MAX_HEADER];
  long n = -1;
  bool bad = false, any = false;
  for (;;) {
    if (!header_line(in, line, sizeof line))
      return LSP_EOF;
    if (!*line) {
      if (any)
        break;
      continue; /* stray line ends between messages */
    }
    any = true;
    long v = content_length(line);
    if (v == -2)
      bad = true;
    else if (v >= 0)
      n = v;
  }
  if (bad || n < 0) {
    cli_warn("lsp: a message header without a valid Content-Length; "
             "skipped");
    return LSP_SKIP;
  }
  char *b = xmalloc((size_t)n + 1);
  size_t got = fread(b, 1, (size_t)n, in);
  b[got] = 0;
  if (got < (size_t)n) {
    cli_warn("lsp: the input ended inside a message (%zu of %ld bytes)", got,
             n);
    xfree(b);
    return LSP_EOF;
  }
  *body = b;
  *len = (size_t)n;
  return LSP_MSG;
}

bool lsp_send(FILE *out, json_object *msg) {
  size_t n;
  const char *s = json_object_to_json_string_length(
      msg, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
  bool ok = fprintf(out, "Content-Length: %zu\r\n\r\n", n) > 0 &&
            fwrite(s, 1, n, out) == n && fflush(out) == 0;
  json_object_put(msg);
  return ok;
}
