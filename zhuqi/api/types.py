"""Bounded integers for what the API takes in: a number beyond what the database can hold is a 422 with a
message, not an overflow deep in the driver."""

from typing import Annotated

from ninja import Field, Path

MAX_ID = 2**63 - 1  # bigint, and SQLite's INTEGER

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
Workdays = Annotated[int, Field(ge=0, le=10_000)]  # the services say what is sensible; this only bounds
