"""Pure functions over cached arrays returning tidy DataFrames (no plotting, no widgets)."""
