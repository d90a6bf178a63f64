"""Bounded values for what the API takes in, shared by the API layer and the modules' own routers: a number beyond
what the database can hold is a 422 with a message, not an overflow deep in the driver."""

import datetime
from typing import Annotated

from ninja import Field, Path, Schema
from ninja.pagination import PageNumberPagination

MAX_ID = 2**63 - 1  # bigint, and SQLite's INTEGER

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
Workdays = Annotated[int, Field(ge=0, le=10_000)]  # the services say what is sensible; this only bounds
# dates the platform can reckon with (working days, local midnight): year 1 or 9999 overflows on the way
Day = Annotated[datetime.date, Field(ge=datetime.date(1949, 10, 1), le=datetime.date(2999, 12, 31))]


class Pages(PageNumberPagination):
    """django-ninja's page numbers, bounded: a page number past any real list is a 422, not an OFFSET the
    database cannot hold (found by the schema fuzzing)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=1_000)
