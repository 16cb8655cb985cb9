"""Names, phone numbers and resident ID numbers that look real but belong to no one."""

from __future__ import annotations

import random
from datetime import date, timedelta

SURNAMES = (
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
    "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Gao", "Lin", "Luo",
    "Zheng", "Liang", "Xie", "Song", "Tang", "Xiang", "Tan", "Qu", "Du", "Peng",
)  # fmt: skip

GIVEN_SYLLABLES = (
    "Wei", "Fang", "Min", "Jing", "Li", "Qiang", "Lei", "Jun", "Yang", "Yong",
    "Yan", "Jie", "Tao", "Ming", "Chao", "Xiu", "Ying", "Hua", "Ping", "Gang",
    "Hui", "Lan", "Hong", "Xia", "Bin", "Hao", "Yu", "Ting", "Kai", "Dan",
)  # fmt: skip

# 154 is a mobile segment no operator has been issued, so no real subscriber is dialled.
PHONE_PREFIX = "154"
PHONE_SUFFIX_DIGITS = 8

# ISO 7064 MOD 11-2, as GB 11643 prescribes for the 18th character.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARACTERS = "10X98765432"


def person_name(*, rng: random.Random) -> str:
    """A romanised Chinese name: a surname and one or two given syllables."""
    given = rng.choice(GIVEN_SYLLABLES)
    if rng.random() < 0.6:
        given += rng.choice(GIVEN_SYLLABLES).lower()
    return f"{rng.choice(SURNAMES)} {given}"


def phone_numbers(*, rng: random.Random, count: int) -> list[str]:
    """``count`` distinct eleven-digit mobile numbers."""
    suffixes = rng.sample(range(10**PHONE_SUFFIX_DIGITS), count)
    return [f"{PHONE_PREFIX}{suffix:0{PHONE_SUFFIX_DIGITS}d}" for suffix in suffixes]


def id_check_character(*, first17: str) -> str:
    """The 18th character of a resident ID number."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARACTERS[total % 11]


def id_numbers(
    *, rng: random.Random, count: int, area_codes: tuple[str, ...], as_of: date
) -> list[str]:
    """``count`` distinct, well-formed ID numbers of adults aged 18 to 65 on ``as_of``."""
    numbers: list[str] = []
    seen: set[str] = set()
    youngest = as_of - timedelta(days=18 * 365 + 5)
    span_days = 47 * 365
    while len(numbers) < count:
        born = youngest - timedelta(days=rng.randrange(span_days))
        first17 = f"{rng.choice(area_codes)}{born:%Y%m%d}{rng.randrange(1000):03d}"
        number = first17 + id_check_character(first17=first17)
        if number not in seen:
            seen.add(number)
            numbers.append(number)
    return numbers
