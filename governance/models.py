"""Models of the governance app: they come with its own issue (see README, "The apps")."""
