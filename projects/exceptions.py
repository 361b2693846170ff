"""Domain errors of the projects app, raised by services and shown to users by views."""


class IllegalTransition(Exception):
    """A state change that the transition table does not allow."""

    def __init__(self, entity: str, source: str, target: str):
        self.entity, self.source, self.target = entity, source, target
        super().__init__(f"{entity}: {source} → {target} is not allowed")


class DossierLocked(Exception):
    """The dossier is deposited (or further): the consortium can no longer change it."""
