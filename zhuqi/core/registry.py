"""What each app brings to the platform, registered from its AppConfig.ready().

The shared layers (core, org, enterprises, the case engine) iterate these lists and never import a module above
them: a new module is its own folder and one line in INSTALLED_APPS. Each register function is called once per
thing at start-up; registering a name twice is a mistake in the code and fails loudly. The lists are read at
request time, never copied at import time, so a registration made in ready() is always seen.

The case engine keeps its own registry of case kinds (cases.workflow.case_kind_register): core knows nothing of
cases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any


class RegistryError(Exception):
    pass


def _put(table: dict, key, value, what: str) -> None:
    if key in table and table[key] != value:
        raise RegistryError(f"{what} {key!r} is registered twice")
    table[key] = value


def _resolve(target):
    """A dotted path ("zhuqi.x.api.router") is imported when first needed, so ready() stays cheap."""
    if isinstance(target, str):
        module, _, name = target.rpartition(".")
        return getattr(import_module(module), name)
    return target


# Scopes: per question, the queryset of what a user may see and the predicate that must agree with it.
@dataclass(frozen=True)
class Scope:
    name: str
    visible_to: Callable  # user -> QuerySet
    may_see: Callable | None = None  # (user, obj) -> bool; None: membership of visible_to


_scopes: dict[str, Scope] = {}


def scope_register(name: str, *, visible_to: Callable, may_see: Callable | None = None) -> None:
    _put(_scopes, name, Scope(name, visible_to, may_see), "scope")


def scope(name: str) -> Scope:
    return _scopes[name]


def scopes() -> list[Scope]:
    return list(_scopes.values())


def may_see(user, name: str, obj) -> bool:
    entry = _scopes[name]
    if entry.may_see is not None:
        return entry.may_see(user, obj)
    return entry.visible_to(user).filter(pk=obj.pk).exists()


# Timeline kinds of the enterprise file (一企一档). An entry about something with a scope of its own (a case, an
# inspection, an alarm) names it under details[key], and is shown only to those whom `visible_to` lets see it.
@dataclass(frozen=True)
class TimelineKind:
    value: str
    label: Any
    key: str | None = None
    visible_to: Callable | None = None

    def __str__(self):
        return self.value


_timeline_kinds: dict[str, TimelineKind] = {}


def timeline_kind_register(value: str, label, *, key: str | None = None, visible_to: Callable | None = None) -> str:
    _put(_timeline_kinds, value, TimelineKind(value, label, key, visible_to), "timeline kind")
    return value


def timeline_kinds() -> dict[str, TimelineKind]:
    return dict(_timeline_kinds)


# Records users never delete for good (the recycle bin): the kind in the URL, the model (with `everything`, the
# manager that still sees deleted rows), what its name is made of, and what moves with a deletion.
@dataclass(frozen=True)
class Deletable:
    kind: str
    model: Any
    label: Any
    shown_with: tuple[str, ...] = ()
    deleted: Callable | None = None  # obj -> None, in the deletion's transaction (what moves with it)
    restored: Callable | None = None


_deletables: dict[str, Deletable] = {}
_guards: dict[str, list[Callable]] = {}


def deletable_register(kind: str, model, label, *, shown_with=(), deleted=None, restored=None) -> None:
    _put(_deletables, kind, Deletable(kind, model, label, tuple(shown_with), deleted, restored), "deletable")


def deletion_guard_register(kind: str, guard: Callable) -> None:
    """Another module's reason to keep a record (an enterprise with open cases): obj -> message, or None."""
    if guard not in _guards.setdefault(kind, []):
        _guards[kind].append(guard)


def deletables() -> dict[str, Deletable]:
    return dict(_deletables)


def deletion_guards(kind: str) -> list[Callable]:
    return list(_guards.get(kind, ()))


# Holders of personal data: whose phone number may be unmasked (with the enterprise it belongs to, for the scope),
# and how a module anonymises what it keeps past the keeping period.
@dataclass(frozen=True)
class PersonalData:
    kind: str
    model: Any = None  # a model with `phone` and `enterprise`, unmaskable on request; None: purge only
    purge: Callable | None = None  # cutoff -> int (how many anonymised), inside the purge's transaction


_personal: dict[str, PersonalData] = {}


def personal_data_register(kind: str, *, model=None, purge: Callable | None = None) -> None:
    _put(_personal, kind, PersonalData(kind, model, purge), "personal data holder")


def personal_data() -> dict[str, PersonalData]:
    return dict(_personal)


# Periodic tasks: each app's jobs (in its tasks.py) and how often they run; core.schedules turns them into the
# task queue's schedules after every migrate, and the system administrator may retime them in the admin.
@dataclass(frozen=True)
class Periodic:
    func: Callable
    minutes: int

    @property
    def path(self) -> str:
        return f"{self.func.__module__}.{self.func.__qualname__}"

    @property
    def name(self) -> str:
        return self.path.removeprefix("zhuqi.")


_tasks: dict[str, Periodic] = {}


def periodic_task_register(func: Callable, *, minutes: int) -> None:
    job = Periodic(func, minutes)
    _put(_tasks, job.name, job, "periodic task")


def periodic_tasks() -> list[Periodic]:
    return list(_tasks.values())


# 工作台 cards: a template and its context for this user (None: the card is not for them), in order.
@dataclass(frozen=True)
class WorkbenchCard:
    name: str
    template: str
    context: Callable  # user -> dict | None
    order: int = 100
    roles: frozenset[str] | None = None  # None: every role that has a workbench


_cards: dict[str, WorkbenchCard] = {}


def workbench_card_register(name: str, *, template: str, context: Callable, order: int = 100, roles=None) -> None:
    _put(_cards, name, WorkbenchCard(name, template, context, order, frozenset(roles) if roles else None), "card")


def workbench_cards(user) -> list[tuple[WorkbenchCard, dict]]:
    """The cards this user sees, each with its context."""
    shown = []
    for card in sorted(_cards.values(), key=lambda c: (c.order, c.name)):
        if card.roles is not None and user.role not in card.roles:
            continue
        context = card.context(user)
        if context is not None:
            shown.append((card, context))
    return shown


# Navigation: entries grouped by area, each shown to the roles it names (or to whom `visible` admits). The left
# navigation shows each area this user has entries in under its label; the "work" area (the 工作台 and the back
# office's single pages) comes first, without a label.
@dataclass(frozen=True)
class NavArea:
    name: str
    label: Any
    order: int = 100


_areas: dict[str, NavArea] = {}


def nav_area_register(name: str, label, *, order: int = 100) -> None:
    _put(_areas, name, NavArea(name, label, order), "navigation area")


@dataclass(frozen=True)
class NavEntry:
    name: str
    label: Any
    url_name: str
    order: int = 100
    area: str = "work"
    roles: frozenset[str] | None = None
    visible: Callable | None = None  # user -> bool
    args: Callable | None = None  # user -> url args
    icon: str = "circle"  # a Bootstrap Icons name, shown beside the label in the left navigation


_nav: dict[str, NavEntry] = {}


def nav_register(name, label, url_name, *, order=100, area="work", roles=None, visible=None, args=None,
                 icon="circle") -> None:  # fmt: skip
    entry = NavEntry(name, label, url_name, order, area, frozenset(roles) if roles else None, visible, args, icon)
    _put(_nav, name, entry, "navigation entry")


def nav_entries(user) -> list[NavEntry]:
    return [
        e
        for e in sorted(_nav.values(), key=lambda e: (e.order, e.name))
        if (e.roles is None or user.role in e.roles) and (e.visible is None or e.visible(user))
    ]


def nav_groups(user) -> list[tuple[NavArea | None, list[NavEntry]]]:
    """This user's entries by area, in the areas' order: (None, entries) for the "work" area, first."""
    groups: dict[str, list[NavEntry]] = {}
    for entry in nav_entries(user):
        groups.setdefault(entry.area, []).append(entry)
    work = groups.pop("work", [])
    for name in groups:
        if name not in _areas:
            raise RegistryError(f"navigation area {name!r} is not registered")
    areas = sorted((_areas[name] for name in groups), key=lambda a: (a.order, a.name))
    return ([(None, work)] if work else []) + [(area, groups[area.name]) for area in areas]


# URL includes and API routers: mounted by the project's URL files in registration order.
@dataclass(frozen=True)
class Mount:
    prefix: str
    target: Any  # "zhuqi.x.urls" for a URL include; a ninja Router (or its dotted path) for the API
    order: int = 100


_urls: dict[str, Mount] = {}
_routers: dict[str, Mount] = {}


def urls_register(prefix: str, module: str, *, order: int = 100) -> None:
    _put(_urls, prefix, Mount(prefix, module, order), "URL prefix")


def url_includes() -> list[Mount]:
    return sorted(_urls.values(), key=lambda m: m.order)


def api_router_register(prefix: str, router, *, order: int = 100) -> None:
    _put(_routers, prefix, Mount(prefix, router, order), "API prefix")


def api_routers() -> list[tuple[str, Any]]:
    return [(m.prefix, _resolve(m.target)) for m in sorted(_routers.values(), key=lambda m: m.order)]


# Demo loaders: load_demo_zone runs them in order after the zone itself; each returns a count for the summary.
@dataclass(frozen=True)
class DemoLoader:
    name: str
    load: Any  # (seed=...) -> int, or its dotted path
    summary: str  # "安全检查 {} 次"
    order: int = 100


_demo: dict[str, DemoLoader] = {}


def demo_loader_register(name: str, load, *, summary: str, order: int = 100) -> None:
    _put(_demo, name, DemoLoader(name, load, summary, order), "demo loader")


def demo_loaders() -> list[DemoLoader]:
    return sorted(_demo.values(), key=lambda d: (d.order, d.name))


def demo_load(loader: DemoLoader, seed: int) -> str:
    return loader.summary.format(_resolve(loader.load)(seed=seed))


# logins a module's demo data creates (its bureau's handler, a firm it needs): printed with the zone's own by make run
_demo_logins: dict[str, str] = {}


def demo_login_register(username: str, why: str) -> None:
    _put(_demo_logins, username, why, "demo login")


def demo_logins() -> dict[str, str]:
    return dict(_demo_logins)


# Selectors other modules may read (the assessment reads every module only through these).
_selectors: dict[str, Callable] = {}


def selector_register(name: str, func: Callable) -> None:
    _put(_selectors, name, func, "selector")


def selector(name: str) -> Callable:
    return _selectors[name]


def selectors() -> dict[str, Callable]:
    return dict(_selectors)


# The facts a module counts for the shared indicators (`indicators.counted.<module>`, read by indicators.facts_of),
# with the codes it gives: facts_of asks a module only for the codes it gives (each asking reads every firm asked of).
_counted_codes: dict[str, frozenset[str]] = {}


def counted_facts_register(module: str, func: Callable, *, codes) -> None:
    name = f"indicators.counted.{module}"
    selector_register(name, func)
    _put(_counted_codes, name, frozenset(codes), "counted facts")


def counted_codes(name: str) -> frozenset[str] | None:
    """The codes a counted-facts selector gives, or None when it did not say (it is then asked every time)."""
    return _counted_codes.get(name)
