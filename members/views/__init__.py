"""Views of the members app, one module per audience and subject; each module ends with
its `urlpatterns`, gathered by members/urls.py."""
