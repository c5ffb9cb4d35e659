file(REMOVE_RECURSE
  "libtl_engine.a"
)
