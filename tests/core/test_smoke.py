from jianfu.audit.verify import audit_verify


def test_it_loads_the_demo_world_idempotently(world):
    from jianfu.orgs.demo import load_demo

    again = load_demo()
    assert all(r.created == 0 and r.updated == 0 for r in again.values())
    assert audit_verify().ok


def test_it_lands_each_persona_on_their_home_page(world, client, login):
    for person in world.people.values():
        login(person)
        response = client.get("/home/")
        assert response.status_code == 200
        assert person.full_name in response.content.decode()
        client.logout()
