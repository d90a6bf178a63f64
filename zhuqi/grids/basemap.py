"""The grid map's base map, from settings: the tile layers for Leaflet (the key filled in) and the hosts the page's
Content-Security-Policy must admit for them. Without a configured URL there is none, and nothing is fetched."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks


def _layers() -> list[str]:
    return [u for u in (settings.ZHUQI_MAP_TILE_URL, settings.ZHUQI_MAP_LABEL_TILE_URL) if u]


def basemap() -> dict | None:
    templates = _layers() if settings.ZHUQI_MAP_TILE_URL else []
    if not templates:
        return None
    return {
        "layers": [t.replace("{key}", settings.ZHUQI_MAP_TILE_KEY) for t in templates],
        "subdomains": settings.ZHUQI_MAP_TILE_SUBDOMAINS or "abc",
        "attribution": settings.ZHUQI_MAP_ATTRIBUTION,
    }


def tile_hosts() -> list[str]:
    """scheme://host of each layer, a mirror label ({s}) as a wildcard: t{s}.tianditu.gov.cn → *.tianditu.gov.cn."""
    hosts = []
    for template in _layers() if settings.ZHUQI_MAP_TILE_URL else []:
        parts = urlsplit(template)
        labels = ["*" if "{s}" in label else label for label in parts.netloc.split(".")]
        host = f"{parts.scheme}://{'.'.join(labels)}"
        if host not in hosts:
            hosts.append(host)
    return hosts


def check_basemap(app_configs=None, **kwargs) -> list:
    errors = []
    for name in ("ZHUQI_MAP_TILE_URL", "ZHUQI_MAP_LABEL_TILE_URL"):
        template = getattr(settings, name, "")
        if not template:
            continue
        parts = urlsplit(template)
        if (
            parts.scheme not in ("https", "http")
            or not parts.netloc
            or any(p not in template for p in ["{z}", "{x}", "{y}"])
        ):
            errors.append(checks.Error(
                f"{name} must be an http(s) tile URL template with {{z}}, {{x}} and {{y}}", id="zhuqi.E130",
            ))  # fmt: skip
    return errors
