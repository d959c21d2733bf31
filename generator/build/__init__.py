"""Stage 3: one build, phase by phase, into a site folder; knows no engine."""
