/* test_key.c: link keys survive the store (text -> key -> text), compare
 * by identity, and read in messages without their place. */
#include <string.h>

#include "../analyzer/ir/ir.h"
#include "check.h"

static void roundtrip(Arena *a, const IrKey *k) {
  const IrKey *back = ir_key_parse(a, k->text, k->kind == KEY_RECORD);
  CHECK(back && back->kind == k->kind, "%s: kind", k->text);
  CHECK(back && !strcmp(back->text, k->text), "%s: text", k->text);
  CHECK(back && ir_record_eq(&back->rec, &k->rec), "%s: record", k->text);
  CHECK(back && !strcmp(back->name ? back->name : "", k->name ? k->name : ""),
        "%s: name", k->text);
  CHECK(back && !strcmp(back->file ? back->file : "", k->file ? k->file : ""),
        "%s: file", k->text);
  CHECK(back && ir_key_cmp(back, k) == 0, "%s: cmp", k->text);
}

int main(void) {
  Arena *a = arena_new();
  IrRecord conn = {"struct conn", "src/memcached.h", 88};
  IrRecord conn2 = {"struct conn", "t/testapp.c", 12};
  IrRecord placeless = {"struct opaque", NULL, 0};
  IrRecord cxx = {"net::Session", "net/session.hpp", 7};
  const IrKey *keys[] = {
      ir_key_field(a, conn, "timer"),
      ir_key_field(a, placeless, "t"),
      ir_key_field(a, cxx, "ticker_"),
      ir_key_field(a, (IrRecord){"struct s", "dir.v2/a.b.h", 3}, "tm"),
      ir_key_global(a, "g_timer", NULL),
      ir_key_global(a, "s_timer", "src/a.c"),
      ir_key_registration(a, "beacon_timer", &conn),
      ir_key_registration(a, "on_timeout,id 3", NULL),
      ir_key_record(a, conn),
      ir_key_record(a, placeless),
      ir_key_all(a, "uv_close"),
  };
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
    roundtrip(a, keys[i]);

  CHECK(!strcmp(keys[0]->text, "struct conn@src/memcached.h:88.timer"), "%s",
        keys[0]->text);
  CHECK(ir_key_cmp(keys[0], ir_key_field(a, conn2, "timer")) != 0,
        "two programs' own struct conn are different storage");
  CHECK(ir_key_is_of(keys[0], keys[8]), "a field of the freed record");
  CHECK(!ir_key_is_of(ir_key_field(a, conn2, "timer"), keys[8]),
        "not a field of another program's record");
  CHECK(ir_key_siblings(keys[0], ir_key_field(a, conn, "watchdog")),
        "siblings");
  CHECK(!ir_key_siblings(keys[0], keys[0]), "a field is not its own sibling");
  CHECK(ir_key_wildcard_of(ir_key_registration(a, "beacon_timer", NULL),
                           keys[6]), "a wildcard cancel");
  CHECK(!ir_key_wildcard_of(keys[7], keys[6]), "other key arguments");
  CHECK(!strcmp(ir_key_display(a, keys[0]), "'struct conn.timer'"), "%s",
        ir_key_display(a, keys[0]));
  CHECK(!strcmp(ir_key_display(a, keys[5]), "global 's_timer'"), "%s",
        ir_key_display(a, keys[5]));
  CHECK(!strcmp(ir_key_display(a, keys[6]),
                "the registration of beacon_timer on struct conn"),
        "%s", ir_key_display(a, keys[6]));
  arena_free(a);
  return check_summary();
}
