"""axe-core in the browser tests: WCAG 2.2 AA (wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa) and the best-practice
rules, every impact. ``violations(page)`` checks the page as it is now (after a refused form, an opened menu);
``tests/e2e/conftest.py`` checks every other page a test opened when the test ends, once per distinct page (address,
signed-in user, phone or desktop) in a run, and asserts at the end of the run that no page a browser test visited
went unchecked (issue 21)."""

from django.conf import settings

AXE_JS = settings.NODE_MODULES / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
CHECKED: set[str] = set()  # addresses checked during the running test (the conftest fixture empties it)
# Across the run (per xdist worker): the distinct pages checked (address, user, phone or desktop), and every page a
# test opened (None, or why it is no page to check). tests/e2e/conftest.py checks a page once and asserts at the end.
SESSION_CHECKED: set[tuple[str, str, str]] = set()
SEEN: dict[tuple[str, str, str], str | None] = {}


def violations(page) -> list[str]:
    """Run axe-core on the current page; describe every violation of the rule sets above."""
    # Loaded from our own origin like any script of the site: the Content-Security-Policy refuses inline code.
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        RULES,
    )
    CHECKED.add(page.url.split("#")[0])
    SESSION_CHECKED.add(page_key(page.context, page.url.split("#")[0], _width(page)))
    return [
        f"{page.url} [{v['impact']}] {v['id']}: {v['help']} @ {[' '.join(n['target']) for n in v['nodes'][:5]]}"
        for v in results["violations"]
    ]


def _who(context) -> str:
    """The username the browser context is signed in as (its session cookie), or "" for the public."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    key = next((c["value"] for c in context.cookies() if c["name"] == "sessionid"), None)
    user_id = SessionStore(session_key=key).get("_auth_user_id") if key else None
    found = get_user_model().objects.filter(pk=user_id).values_list("username", flat=True) if user_id else []
    return next(iter(found), "")


def page_key(context, url: str, width: int) -> tuple[str, str, str]:
    """A distinct page for axe-core: its address (path and query), the signed-in user, phone or desktop."""
    address = "/" + url.split("://", 1)[-1].split("/", 1)[-1] if "://" in url else url
    return address, _who(context), "phone" if width < 600 else "desktop"


def _width(page) -> int:
    return (page.viewport_size or {"width": 1366})["width"]
