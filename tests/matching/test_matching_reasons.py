"""Reasons for unfilled heads, why-not answers, and the kit dispatch list."""

from __future__ import annotations

from datetime import date

from matching.problem import (
    Certificate,
    Post,
    Problem,
    Rules,
    Slot,
    Stock,
    Volunteer,
    Weights,
)
from matching.reasons import DispatchLine, dispatch_list, funnel, why_not
from matching.solve import solve

NOV24 = date(2026, 11, 24)
NIGHT = (22 * 60, 30 * 60)


def night(day: int = 0, *, hc: int = 1, post: str = "P", **kw: object) -> Slot:
    """A 22:00-06:00 shift."""
    return Slot(
        f"{post}-{day}",
        post,
        day * 1440 + NIGHT[0],
        day * 1440 + NIGHT[1],
        hc,
        shift_type="N",
        **kw,
    )


def problem(vols: list[Volunteer], slots: list[Slot], **kw: object) -> Problem:
    """Problem labelled from 24 Nov with a certified post P run by unit U."""
    kw.setdefault("posts", (Post("P", using_unit="U", required_certificates=frozenset({"cdc"})),))
    return Problem(
        tuple(vols),
        slots=tuple(slots),
        start_date=NOV24,
        weights=Weights(fairness=0, travel=0),
        **kw,
    )


CDC = (Certificate("cdc"),)


def reason(p: Problem) -> str:
    """The reason given for the first unfilled slot."""
    r = solve(p, time_limit_s=5)
    assert r.unfilled
    return r.unfilled[0].reason


def test_no_certified_volunteer() -> None:
    """Volunteers exist but none holds a valid certificate: the certificate filter is named."""
    p = problem(
        [Volunteer("a"), Volunteer("b", certificates=(Certificate("cdc", last_day=-1),))], [night()]
    )
    assert reason(p) == "no certified volunteer available 22:00-06:00 on 24 Nov (needs cdc)"


def test_nobody_available() -> None:
    """Nobody is available in the window."""
    p = problem([Volunteer("a", certificates=CDC, availability=((0, 600),))], [night()])
    assert reason(p) == "no volunteer available 22:00-06:00 on 24 Nov"


def test_no_skill() -> None:
    """The headcount line's skill is missing."""
    p = problem([Volunteer("a", certificates=CDC)], [night(skill="medic")])
    assert reason(p) == "no volunteer with skill medic available 22:00-06:00 on 24 Nov"


def test_all_unwell() -> None:
    """Everyone eligible reported unwell that day."""
    p = problem([Volunteer("a", certificates=CDC, unwell_days=frozenset({0}))], [night()])
    assert "reported unwell" in reason(p)


def test_unit_short_of_suits() -> None:
    """Three social volunteers, a post whose unit has no suits left: unit U short of 3 suits."""
    vols = [Volunteer(f"v{i}", certificates=CDC) for i in range(4)]
    stocks = (Stock("u", "protective suit", 0, 1, owner="U"),)
    p = problem(vols, [night(hc=4, kit="protective suit")], stocks=stocks)
    r = solve(p, time_limit_s=5)
    assert [(u.missing, u.reason) for u in r.unfilled] == [
        (3, "unit U short of 3 protective suits on 24 Nov; city reserve empty")
    ]
    steps = {s.filter: s.remaining for s in funnel(p, r, slot="P-0")}
    assert steps == {
        "available": 4,
        "skilled": 4,
        "certified": 4,
        "healthy": 4,
        "kit obtainable": 0,
        "not at a cap": 0,
    }


def test_everyone_at_a_cap() -> None:
    """The only volunteer already works the other post's overlapping night."""
    posts = (Post("P", priority=1), Post("Q", priority=5))
    p = problem([Volunteer("a")], [night(post="P"), night(post="Q")], posts=posts)
    assert reason(p) == (
        "the only eligible volunteer 22:00-06:00 on 24 Nov is at a cap: shifts per day (1)"
    )


def test_why_not_names_every_obstacle() -> None:
    """Expired certificate, unwell, no kit, and a rest rule, all at once."""
    v = Volunteer(
        "a", unit="W", certificates=(Certificate("cdc", last_day=0),), unwell_days=frozenset({1})
    )
    slots = [night(0), night(1, kit="suit")]
    p = problem([v], slots, rules=Rules(min_rest_minutes=24 * 60))
    r = solve(p, time_limit_s=5)
    assert [a.slot for a in r.assignments] == ["P-0"]
    assert why_not(p, volunteer="a", slot="P-1", roster=r) == [
        "cdc certificate expired 25 Nov",
        "reported unwell on 25 Nov",
        "no suit left on 25 Nov at unit W or the city reserve",
        "too little rest since or before another shift",
    ]
    assert why_not(p, volunteer="a", slot="P-0") == []


def test_dispatch_list_per_stock_day_and_post() -> None:
    """Agency volunteers draw on their unit, the overflow on the city reserve."""
    vols = [Volunteer(f"v{i}", unit="W", certificates=CDC) for i in range(3)]
    stocks = (Stock("w0", "mask", 0, 2, owner="W"), Stock("city0", "mask", 0, 5))
    p = problem(vols, [night(hc=3, kit="mask")], stocks=stocks)
    r = solve(p, time_limit_s=5)
    assert r.unfilled == ()
    assert dispatch_list(p, r) == [
        DispatchLine("w0", "W", "mask", 0, "P", 2),
        DispatchLine("city0", "city reserve", "mask", 0, "P", 1),
    ]
