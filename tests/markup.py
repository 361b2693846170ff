"""A page's HTML read as a tree, for the checks that need no browser (the test client's
answer): elements found by tag, CSS class and attributes, and their text."""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    @property
    def classes(self):
        return (self.attrs.get("class") or "").split()

    def text(self):
        """The text inside, whitespace collapsed."""
        parts = [child if isinstance(child, str) else child.text() for child in self.children]
        return " ".join(" ".join(parts).split())

    def find_all(self, tag=None, *, cls=None, **attrs):
        """The elements inside (depth first) of `tag`, with CSS class `cls` and the
        attribute values `attrs` (`type_="email"` for type, `aria_current` for aria-current)."""
        found = []
        for child in self.children:
            if isinstance(child, str):
                continue
            if (
                (tag is None or child.tag == tag)
                and (cls is None or cls in child.classes)
                and all(child.attrs.get(name.rstrip("_").replace("_", "-")) == value for name, value in attrs.items())
            ):
                found.append(child)
            found += child.find_all(tag, cls=cls, **attrs)
        return found

    def find(self, tag=None, **kwargs):
        found = self.find_all(tag, **kwargs)
        assert found, f"no <{tag}> {kwargs} in <{self.tag}>"
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("#document", {})

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        if self.current.tag not in ("script", "style", "template"):
            self.current.children.append(data)


def parse(response_or_markup):
    """The document of a test client's response (or of an HTML string)."""
    markup = getattr(response_or_markup, "content", response_or_markup)
    builder = _TreeBuilder()
    builder.feed(markup.decode() if isinstance(markup, bytes) else markup)
    builder.close()
    return builder.root
