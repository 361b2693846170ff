"""Models of the projects app: they come with its own issue (see README, "The apps")."""
