/* lsp.c: `timerlint lsp`, a Language Server Protocol server on stdin and
 * stdout: timerlint's findings as diagnostics when an editor opens or
 * saves a C or C++ file. The session (initialize, shutdown, exit) and the
 * dispatch of messages live here; the framing is lsp_wire.c's, the scan
 * and the diagnostics lsp_diag.c's. Stdout carries protocol only: every
 * other word goes to stderr, which editors keep as the server's log.
 * Spec: LSP 3.17, "Lifecycle Messages" and "Document Synchronization". */
#include <signal.h>
#include <string.h>

#include "lspInt.h"

#ifndef TIMERLINT_VERSION
#define TIMERLINT_VERSION "0.1.0"
#endif

typedef struct {
  const Options *o;
  FILE *out;
  bool initialized; /* initialize answered */
  bool shut;        /* shutdown answered: exit means success */
  bool gone;        /* the client stopped reading */
} Lsp;

static json_object *message(json_object *id) {
  json_object *m = json_object_new_object();
  json_object_object_add(m, "jsonrpc", json_object_new_string("2.0"));
  json_object_object_add(m, "id", json_object_get(id)); /* NULL: null */
  return m;
}

static void send(Lsp *s, json_object *m) {
  if (!s->gone && !lsp_send(s->out, m))
    s->gone = true;
  else if (s->gone)
    json_object_put(m);
}

static void reply(Lsp *s, json_object *id, json_object *result) {
  json_object *m = message(id);
  json_object_object_add(m, "result", result);
  send(s, m);
}

static void reply_error(Lsp *s, json_object *id, int code, const char *what) {
  json_object *m = message(id), *e = json_object_new_object();
  json_object_object_add(e, "code", json_object_new_int(code));
  json_object_object_add(e, "message", json_object_new_string(what));
  json_object_object_add(m, "error", e);
  send(s, m);
}

static json_object *capabilities(void) {
  json_object *sync = json_object_new_object(), *save = json_object_new_object();
  json_object_object_add(sync, "openClose", json_object_new_boolean(1));
  json_object_object_add(sync, "change", json_object_new_int(0)); /* None */
  json_object_object_add(save, "includeText", json_object_new_boolean(0));
  json_object_object_add(sync, "save", save);
  json_object *caps = json_object_new_object();
  json_object_object_add(caps, "textDocumentSync", sync);
  json_object *info = json_object_new_object();
  json_object_object_add(info, "name", json_object_new_string("timerlint"));
  json_object_object_add(info, "version",
                         json_object_new_string(TIMERLINT_VERSION));
  json_object *r = json_object_new_object();
  json_object_object_add(r, "capabilities", caps);
  json_object_object_add(r, "serverInfo", info);
  return r;
}

static void publish(Lsp *s, const char *uri, json_object *diags) {
  json_object *p = json_object_new_object();
  json_object_object_add(p, "uri", json_object_new_string(uri));
  json_object_object_add(p, "diagnostics", diags);
  json_object *m = json_object_new_object();
  json_object_object_add(m, "jsonrpc", json_object_new_string("2.0"));
  json_object_object_add(m, "method",
                         json_object_new_string("textDocument/publishDiagnostics"));
  json_object_object_add(m, "params", p);
  send(s, m);
}

/* params.textDocument.uri, or NULL. */
static const char *doc_uri(json_object *params) {
  json_object *td, *uri;
  if (!json_object_object_get_ex(params, "textDocument", &td) ||
      !json_object_object_get_ex(td, "uri", &uri) ||
      !json_object_is_type(uri, json_type_string))
    return NULL;
  return json_object_get_string(uri);
}

static void on_request(Lsp *s, const char *method, json_object *id) {
  if (!strcmp(method, "initialize")) {
    s->initialized = true;
    reply(s, id, capabilities());
  } else if (!s->initialized) {
    reply_error(s, id, LSP_SERVER_NOT_INITIALIZED, "initialize comes first");
  } else if (s->shut) {
    reply_error(s, id, LSP_INVALID_REQUEST, "the server is shut down");
  } else if (!strcmp(method, "shutdown")) {
    s->shut = true;
    reply(s, id, NULL);
  } else {
    reply_error(s, id, LSP_METHOD_NOT_FOUND, method);
  }
}

/* Unknown notifications (and $/ ones) are dropped, as the spec asks. */
static void on_notification(Lsp *s, const char *method, json_object *params) {
  if (!s->initialized || s->shut)
    return;
  const char *uri = doc_uri(params);
  if (!uri)
    return;
  if (!strcmp(method, "textDocument/didOpen") ||
      !strcmp(method, "textDocument/didSave"))
    publish(s, uri, lsp_diagnostics(s->o, uri));
  else if (!strcmp(method, "textDocument/didClose"))
    publish(s, uri, json_object_new_array());
}

/* One message body. true when it was `exit`. */
static bool dispatch(Lsp *s, const char *body, size_t len) {
  json_tokener *tok = json_tokener_new();
  json_object *m = json_tokener_parse_ex(tok, body, (int)len);
  bool whole = m && json_tokener_get_error(tok) == json_tokener_success;
  for (size_t i = whole ? json_tokener_get_parse_end(tok) : len; i < len; i++)
    whole = whole && strchr(" \t\r\n", body[i]); /* JSON text, nothing after */
  json_tokener_free(tok);
  if (!whole) {
    cli_warn("lsp: a message that is not JSON; answered with a parse error");
    json_object_put(m);
    reply_error(s, NULL, LSP_PARSE_ERROR, "not JSON");
    return false;
  }
  json_object *id = NULL, *method = NULL, *params = NULL;
  bool has_id = json_object_object_get_ex(m, "id", &id);
  json_object_object_get_ex(m, "params", &params);
  bool exit_now = false;
  if (!json_object_is_type(m, json_type_object) ||
      !json_object_object_get_ex(m, "method", &method) ||
      !json_object_is_type(method, json_type_string)) {
    /* A response to us (we send no requests) or not a message at all (a
     * batch: LSP has none). */
    if (has_id && !json_object_object_get_ex(m, "result", NULL) &&
        !json_object_object_get_ex(m, "error", NULL))
      reply_error(s, id, LSP_INVALID_REQUEST, "no method");
    else if (!has_id)
      cli_warn("lsp: a message that is neither a request nor a "
               "notification; ignored");
  } else if (has_id) {
    on_request(s, json_object_get_string(method), id);
  } else if (!strcmp(json_object_get_string(method), "exit")) {
    exit_now = true;
  } else {
    on_notification(s, json_object_get_string(method), params);
  }
  json_object_put(m);
  return exit_now;
}

/* Exit status (LSP: 0 when exit follows shutdown, else 1; the end of the
 * input counts as exit). */
int cmd_lsp(Options *o) {
  if (o->files.n || o->flags_given)
    return cli_error("lsp takes no files or flags: the editor names the "
                     "files (see timerlint help lsp)");
  /* A client that closes the pipe ends the session with an error on the
   * write, not with SIGPIPE. */
  signal(SIGPIPE, SIG_IGN);
  Lsp s = {o, stdout, false, false, false};
  for (;;) {
    char *body = NULL;
    size_t len = 0;
    LspRead r = lsp_read(stdin, &body, &len);
    if (r == LSP_EOF)
      break;
    bool done = r == LSP_MSG && dispatch(&s, body, len);
    xfree(body);
    if (done || s.gone)
      break;
  }
  return s.shut ? 0 : 1;
}
