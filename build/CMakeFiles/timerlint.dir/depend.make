# Empty dependencies file for timerlint.
# This may be replaced when dependencies are built.
