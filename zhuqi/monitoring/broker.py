"""The MQTT broker's side of the gateways' accounts: Mosquitto's password file and ACL written from the
registered gateways and the platform's own accounts (the ingester reads every firm's topics; the demo's simulator,
where configured, writes them), and the broker's configuration (deploy/mosquitto/zhuqi.conf) with its paths
moved to a directory of one's own (make mosquitto, the tests and the bench)."""

import getpass
from pathlib import Path

from django.conf import settings

from .gateways import mosquitto_password_hash
from .ingest import TOPIC_PREFIX
from .ingest import broker_credentials as credentials
from .models import Gateway

SHIPPED_CONFIG = Path(settings.BASE_DIR) / "deploy" / "mosquitto" / "zhuqi.conf"
SHIPPED_DIR, SHIPPED_DATA, SHIPPED_PID = "/etc/mosquitto/zhuqi/", "/var/lib/mosquitto/", "/var/run/mosquitto/zhuqi.pid"


def _accounts() -> list[tuple[str, str, str]]:
    """(user, password, ACL lines) of the platform's own accounts, from the URLs they connect with."""
    accounts = []
    user, password = credentials(settings.ZHUQI_MQTT_URL)
    if user:
        accounts.append((user, password, f"topic read {TOPIC_PREFIX}/#"))
    user, password = credentials(settings.ZHUQI_MQTT_SIMULATOR_URL)
    if user:
        accounts.append((user, password, f"topic write {TOPIC_PREFIX}/#"))
    return accounts


def password_file() -> str:
    lines = [f"{user}:{mosquitto_password_hash(password)}" for user, password, _acl in _accounts()]
    gateways = Gateway.objects.filter(revoked_at__isnull=True).order_by("pk")
    lines += [f"{g.mqtt_username}:{g.mqtt_password_hash}" for g in gateways]
    return "".join(f"{line}\n" for line in lines)


def acl_file() -> str:
    """Each gateway may publish under its own firm's topic only (`#` takes in zhuqi/<code> itself, a gateway's
    scan); users not named here may do nothing."""
    blocks = [f"user {user}\n{acl}\n" for user, _password, acl in _accounts()]
    gateways = Gateway.objects.filter(revoked_at__isnull=True).select_related("enterprise").order_by("pk")
    blocks += [
        f"# {g.enterprise.name} {g.name}\nuser {g.mqtt_username}\ntopic write {TOPIC_PREFIX}/{g.enterprise.credit_code}/#\n"
        for g in gateways
    ]
    return "\n".join(blocks)


def config_for(directory: Path, *, port: int = 1883, host: str = "127.0.0.1") -> str:
    """The shipped configuration with its files in `directory` and its listener on host:port."""
    text = SHIPPED_CONFIG.read_text()
    text = text.replace("listener 1883 127.0.0.1", f"listener {port} {host}")
    text = text.replace(SHIPPED_PID, str(directory / "mosquitto.pid"))
    text = text.replace(SHIPPED_DATA, f"{directory / 'data'}/").replace(SHIPPED_DIR, f"{directory}/")
    # started by hand as root, Mosquitto would switch to the user `mosquitto`, who cannot read these files
    return text + f"user {getpass.getuser()}\n"


def files_write(directory: Path, *, config: bool = False, port: int = 1883, host: str = "127.0.0.1") -> list[Path]:
    """The password file and the ACL (readable by their owner only) and, asked for, the configuration."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (("passwd", password_file()), ("acl", acl_file())):
        path = directory / name
        path.touch(mode=0o600, exist_ok=True)
        path.chmod(0o600)
        path.write_text(text)
        written.append(path)
    if config:
        (directory / "data").mkdir(exist_ok=True)
        path = directory / "mosquitto.conf"
        path.write_text(config_for(directory, port=port, host=host))
        written.append(path)
    return written
