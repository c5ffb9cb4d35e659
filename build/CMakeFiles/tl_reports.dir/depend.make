# Empty dependencies file for tl_reports.
# This may be replaced when dependencies are built.
