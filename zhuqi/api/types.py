"""The API's bounded values live in core so that the modules' own routers use the same ones."""

from zhuqi.core.api_types import MAX_ID, Day, Id, Pages, PathId, Workdays

__all__ = ["MAX_ID", "Day", "Id", "Pages", "PathId", "Workdays"]
