file(REMOVE_RECURSE
  "libtl_reports.a"
)
