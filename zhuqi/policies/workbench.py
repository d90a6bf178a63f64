"""The firm's 工作台 card: policies it has come to qualify for, the nearly-met, and 免申即享 money waiting for its
confirmation."""

from .selectors import firm_matches, grants_waiting


def firm_card(user) -> dict | None:
    if not user.enterprise_id:
        return None
    groups = firm_matches(user=user, enterprise_id=user.enterprise_id)
    return {"policy_new": len(groups["qualifies"]), "policy_nearly": len(groups["nearly"]),
            "policy_grants": list(grants_waiting(user=user)[:3])}  # fmt: skip
