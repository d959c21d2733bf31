"""news-digest: curated article files in, a static news site and its feeds out.

The package is layered so that data flows one way (see STYLE.md):
loader -> validate -> index -> pages / feeds -> plugin (the only module that knows MkDocs).
"""
