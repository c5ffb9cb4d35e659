# Empty dependencies file for tl_util.
# This may be replaced when dependencies are built.
