"""Plausible coordinates: points scattered around a centre, in kilometres."""

from __future__ import annotations

import math
import random

KM_PER_DEGREE_LATITUDE = 111.32

Coordinates = tuple[float, float]


def scatter(*, rng: random.Random, around: Coordinates, spread_km: float) -> Coordinates:
    """A point near ``around``, normally distributed with ``spread_km`` per axis."""
    latitude, longitude = around
    north_km = rng.gauss(0.0, spread_km)
    east_km = rng.gauss(0.0, spread_km)
    return offset(around=(latitude, longitude), north_km=north_km, east_km=east_km)


def within(*, rng: random.Random, around: Coordinates, radius_km: float) -> Coordinates:
    """A point uniformly spread over a disc of ``radius_km`` around ``around``."""
    distance = radius_km * math.sqrt(rng.random())
    bearing = rng.uniform(0.0, 2 * math.pi)
    return offset(
        around=around, north_km=distance * math.cos(bearing), east_km=distance * math.sin(bearing)
    )


def offset(*, around: Coordinates, north_km: float, east_km: float) -> Coordinates:
    """``around`` moved north and east; rounded to about a metre, as a phone would report."""
    latitude, longitude = around
    km_per_degree_longitude = KM_PER_DEGREE_LATITUDE * math.cos(math.radians(latitude))
    return (
        round(latitude + north_km / KM_PER_DEGREE_LATITUDE, 5),
        round(longitude + east_km / km_per_degree_longitude, 5),
    )
