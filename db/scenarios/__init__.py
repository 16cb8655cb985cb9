"""Reference scenarios (township, county, city), generated deterministically from a seed."""

from db.scenarios.build import build_rows
from db.scenarios.generate import ScenarioSummary, load_scenario
from db.scenarios.shapes import CITY, COUNTY, SHAPES, TOWNSHIP, Shape, shape_named
from db.scenarios.timetable import default_start

__all__ = [
    "CITY",
    "COUNTY",
    "SHAPES",
    "TOWNSHIP",
    "ScenarioSummary",
    "Shape",
    "build_rows",
    "default_start",
    "load_scenario",
    "shape_named",
]
