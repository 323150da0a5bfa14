"""The scheduler's configuration (controls/schedule.yaml or a file of the gemeente), validated."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kic.errors import KicError
from kic.resources import resource_dir


class ScheduleError(KicError, ValueError):
    """A schedule file that cannot be used; the message is Dutch and names every problem."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class QuarterlyReport(_Model):
    days_after: int = Field(10, alias="dagen_na_kwartaal", ge=0, le=80)
    at: time = Field(time.fromisoformat("07:00"), alias="tijd")
    pdf: bool = True


class SisaDossier(_Model):
    """The SiSa- en rechtmatigheidsdossier of the year so far, after every quarter (the last is the year's)."""

    days_after: int = Field(10, alias="dagen_na_kwartaal", ge=0, le=80)
    at: time = Field(time.fromisoformat("07:30"), alias="tijd")
    pdf: bool = True


class OverdueList(_Model):
    at: time = Field(time.fromisoformat("08:00"), alias="tijd")


class Draws(_Model):
    days_after: int = Field(5, alias="dagen_na_periode", ge=0, le=60)
    at: time = Field(time.fromisoformat("06:00"), alias="tijd")
    seed: str = Field(min_length=1)
    reviewers: list[str] = Field(default_factory=list, alias="beoordelaars")


class Tasks(_Model):
    quarterly_report: QuarterlyReport | None = Field(None, alias="kwartaalrapportage")
    sisa_dossier: SisaDossier | None = Field(None, alias="sisa_dossier")
    overdue_list: OverdueList | None = Field(None, alias="te_laat_lijst")
    draws: Draws | None = Field(None, alias="trekkingen")


class Schedule(_Model):
    timezone: str = Field("Europe/Amsterdam", alias="tijdzone")
    out_dir: Path = Field(Path("rapporten"), alias="uitvoermap")
    catch_up_days: int = Field(100, alias="inhalen_dagen", ge=0)
    attempts: int = Field(3, alias="pogingen", ge=1, le=20)
    retry_minutes: int = Field(30, alias="herhaal_minuten", ge=1)
    tasks: Tasks = Field(alias="taken")


def load_schedule(path: Path | None = None) -> Schedule:
    path = path or resource_dir("controls") / "schedule.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return Schedule.model_validate(data)
    except OSError as exc:
        raise ScheduleError(f"{path}: niet te lezen ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ScheduleError(f"{path}: geen geldige YAML ({exc})") from None
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise ScheduleError(f"{path}: " + "; ".join(problems)) from None
