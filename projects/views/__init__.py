"""Views of the projects app, one module per subject; each module ends with its
`urlpatterns`, gathered by projects/urls.py."""
