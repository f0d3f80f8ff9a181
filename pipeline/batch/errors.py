"""The error a run raises when it cannot start or go on (as opposed to one page failing)."""


class RunError(Exception):
    """The run itself cannot proceed (as opposed to one page failing)."""
