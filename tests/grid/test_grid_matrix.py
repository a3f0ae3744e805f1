"""The grid app's own matrix cases for every persona, on their own (the merged matrix runs them too), so a
change here can be checked without waiting for the other apps' routes."""

import pytest

from tests.matrix import grid as cases
from tests.matrix.base import ALL, ANON, _cases
from tests.test_permission_matrix import check


@pytest.mark.parametrize("persona", ALL)
def test_it_gives_each_persona_the_expected_answer_on_every_grid_route(persona, world, client):
    if persona != ANON:
        client.force_login(world.people[persona])
    objects = {label: make(world) for label, make in cases.OBJECTS.items()}
    mismatches = []
    for name, entry in cases.ROUTES.items():
        for case in _cases(entry):
            for target in case.targets:
                problem = check(client, persona, name, case, target, objects.get(target))
                if problem:
                    mismatches.append(problem)
    assert not mismatches, f"{len(mismatches)} mismatches for {persona}:\n" + "\n".join(mismatches)
