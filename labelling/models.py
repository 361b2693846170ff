"""Models of the labelling app: they come with its own issue (see README, "The apps")."""
