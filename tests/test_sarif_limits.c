/* test_sarif_limits.c: the SARIF writer stays within GitHub code scanning's
 * limits, 25,000 results a run and 10 MB gzipped, by cutting results from
 * the end and saying how many it cut. Findings are made up here: no scan
 * produces that many. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../reports/report.h"

#include "check.h"

/* n findings, each with a message of msg_len pseudo-random characters (which
 * gzip cannot shrink much). */
static FindingList make(int n, int msg_len) {
  FindingList l = {0};
  unsigned seed = 12345;
  static const char alpha[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .";
  for (int i = 0; i < n; i++) {
    char *msg = malloc((size_t)msg_len + 1), *fp = malloc(17);
    for (int k = 0; k < msg_len; k++) {
      seed = seed * 1103515245u + 12345u;
      msg[k] = alpha[(seed >> 16) % 64];
    }
    msg[msg_len] = 0;
    snprintf(fp, 17, "%016x", i);
    Finding f = {.rule = "missing-stop", .loc = {"src/t.c", i + 1, 5},
                 .function = "f", .message = msg, .fingerprint = fp};
    array_push(&l, f);
  }
  return l;
}

static void drop(FindingList *l) {
  for (int i = 0; i < l->n; i++) {
    free((char *)l->v[i].message);
    free((char *)l->v[i].fingerprint);
  }
  array_free(l);
}

/* Writes the SARIF of `l` into memory; returns the cut count. */
static int write_sarif(const FindingList *l, char **text, size_t *len) {
  FILE *out = open_memstream(text, len);
  ReportCtx cx = {.root = "/nonexistent", .tool_version = "test"};
  int cut = report_sarif(out, l, &cx);
  fclose(out);
  return cut;
}

static int results(const char *text) {
  json_object *doc = json_tokener_parse(text);
  if (!doc)
    return -1;
  json_object *runs, *res;
  int n = -1;
  if (json_object_object_get_ex(doc, "runs", &runs) &&
      json_object_object_get_ex(json_object_array_get_idx(runs, 0), "results", &res))
    n = (int)json_object_array_length(res);
  json_object_put(doc);
  return n;
}

static size_t gzipped(const char *s, size_t n) {
  z_stream z = {0};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  unsigned char chunk[1 << 16];
  z.next_in = (unsigned char *)s;
  z.avail_in = (uInt)n;
  do {
    z.next_out = chunk;
    z.avail_out = sizeof chunk;
  } while (deflate(&z, Z_FINISH) == Z_OK);
  size_t total = z.total_out;
  deflateEnd(&z);
  return total;
}

static void test_result_count(void) {
  FindingList l = make(SARIF_MAX_RESULTS + 7, 10);
  char *text;
  size_t len;
  int cut = write_sarif(&l, &text, &len);
  CHECK(cut == 7, "cut %d results, want 7", cut);
  CHECK(results(text) == SARIF_MAX_RESULTS, "%d results written", results(text));
  free(text);
  drop(&l);
}

static void test_gzipped_size(void) {
  FindingList l = make(4000, 4000); /* about 16 MB, 12 MB gzipped */
  char *text;
  size_t len;
  int cut = write_sarif(&l, &text, &len);
  size_t gz = gzipped(text, len);
  int n = results(text);
  CHECK(cut > 0 && n + cut == l.n, "cut %d, wrote %d of %d", cut, n, l.n);
  CHECK(gz <= SARIF_MAX_GZIP_BYTES, "%zu bytes gzipped", gz);
  CHECK(gz > SARIF_MAX_GZIP_BYTES * 8 / 10, "cut too much: %zu bytes gzipped", gz);
  printf("16 MB of findings: %d of %d results kept, %zu bytes gzipped\n", n, l.n, gz);
  free(text);
  drop(&l);
}

static void test_small_is_whole(void) {
  FindingList l = make(50, 200);
  char *text;
  size_t len;
  int cut = write_sarif(&l, &text, &len);
  CHECK(cut == 0 && results(text) == 50, "cut %d of a small document", cut);
  free(text);
  drop(&l);
}

int main(void) {
  test_small_is_whole();
  test_result_count();
  test_gzipped_size();
  return check_summary();
}
