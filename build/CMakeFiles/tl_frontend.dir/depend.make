# Empty dependencies file for tl_frontend.
# This may be replaced when dependencies are built.
