"""axe-core in the browser tests: WCAG 2.2 AA (wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa) and the best-practice
rules, every impact. ``violations(page)`` checks the page as it is now (after a refused form, an opened menu);
``tests/e2e/conftest.py`` checks every other page a test opened when the test ends, so no page a browser test
visits goes unchecked (issue 21)."""

from django.conf import settings

AXE_JS = settings.NODE_MODULES / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
CHECKED: set[str] = set()  # addresses checked during the running test (the conftest fixture empties it)


def violations(page) -> list[str]:
    """Run axe-core on the current page; describe every violation of the rule sets above."""
    # Loaded from our own origin like any script of the site: the Content-Security-Policy refuses inline code.
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        RULES,
    )
    CHECKED.add(page.url.split("#")[0])
    return [
        f"{page.url} [{v['impact']}] {v['id']}: {v['help']} @ {[' '.join(n['target']) for n in v['nodes'][:5]]}"
        for v in results["violations"]
    ]
