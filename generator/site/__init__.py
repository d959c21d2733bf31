"""Stage 2: the validated stories indexed, and what the site is made of: pages, feeds, search."""
