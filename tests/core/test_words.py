"""No page a persona can reach shows "种子" or a stored English status value (issue 21, words).

Each persona of the permission matrix starts at its home page (the public at the landing page and the front
door) with the whole demo loaded, and follows every GET link it is shown, breadth first; the visible text of
each page (not attributes, scripts or the audit log's raw stored data) is read for the forbidden words.
"""

import pytest

from tests.conftest import PERSONAS
from tests.words import problems_in, read, status_words, usernames, walk

PAGES_PER_PERSONA = 120


def test_it_reads_a_status_value_and_a_seed_name_as_problems():
    words = {"violation", "dispatched"}
    text, links = read(
        '<p title="来源">当前筛选：violation 2026</p><a href="/x/">种子000</a><script>dispatched</script>'
    )
    assert problems_in(text, words) == ["种子", "violation"] and links == ["/x/"]
    assert problems_in(read('<option value="dispatched">已派遣</option>')[0], words) == []
    assert problems_in(read("<pre data-raw-record>dispatched</pre><p>ok</p>")[0], words) == []


def test_it_knows_the_status_values_of_the_models():
    assert {"dispatched", "violation", "pending"} <= status_words()


def _walk_as(client, world, persona, words) -> tuple[int, list[str]]:
    """Pages visited, and the problems found: internal words, and links shown that answer 403 (nothing is
    offered that the persona cannot use)."""
    client.logout()
    if persona == "anonymous":
        starts = ["/", "/public/"]
    else:
        client.force_login(world.people[persona])
        starts = ["/home/"]
    found, visited, refused = [], 0, []
    for url, text in walk(client, starts, limit=PAGES_PER_PERSONA, per_path=2, refused=refused):
        visited += 1
        found += [f"{persona} {url}: {bad}" for bad in [problems_in(text, words)] if bad]
    return visited, found + [f"{persona} is offered a link that answers 403: {url}" for url in refused]


@pytest.fixture
def demo_world(shared_demo_world, db):
    """The whole demo loads once per module (per xdist worker), not once per persona's walk; the walks only read,
    so the classifier's indexes stay valid from one walk to the next (dropped at the module's end)."""
    return shared_demo_world


@pytest.mark.parametrize("persona", ["anonymous", *PERSONAS])
def test_it_shows_no_seed_name_english_status_word_or_refused_link_on_any_page_a_persona_reaches(
    persona, demo_world, client
):
    """One item per persona, so that xdist spreads the walks; they share one load of the whole demo."""
    words = status_words() - usernames()
    visited, problems = _walk_as(client, demo_world, persona, words)
    assert visited >= (3 if persona == "anonymous" else 10), f"{persona} reached only {visited} pages"
    assert not problems, f"internal words on {len(problems)} pages:\n" + "\n".join(problems)
