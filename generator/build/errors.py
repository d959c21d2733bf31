"""The one way a build stops on purpose: a message that says why and what to fix."""


class BuildError(Exception):
    """A build that cannot go on (content errors, a theme without the placeholders, a failed
    search index). The engine's adapter reports it as the engine reports its own errors."""
