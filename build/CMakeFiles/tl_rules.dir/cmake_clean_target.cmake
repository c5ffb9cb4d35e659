file(REMOVE_RECURSE
  "libtl_rules.a"
)
