"""Accessibility scans with axe-core (the copy bundled by axe-playwright-python), for the
browser walks of tests/e2e/walking.py and the pages they do not reach
(test_accessibility.py).

axe is injected with `page.evaluate`, which the page's Content-Security-Policy does not
govern (it goes through the DevTools protocol, not through a <script> of the page): the
portal's strict policy (no 'unsafe-inline', no 'unsafe-eval') stays as it is.

The scan runs the rules of WCAG 2.0, 2.1 and 2.2, levels A and AA (target-size, off by
default in axe, included), and axe's best practices;
it reports the violations of impact "moderate", "serious" and "critical" ("minor" ones
are not reported), each rule and element once for all the pages where it shows."""

from axe_playwright_python.base import AXE_SCRIPT

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


class AxeReport:
    """The violations found on several pages, grouped by rule and elements: the same
    fault in a shared template is reported once, with the pages it shows on."""

    def __init__(self):
        self.found = {}

    def scan(self, page, where):
        """Scans the page open in `page`; `where` names it in the report."""
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
