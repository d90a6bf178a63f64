"""Updates through the API carry the version they were made on: GET answers with an ETag, an update must send
it back in If-Match (428 without one, 412 when someone else changed the object in between), so that two
clients never silently overwrite each other."""

import re
from enum import Enum

from zhuqi.core.errors import DomainError


class VersionError(Enum):
    REQUIRED = "precondition_required"
    FAILED = "precondition_failed"


_TAG = re.compile(r'^\s*(?:W/)?"(\d{1,9})"\s*$')


def etag(version: int) -> str:
    return f'"{version}"'


def if_match_version(request) -> int:
    """The version named by the request's If-Match header."""
    header = request.headers.get("If-Match", "")
    match = _TAG.match(header)
    if match is None:
        raise DomainError(
            VersionError.REQUIRED,
            "更新须在 If-Match 请求头中带上该对象的 ETag（先 GET 取得），以免覆盖他人的修改",
            field="If-Match",
        )
    return int(match.group(1))


def stale() -> DomainError:
    return DomainError(VersionError.FAILED, "该对象已被他人修改，请重新获取（GET）后再提交", field="If-Match")
