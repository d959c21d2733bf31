"""`digest import`: a seed-layout site into a content folder (uses the content stage)."""
