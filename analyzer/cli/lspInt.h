/* lspInt.h: the parts of `timerlint lsp` (lsp.c: the session, lsp_wire.c:
 * the framing, lsp_diag.c: findings as diagnostics). The protocol is the
 * Language Server Protocol 3.17
 * (https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/)
 * over JSON-RPC 2.0 (https://www.jsonrpc.org/specification). */
#ifndef TL_LSP_INT_H
#define TL_LSP_INT_H

#include <json-c/json.h>
#include <stdio.h>

#include "cli.h"

/* JSON-RPC 2.0 error codes, and LSP's for a request before initialize. */
enum {
  LSP_PARSE_ERROR = -32700,
  LSP_INVALID_REQUEST = -32600,
  LSP_METHOD_NOT_FOUND = -32601,
  LSP_SERVER_NOT_INITIALIZED = -32002,
};

/* What lsp_read found: a body (malloc'd, NUL-terminated, *len bytes), a
 * header block to skip (no or a bad Content-Length: said on stderr), or
 * the end of the input (also a body cut short by it). */
typedef enum { LSP_MSG, LSP_SKIP, LSP_EOF } LspRead;
LspRead lsp_read(FILE *in, char **body, size_t *len);
/* Writes `msg` framed, flushed, and drops the reference (json_object_put).
 * false when the client is gone (a write failed). */
bool lsp_send(FILE *out, json_object *msg);

/* The local path of a file:// URI (percent-decoded, malloc'd), else NULL. */
char *lsp_uri_path(const char *uri);
/* The diagnostics of the file `uri` names: a scan of it as
 * `timerlint scan --no-db` runs it (the options `base` gives: --rules,
 * --no-default-rules), each finding in that file one diagnostic. A new
 * array; empty (and said on stderr) when the file cannot be scanned. */
json_object *lsp_diagnostics(const Options *base, const char *uri);

#endif
