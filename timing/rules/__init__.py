"""The sport's timing rules as pure Python.

Nothing in this package imports Django: the rules are the part of Oval that must be exactly right,
so they are kept where they can be read in one sitting and tested exhaustively without a database.
"""

class RuleError(ValueError):
    """An input the rules refuse, with a message written for the person who typed it."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class RuleConflict(RuleError):
    """Well-formed input that contradicts what is already stored (an HTTP 409, not a 400)."""
