from zhuqi.core import scopes


def permits_visible_to(user):
    return scopes.cases_visible_to(user).filter(kind="permit")
