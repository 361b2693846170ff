"""State changes of the projects app, one module per subject (the app outgrew one file)."""
