file(REMOVE_RECURSE
  "libtl_util.a"
)
