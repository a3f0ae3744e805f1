"""No page a persona can reach shows "种子" or a stored English status value (issue 21, words).

Each persona of the permission matrix starts at its home page (the public at the landing page and the front
door) with the whole demo loaded, and follows every GET link it is shown, breadth first; the visible text of
each page (not attributes, scripts or the audit log's raw stored data) is read for the forbidden words.
"""

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


def test_it_shows_no_seed_name_english_status_word_or_refused_link_on_any_page_a_persona_reaches(
    demo_world, client
):
    """One test for all personas: the whole demo takes most of a minute to load."""
    words = status_words() - usernames()
    found = []
    for persona in ["anonymous", *PERSONAS]:
        visited, problems = _walk_as(client, demo_world, persona, words)
        assert visited >= (3 if persona == "anonymous" else 10), f"{persona} reached only {visited} pages"
        found += problems
    assert not found, f"internal words on {len(found)} pages:\n" + "\n".join(found)
