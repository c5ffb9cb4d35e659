# Empty dependencies file for tl_engine.
# This may be replaced when dependencies are built.
