# Empty dependencies file for tl_rules.
# This may be replaced when dependencies are built.
