# Empty dependencies file for tl_ir.
# This may be replaced when dependencies are built.
