"""Accessibility scans with axe-core (the copy bundled by axe-playwright-python), for the
browser walks of tests/e2e/walking.py and the pages they do not reach
(test_accessibility.py).

axe is injected with `page.evaluate`, which the page's Content-Security-Policy does not
govern (it goes through the DevTools protocol, not through a <script> of the page): the
portal's strict policy (no 'unsafe-inline', no 'unsafe-eval') stays as it is.

The scan runs the rules of WCAG 2.0, 2.1 and 2.2, levels A and AA (target-size, off by
default in axe, included), and axe's best practices;
it reports the violations of impact "moderate", "serious" and "critical" ("minor" ones
are not reported), each rule and element once for all the pages where it shows.

A page is scanned once per test session for each set of templates that rendered it
(`RenderedTemplates`): the walks open the same template with other rows, for other roles
and in other states, and a page made of the same templates is made of the same markup.
A page whose state is set up by a click (a menu open, a form sent back with its errors)
is scanned whenever asked (`AxeReport.scan(..., always=True)`)."""

import threading

from axe_playwright_python.base import AXE_SCRIPT
from django.test.signals import template_rendered

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
IMPACTS = ("moderate", "serious", "critical")
OPTIONS = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}

# Runs axe (injected beforehand) on the whole page; keeps what the report needs.
RUN = """async options => {
    const results = await window.axe.run(document, options);
    return results.violations.map(rule => ({
        id: rule.id,
        impact: rule.impact,
        help: rule.help,
        targets: rule.nodes.map(node => node.target.flat().join(' ')),
    }));
}"""


def axe_violations(page):
    """The violations of impact IMPACTS on the page open in `page`: dicts of the rule id,
    its impact, its help text and the CSS selectors of the elements at fault."""
    # A navigation drops axe with the document: inject it into each new one.
    if not page.evaluate("() => Boolean(window.axe)"):
        page.evaluate(AXE_SCRIPT)
    return [violation for violation in page.evaluate(RUN, OPTIONS) if violation["impact"] in IMPACTS]


class RenderedTemplates:
    """The names of the templates Django renders, in any thread (the live server's), while
    connected: the test environment sends `template_rendered` for each one."""

    def __init__(self):
        self.names, self.lock = set(), threading.Lock()
        template_rendered.connect(self.record, dispatch_uid="e2e-rendered-templates")

    def record(self, sender, template, **kwargs):
        with self.lock:
            self.names.add(template.name or "<string>")

    def key(self):
        """The templates rendered since the last call (this page's), as one key."""
        with self.lock:
            key, self.names = frozenset(self.names), set()
        return key


# The keys of the pages scanned in this test session.
SCANNED = set()
RENDERED = RenderedTemplates()


class AxeReport:
    """The violations found on several pages, grouped by rule and elements: the same
    fault in a shared template is reported once, with the pages it shows on."""

    def __init__(self):
        self.found = {}
        self.skipped = 0

    def scan(self, page, where, *, always=False):
        """Scans the page open in `page`, unless a page rendered by the same templates
        was scanned already (`always`: scan anyway); `where` names it in the report."""
        key = RENDERED.key()
        if not always and key and key in SCANNED:
            self.skipped += 1
            return
        SCANNED.add(key)
        for violation in axe_violations(page):
            targets = violation["targets"]
            key = (violation["id"], violation["impact"], violation["help"], tuple(targets[:2]))
            pages, more = self.found.setdefault(key, ([], [0]))
            pages.append(where)
            more[0] = max(more[0], len(targets) - 2)

    def problems(self):
        lines = []
        for (rule, impact, help_text, targets), (pages, more) in self.found.items():
            elements = ", ".join(targets) + (f" (+{more[0]} other elements)" if more[0] else "")
            others = f" (+{len(pages) - 1} other pages)" if len(pages) > 1 else ""
            lines.append(f"{pages[0]}{others}: axe {rule} ({impact}) {help_text}: {elements}")
        return lines
