"""What every state machine of the portal shares (ARCHITECTURE.md §3 rule 1): the error
raised on a move that the transition table does not allow."""


class IllegalTransition(Exception):
    """A state change that the transition table does not allow."""

    def __init__(self, entity: str, source: str, target: str):
        self.entity, self.source, self.target = entity, source, target
        super().__init__(f"{entity}: {source} → {target} is not allowed")
