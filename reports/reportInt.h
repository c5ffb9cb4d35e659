/* reportInt.h: what the report writers share and nobody else sees. */
#ifndef TL_REPORT_INT_H
#define TL_REPORT_INT_H

#include <json-c/json.h>

#include "report.h"

/* A JSON string, "" for NULL. */
json_object *report_jstr(const char *s);
/* The document as written: pretty, '/' left alone. Owned by `doc`. */
const char *report_jtext(json_object *doc);
/* Writes the document and a newline, then releases it. */
void report_jput(FILE *out, json_object *doc);

#endif
