file(REMOVE_RECURSE
  "libtl_frontend.a"
)
