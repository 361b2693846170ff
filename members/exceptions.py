"""Domain errors of the members app, raised by services and shown to users by views."""

from pole.workflow import IllegalTransition

__all__ = ["IllegalTransition"]
