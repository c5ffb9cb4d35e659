/* severity.c: a finding's level as the user set it (#14): each rule's
 * default (reports/severity.c), then `severity:` of .timerlint.yaml, then
 * `--severity RULE=LEVEL` on the command line, each in order, the last
 * that names the rule winning. RULE may be a glob, as in --checks; one
 * that names no rule is an error (a typo must not leave a level unset). */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "../engine/checks.h"
#include "cli.h"

int cli_sev_rule(const char *glob, const char *level, SevRule *out, char *why,
                 size_t wn) {
  int lv = report_severity_by_name(level);
  if (lv < 0) {
    snprintf(why, wn, "unknown level '%s' (error, warning or note)", level);
    return -1;
  }
  bool any = false;
  for (int c = 0; c < CHK__COUNT && !any; c++)
    any = fnmatch(glob, check_info((CheckId)c)->id, 0) == 0;
  if (!any) {
    snprintf(why, wn, "'%s' names no rule (timerlint rules lists them)", glob);
    return -1;
  }
  out->glob = glob;
  out->level = (Severity)lv;
  return 0;
}

int cli_sev_arg(Options *o, const char *arg) {
  const char *eq = strchr(arg, '=');
  if (!eq || eq == arg || !eq[1])
    return cli_error("--severity takes RULE=LEVEL (LEVEL: error, warning or "
                     "note), not '%s'", arg);
  /* The rule part outlives the parse: it is a slice of argv, copied. */
  char glob[128];
  snprintf(glob, sizeof glob, "%.*s", (int)(eq - arg), arg);
  char why[256];
  SevRule r;
  if (cli_sev_rule(glob, eq + 1, &r, why, sizeof why) < 0)
    return cli_error("--severity: %s", why);
  char *copy = xmalloc(strlen(glob) + 1);
  strcpy(copy, glob);
  array_push(&o->sev_globs, copy); /* freed with the options */
  r.glob = copy;
  array_push(&o->severity, r);
  return 0;
}

static void apply(const SevRules *l, const char *rule, Severity *s) {
  for (int i = 0; l && i < l->n; i++)
    if (fnmatch(l->v[i].glob, rule, 0) == 0)
      *s = l->v[i].level;
}

Severity cli_severity(const Options *o, const SevRules *config,
                      const char *rule) {
  Severity s = report_default_severity(rule);
  apply(config, rule, &s);
  apply(&o->severity, rule, &s);
  return s;
}

int cli_fail_on(const char *v, FailOnSpec *out, char *why, size_t wn) {
  *out = (FailOnSpec){0};
  char buf[64];
  snprintf(buf, sizeof buf, "%s", v);
  for (char *save = NULL, *t = strtok_r(buf, ",", &save); t;
       t = strtok_r(NULL, ",", &save)) {
    int lv = report_severity_by_name(t);
    FailOn f = !strcmp(t, "new") ? FAIL_ON_NEW : !strcmp(t, "any") ? FAIL_ON_ANY
               : !strcmp(t, "none") ? FAIL_ON_NONE : (FailOn)-1;
    if (lv >= 0 && !out->has_level) {
      out->level = (Severity)lv;
      out->has_level = true;
    } else if ((int)f >= 0 && !out->has_scope) {
      out->scope = f;
      out->has_scope = true;
    } else {
      break;
    }
  }
  bool ok = (out->has_scope || out->has_level) &&
            !(out->has_scope && out->scope == FAIL_ON_NONE && out->has_level);
  /* Every token must have been taken: count them. */
  int tokens = 1;
  for (const char *p = v; *p; p++)
    tokens += *p == ',';
  if (!ok || tokens != out->has_scope + out->has_level) {
    snprintf(why, wn, "takes new, any or none, a level (error, warning, "
             "note), or both (new,error), not '%s'", v);
    return -1;
  }
  return 0;
}

static const CliConfig *config_of(const Options *o, const char *file) {
  return file ? cli_config_for(o->configs, file) : cli_config_run(o->configs);
}

Severity cli_report_level(const ReportCtx *cx, const char *rule,
                          const char *file) {
  const Options *o = cx->data;
  const CliConfig *c = config_of(o, file);
  return cli_severity(o, c ? &c->severity : NULL, rule);
}

const char *cli_checks_for(const Options *o, const char *file) {
  const CliConfig *c = o->checks ? NULL : config_of(o, file);
  return o->checks ? o->checks : c ? c->checks : NULL;
}

void cli_gate_for(const Options *o, const char *file, FailOn *scope,
                  Severity *level) {
  *scope = o->fail_on;
  *level = o->fail_level;
  if (o->fail_level_given)
    return; /* --fail-on: the whole gate, for every file */
  const CliConfig *c = config_of(o, file);
  if (c && c->fail_on.has_level)
    *level = c->fail_on.level;
  if (c && c->fail_on.has_scope && !o->fail_on_given)
    *scope = c->fail_on.scope; /* --baseline keeps its scope, as before */
}
