"""Who sees what: a region role sees its subtree and the regions above it (a township sees the county's
campaign it takes part in); a department role sees through its department's region."""

from django.db.models import Q

from jianfu.orgs.models import PREFIX_LENGTH, subtree_q


def anchor_codes(user, capability: str) -> list[str]:
    """Region codes of the user's assignments that carry the capability (department roles: the department's
    region)."""
    from jianfu.orgs.roles import capabilities_of

    codes = []
    for assignment in user._assignments():
        if capability not in capabilities_of(assignment.role):
            continue
        region = assignment.department.region if assignment.department_id else assignment.region
        codes.append(region.code)
    return codes


def ancestors_of(codes) -> set[str]:
    found = set()
    for code in codes:
        for length in PREFIX_LENGTH.values():
            found.add(code[:length].ljust(12, "0"))
    return found


def up_and_down_q(user, capability: str, field: str) -> Q:
    """Regions at or above the user's anchor regions, or inside the subtree of a region role."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    codes = anchor_codes(user, capability)
    prefixes = [
        a.region.prefix for a in user._assignments() if not a.department_id and a.region.code in codes
    ]
    return Q(**{f"{field}__in": ancestors_of(codes)}) | subtree_q(prefixes, field)


def subtree_only_q(user, field: str) -> Q:
    return subtree_q(user.scope_prefixes(), field) if user.is_authenticated else Q(pk__in=[])
