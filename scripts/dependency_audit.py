"""pip-audit over the installed dependencies, for `make check`.

Fails on any known vulnerability not reviewed below. When the vulnerability database (PyPI's or OSV's) cannot be
reached, as on the project's build machines, which have no internet, it says so plainly and how many
dependencies went unaudited, instead of reporting "no known vulnerabilities".

Exit status: 0 audited, nothing unreviewed found; 1 a known vulnerability (or pip-audit's output unreadable);
3 nothing could be audited (NOT_AUDITED), so that a build without internet is never read as a clean audit."""

import json
import subprocess  # nosec B404
import sys
from pathlib import Path

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")
# vulnerability id → why it does not apply to us (reviewed, with the date)
REVIEWED: dict[str, str] = {}
NOT_AUDITED = 3


def main() -> int:
    # our own venv's pip-audit, the arguments fixed here (the import above is reviewed for the same reason)
    result = subprocess.run(  # noqa: S603  # nosec B603
        [str(PIP_AUDIT), "--local", "--skip-editable", "--format", "json", "--progress-spinner", "off"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stdout, result.stderr, sep="\n")
        print("pip-audit: 输出无法解析", file=sys.stderr)
        return 1
    dependencies = report.get("dependencies", [])
    found = [
        (d["name"], d["version"], v["id"], v.get("fix_versions", []))
        for d in dependencies
        for v in d.get("vulns", [])
        if v["id"] not in REVIEWED
    ]
    skipped = [d["name"] for d in dependencies if d.get("skip_reason")]
    for name, version, vuln, fixes in found:
        print(f"pip-audit: {name} {version} 有已知漏洞 {vuln}（修复版本：{', '.join(fixes) or '暂无'}）")
    audited = len(dependencies) - len(skipped)
    if not audited:
        print(
            f"pip-audit: 漏洞库不可达（本机无外网），{len(skipped)} 个依赖未能核验；请在能访问 PyPI 的机器上运行 make check"
        )
    elif skipped:
        print(f"pip-audit: 核验 {audited} 个依赖，{len(skipped)} 个未能核验：{', '.join(skipped)}")
    else:
        print(f"pip-audit: 核验 {audited} 个依赖，无未经审阅的已知漏洞")
    if found:
        return 1
    return 0 if audited else NOT_AUDITED


if __name__ == "__main__":
    sys.exit(main())
