"""Domain errors of the projects app, raised by services and shown to users by views."""

from pole.workflow import IllegalTransition

__all__ = ["DossierLocked", "IllegalTransition"]


class DossierLocked(Exception):
    """The dossier is deposited (or further): the consortium can no longer change it."""
