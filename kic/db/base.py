"""Declarative base with a naming convention, and the column types for money and quantities."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from kic.db import values

# Named constraints make migrations reproducible on PostgreSQL and batch-alterable on SQLite.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class _ScaledInteger(TypeDecorator[Decimal]):
    """A Decimal stored as a scaled integer, so that no database ever holds it as a float."""

    impl = BigInteger
    cache_ok = True
    scale = 2

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        scaled = Decimal(value).scaleb(self.scale)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} heeft meer dan {self.scale} decimalen")
        return int(scaled)

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.scale)


class Money(_ScaledInteger):
    """Euro amount as integer cents."""

    cache_ok = True  # SQLAlchemy asks every TypeDecorator subclass for this itself
    scale = 2


class Quantity(_ScaledInteger):
    """A volume (hours, days, pieces) as integer thousandths."""

    cache_ok = True
    scale = 3


# Every session and engine refuses text a database cannot store as given (a NUL, too long), on
# SQLite exactly as on PostgreSQL; importing the models imports this module, so no session misses it.
values.install()
