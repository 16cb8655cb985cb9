"""The rostering problem as plain data: volunteers, posts, slots, stocks, rules and weights.

Time is counted in whole minutes from the start of the horizon (day 0, 00:00); a shift belongs
to the day on which it starts. Days are horizon indices; `Problem.start_date` only labels them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

MINUTES_PER_DAY = 1440


@dataclass(frozen=True, slots=True)
class Certificate:
    """A passed training, valid from `first_day` to `last_day` inclusive (None: no expiry)."""

    kind: str
    first_day: int | None = None
    last_day: int | None = None

    def valid_on(self, day: int) -> bool:
        """True if the certificate is valid on horizon day `day`."""
        if self.first_day is not None and day < self.first_day:
            return False
        return self.last_day is None or day <= self.last_day


@dataclass(frozen=True, slots=True)
class Rules:
    """Caps and limits on one volunteer's workload; None switches a rule off."""

    max_shifts_per_day: int | None = 1
    min_rest_minutes: int = 0
    # Minutes worked in each period of `period_days` days (None: the whole horizon).
    period_days: int | None = 7
    max_minutes_per_period: int | None = None
    min_minutes_per_period: int | None = None
    max_shifts_per_type: Mapping[str, int] = field(default_factory=dict)
    max_consecutive_days: int | None = None
    # Runs touching the first or last day of the horizon are exempt from both minimums.
    min_consecutive_days: int | None = None
    min_consecutive_days_off: int | None = None
    max_working_weekends: int | None = None


@dataclass(frozen=True, slots=True)
class Volunteer:
    """A volunteer; `unit` is set for agency volunteers (equipped by their unit), None if social."""

    id: str
    unit: str | None = None
    home: tuple[float, float] = (0.0, 0.0)  # km on a local plane
    skills: frozenset[str] = frozenset()
    certificates: tuple[Certificate, ...] = ()
    # Windows (start, end) in minutes when the volunteer can serve; None means always.
    availability: tuple[tuple[int, int], ...] | None = None
    unwell_days: frozenset[int] = frozenset()  # latest health report that day says unwell
    days_off: frozenset[int] = frozenset()
    rules: Rules | None = None  # None: the problem's rules


@dataclass(frozen=True, slots=True)
class Post:
    """A place to staff, run by a using unit, which equips social volunteers serving there."""

    id: str
    using_unit: str | None = None
    location: tuple[float, float] = (0.0, 0.0)
    priority: int = 1  # multiplies the penalty of each unfilled head
    required_certificates: frozenset[str] = frozenset()
    claimed_by: str | None = None  # unit that claimed the grid community this post serves
    name: str = ""


@dataclass(frozen=True, slots=True)
class Slot:
    """One headcount line of a shift: `headcount` people with `skill`, each needing a `kit`."""

    id: str
    post: str
    start: int
    end: int
    headcount: int
    shift_type: str = ""
    skill: str | None = None
    kit: str | None = None  # protective item, one per person on the shift
    unfilled_weight: int | None = None  # None: weights.unfilled_head × post priority
    max_over: int = 0  # extra people allowed beyond the headcount
    over_weight: int = 0

    @property
    def day(self) -> int:
        """Horizon day on which the shift starts."""
        return self.start // MINUTES_PER_DAY

    @property
    def minutes(self) -> int:
        """Length of the shift in minutes."""
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Stock:
    """Kits of one item on one day, owned by a unit or (owner None) the city reserve."""

    id: str
    item: str
    day: int
    quantity: int
    owner: str | None = None

    @property
    def is_city_reserve(self) -> bool:
        """True for the city-level reserve, which may equip anyone."""
        return self.owner is None


@dataclass(frozen=True, slots=True)
class Request:
    """A wish to work (`on`) or not to work a shift type on a day; `weight` if not honoured."""

    volunteer: str
    day: int
    shift_type: str
    weight: int
    on: bool


@dataclass(frozen=True, slots=True)
class Placement:
    """A volunteer on a slot, optionally with the stock the kit comes from."""

    volunteer: str
    slot: str
    stock: str | None = None


@dataclass(frozen=True, slots=True)
class Weights:
    """Objective weights, in SPEC's priority order; a scheduler may change any of them."""

    unfilled_head: int = 10_000
    city_reserve_kit: int = 200
    change: int = 100
    travel: int = 1  # per 100 m between home and post
    fairness: int = 1  # per unit of Σ shifts² over volunteers
    preference: int = 1  # multiplies each request's own weight
    unclaimed_grid: int = 5  # a post on a claimed grid staffed by another unit's volunteer
    over_cover: int = 1  # multiplies each slot's over_weight


@dataclass(frozen=True, slots=True)
class Problem:
    """Everything the optimizer needs; ids are unique within each collection."""

    volunteers: tuple[Volunteer, ...]
    posts: tuple[Post, ...]
    slots: tuple[Slot, ...]
    stocks: tuple[Stock, ...] = ()
    rules: Rules = field(default_factory=Rules)
    weights: Weights = field(default_factory=Weights)
    # Successions (type on day d, type on day d + 1) nobody may work.
    forbidden_successions: frozenset[tuple[str, str]] = frozenset()
    requests: tuple[Request, ...] = ()
    pinned: tuple[Placement, ...] = ()
    previous: tuple[Placement, ...] = ()  # the published roster this run may change
    horizon_days: int | None = None  # None: up to the last slot's day
    first_weekday: int = 0  # weekday of day 0, Monday = 0
    start_date: date | None = None  # calendar date of day 0, for messages

    @property
    def days(self) -> int:
        """Number of days in the horizon."""
        if self.horizon_days is not None:
            return self.horizon_days
        return max((s.day for s in self.slots), default=-1) + 1

    def rules_for(self, volunteer: Volunteer) -> Rules:
        """The rules that apply to `volunteer`."""
        return volunteer.rules if volunteer.rules is not None else self.rules


def travel_units(home: tuple[float, float], location: tuple[float, float]) -> int:
    """Straight-line distance in whole 100 m units, the unit of the travel objective."""
    return round(math.dist(home, location) * 10)


def travel_units_apart(dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """`travel_units` for many homes at once, given each one's offset from the location: the
    same rounding (halves to even), to within the last bit of the distance."""
    return np.rint(np.sqrt(dx * dx + dy * dy) * 10).astype(np.int64)


def unfilled_weight(slot: Slot, post: Post, weights: Weights) -> int:
    """Penalty for each head of `slot` left unfilled."""
    if slot.unfilled_weight is not None:
        return slot.unfilled_weight
    return weights.unfilled_head * post.priority


def weekend_of(day: int, *, first_weekday: int) -> int | None:
    """Index of the weekend that `day` falls in, None on weekdays."""
    weekday = (first_weekday + day) % 7
    if weekday < 5:
        return None
    return (first_weekday + day) // 7


def day_label(day: int, *, start_date: date | None) -> str:
    """A day as schedulers read it: '24 Nov' with a start date, 'day 3' without."""
    if start_date is None:
        return f"day {day}"
    d = start_date + timedelta(days=day)
    return f"{d.day} {d.strftime('%b')}"


def clock_label(minute: int) -> str:
    """A minute offset as a wall-clock time 'HH:MM'."""
    m = minute % MINUTES_PER_DAY
    return f"{m // 60:02d}:{m % 60:02d}"


def may_supply(stock: Stock, volunteer: Volunteer, post: Post) -> bool:
    """Supply rule: own unit for agency volunteers, the using unit for social ones, city for all."""
    if stock.is_city_reserve:
        return True
    if volunteer.unit is not None:
        return stock.owner == volunteer.unit
    return stock.owner == post.using_unit
