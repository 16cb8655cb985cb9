"""The reference scenarios' shapes: how big each register is and how it is laid out."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shape:
    """Sizes and geography of one reference scenario."""

    name: str
    # Where the centre is; prefixes unit names.
    place: str
    volunteers: int
    posts: int
    # Organisation tree below the single centre.
    sub_centres: int
    # Sub-centres that hold institutes; the others are departmental and host units.
    area_sub_centres: int
    institutes: int
    stations: int
    points: int
    # Grid communities, each claimed by a unit; they lie in the first institutes' stations.
    grids: int
    grid_institutes: int
    agencies: int
    companies: int
    rescue_teams: int
    hotlines: int
    centre_latitude: float
    centre_longitude: float
    # Institutes lie within this distance of the centre.
    radius_km: float
    # One name per institute (town or subdistrict).
    institute_names: tuple[str, ...]
    # Six-digit area codes for ID numbers; unassigned codes, so no number is a real person's.
    id_area_codes: tuple[str, ...]
    days: int = 7
    agency_share: float = 0.60
    professional_share: float = 0.03

    @property
    def organisations(self) -> int:
        """Rows the organisation tree holds, centre included."""
        return 1 + self.sub_centres + self.institutes + self.stations + self.points

    @property
    def units(self) -> int:
        """Rows of units: agencies, companies and rescue teams."""
        return self.agencies + self.companies + self.rescue_teams


ZIGUI_TOWNS = (
    "Maoping",
    "Guizhou",
    "Quyuan",
    "Shazhenxi",
    "Lianghekou",
    "Guojiaba",
    "Yanglinqiao",
    "Shuitianba",
    "Xietan",
    "Meijiahe",
    "Moping",
    "Jiuwanxi",
)

YIXING_TOWNS = (
    "Yicheng",
    "Xinjie",
    "Tuoluo",
    "Dingshu",
    "Qiting",
    "Xinzhuang",
    "Zhangzhu",
    "Hefang",
    "Heqiao",
    "Guanlin",
    "Xushe",
    "Gaocheng",
    "Zhoutie",
    "Wanshi",
    "Fangqiao",
    "Hufu",
    "Taihua",
    "Huanke",
)

TOWNSHIP = Shape(
    name="township",
    place="Maoping",
    volunteers=300,
    posts=20,
    sub_centres=2,
    area_sub_centres=1,
    institutes=1,
    stations=6,
    points=18,
    grids=6,
    grid_institutes=1,
    agencies=6,
    companies=3,
    rescue_teams=1,
    hotlines=1,
    centre_latitude=30.83,
    centre_longitude=110.98,
    radius_km=2.0,
    institute_names=ZIGUI_TOWNS[:1],
    id_area_codes=("429901",),
)

# Zigui: 89 sub-centres, 12 institutes, 270 stations, 2,052 points, 134 claimed grids, 17 hotlines.
COUNTY = Shape(
    name="county",
    place="Zigui",
    volunteers=10_000,
    posts=600,
    sub_centres=89,
    area_sub_centres=4,
    institutes=12,
    stations=270,
    points=2_052,
    grids=134,
    grid_institutes=2,
    agencies=80,
    companies=30,
    rescue_teams=2,
    hotlines=17,
    centre_latitude=30.9,
    centre_longitude=110.9,
    radius_km=35.0,
    institute_names=ZIGUI_TOWNS,
    id_area_codes=("429901", "429902", "429903"),
)

# Yixing: 120,000+ volunteers, 18 institutes, 310 villages and communities.
CITY = Shape(
    name="city",
    place="Yixing",
    volunteers=120_000,
    posts=2_000,
    sub_centres=60,
    area_sub_centres=6,
    institutes=18,
    stations=310,
    points=2_480,
    grids=310,
    grid_institutes=6,
    agencies=300,
    companies=150,
    rescue_teams=2,
    hotlines=40,
    centre_latitude=31.36,
    centre_longitude=119.82,
    radius_km=30.0,
    institute_names=YIXING_TOWNS,
    id_area_codes=("329901", "329902", "329903", "329904"),
)

SHAPES: dict[str, Shape] = {shape.name: shape for shape in (TOWNSHIP, COUNTY, CITY)}


def shape_named(*, name: str) -> Shape:
    """The shape called ``name``, or a ValueError listing the known ones."""
    try:
        return SHAPES[name]
    except KeyError:
        raise ValueError(f"unknown scenario {name!r}; choose one of {', '.join(SHAPES)}") from None
