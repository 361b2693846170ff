"""Form styling: the Bootstrap 5 classes on every widget of our forms and filter forms, so
that templates (templates/django/forms/field.html, through `{{ field.as_field_group }}`) render fields as
they are.

One way for every form: inherit `StyledFormMixin` (forms) or `StyledFilterSetMixin`
(django-filter FilterSets). Widgets are styled when a field is first bound for rendering, so
fields added or replaced in `__init__` are styled too, and styling twice adds nothing."""

from django import forms

# Widgets whose template styles each option itself (templates/django/forms/…), or that show nothing.
UNSTYLED_WIDGETS = (forms.CheckboxSelectMultiple, forms.RadioSelect, forms.HiddenInput)


def widget_class(widget: forms.Widget) -> str | None:
    """The Bootstrap class of a widget, None for one that is not styled."""
    if isinstance(widget, UNSTYLED_WIDGETS):
        return None
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


def add_class(widget: forms.Widget, css: str) -> None:
    """Add `css` to the widget's classes, once."""
    classes = widget.attrs.get("class", "").split()
    if css not in classes:
        widget.attrs["class"] = " ".join([*classes, css])


def style_widget(widget: forms.Widget) -> None:
    css = widget_class(widget)
    if css:
        add_class(widget, css)


def style_widgets(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget of `form` (idempotent)."""
    for field in form.fields.values():
        style_widget(field.widget)


def describe_errors(form: forms.BaseForm) -> None:
    """Once `form` is validated: `is-invalid` on each invalid field and `aria-describedby`
    pointing at its errors (`<auto_id>_errors`) and help (`<auto_id>_helptext`)."""
    for name in form.errors:
        if name not in form.fields:
            continue
        bound = form[name]
        widget = form.fields[name].widget
        described = [f"{bound.auto_id}_errors"]
        if form.fields[name].help_text:
            described.append(f"{bound.auto_id}_helptext")
        widget.attrs["aria-describedby"] = " ".join(described)
        if not isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            add_class(widget, "is-invalid")


class StyledFormMixin:
    """Bootstrap classes on every widget of the form. With `describe_errors = True`, invalid
    fields also get `is-invalid` and `aria-describedby` (for templates that give the errors
    the id `<auto_id>_errors`)."""

    describe_errors = False

    def __getitem__(self, name):
        if name in self.fields:
            style_widget(self.fields[name].widget)
        return super().__getitem__(name)

    def full_clean(self):
        super().full_clean()
        if self.describe_errors:
            describe_errors(self)


class StyledFilterSetMixin:
    """Bootstrap classes on the widgets of a FilterSet's form."""

    @property
    def form(self):
        form = super().form
        style_widgets(form)
        return form
