"""Forms of the projects app, one module per subject."""
