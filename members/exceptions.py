"""Domain errors of the members app, raised by services and shown to users by views."""


class IllegalTransition(Exception):
    """A state change that the transition table does not allow."""

    def __init__(self, entity: str, source: str, target: str):
        self.entity, self.source, self.target = entity, source, target
        super().__init__(f"{entity}: {source} → {target} is not allowed")
