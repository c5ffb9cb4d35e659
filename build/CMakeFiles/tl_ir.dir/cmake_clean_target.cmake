file(REMOVE_RECURSE
  "libtl_ir.a"
)
