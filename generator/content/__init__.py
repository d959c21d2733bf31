"""Stage 1: the content folder's files, read and validated into `Article`s."""
