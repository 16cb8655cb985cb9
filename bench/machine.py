"""A one-line description of the machine a benchmark ran on."""

from __future__ import annotations

import os
import platform
import resource
from pathlib import Path

import ortools


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo, or the platform's processor string."""
    info = Path("/proc/cpuinfo")
    if info.exists():
        for line in info.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def memory_gib() -> float:
    """Total memory in GiB (0 if unknown)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        return 0.0


def describe() -> str:
    """Cores, CPU model, memory, Python and OR-Tools versions."""
    return (
        f"machine: {os.cpu_count()} cores, {cpu_model()}, {memory_gib():.0f} GiB RAM; "
        f"Python {platform.python_version()}, OR-Tools {ortools.__version__}"
    )


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
