#!/usr/bin/env bash
# Dependency vulnerability audit of the pinned requirements (requirements.lock).
#
#   scripts/audit-deps.sh
#
# Runs pip-audit on every pin in requirements.lock (no resolution, no installs) against the
# PyPI vulnerability data, falling back to OSV. Exit status:
#   0  no known vulnerabilities; or the vulnerability services cannot be reached from this
#      machine (a NOTICE says so: the audit did not happen). Set LIFT_AUDIT_REQUIRED=1 to
#      make "unreachable" a failure (for a networked CI).
#   1  known vulnerabilities (listed), or a partial audit: some pins could be checked and
#      others could not (strict: an unaudited dependency is a failure).
#   2  pip-audit itself is missing or misbehaved.
set -uo pipefail
cd "$(dirname "$0")/.."

AUDIT=${PIP_AUDIT:-.venv/bin/pip-audit}
LOCK=${LIFT_AUDIT_REQUIREMENTS:-requirements.lock}
if [[ ! -x $AUDIT ]]; then
    echo "pip-audit is not installed in .venv (run 'make env')." >&2
    exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for service in ${LIFT_AUDIT_SERVICES:-pypi osv}; do
    echo "Auditing $LOCK against the $service vulnerability service..."
    timeout "${LIFT_AUDIT_TIMEOUT:-300}" "$AUDIT" -r "$LOCK" --no-deps --disable-pip \
        --vulnerability-service "$service" --progress-spinner off --desc off \
        --format json --output "$work/$service.json" >"$work/$service.out" 2>"$work/$service.err"
    echo $? >"$work/$service.rc"
    .venv/bin/python - "$work" "$service" <<'PY'
import json, pathlib, re, sys

work, service = pathlib.Path(sys.argv[1]), sys.argv[2]
rc = int((work / f"{service}.rc").read_text())
err = (work / f"{service}.err").read_text()
report = work / f"{service}.json"
UNREACHABLE = re.compile(
    r"ConnectionError|NameResolution|Max retries|timed out|Temporary failure|"
    r"Connection refused|SSLError|ProxyError|Network is unreachable",
    re.I,
)
data = None
if report.exists() and report.read_text().strip():
    data = json.loads(report.read_text())
if data is None:
    if rc == 124 or UNREACHABLE.search(err):
        print(f"  {service}: service unreachable from this machine.")
        sys.exit(10)
    print(err[-3000:], file=sys.stderr)
    print(f"  {service}: pip-audit failed (exit {rc}) without a report.")
    sys.exit(2)
deps = data.get("dependencies", [])
vulnerable = [d for d in deps if d.get("vulns")]
skipped = [d for d in deps if d.get("skip_reason")]
audited = len(deps) - len(skipped)
for d in vulnerable:
    for v in d["vulns"]:
        fixes = ", ".join(v.get("fix_versions") or []) or "no fixed version yet"
        aliases = ", ".join(v.get("aliases") or [])
        print(f"  VULNERABLE {d['name']} {d['version']}: {v['id']} ({aliases}) fixed in {fixes}")
if vulnerable:
    print(f"  {service}: {len(vulnerable)} vulnerable package(s) of {audited} audited.")
    sys.exit(1)
if deps and audited == 0:
    # Every lookup failed: the service (or the mirror in front of it) has no data for us.
    print(f"  {service}: none of {len(deps)} pins could be looked up "
          f"({skipped[0]['skip_reason']}).")
    sys.exit(10)
if skipped:
    for d in skipped:
        print(f"  NOT AUDITED {d['name']}: {d['skip_reason']}")
    print(f"  {service}: strict audit failed: {len(skipped)} pin(s) could not be audited.")
    sys.exit(1)
print(f"  {service}: no known vulnerabilities in {audited} pinned packages.")
sys.exit(0)
PY
    verdict=$?
    case $verdict in
        0) echo "PASS: dependency audit ($service)"; exit 0 ;;
        1) echo "FAIL: dependency audit ($service) found problems"; exit 1 ;;
        10) continue ;;
        *) echo "FAIL: pip-audit did not run properly"; exit 2 ;;
    esac
done

if [[ "${LIFT_AUDIT_REQUIRED:-0}" == 1 ]]; then
    echo "FAIL: no vulnerability service could be reached and LIFT_AUDIT_REQUIRED=1."
    exit 1
fi
echo "NOTICE: dependency audit SKIPPED: no vulnerability service (${LIFT_AUDIT_SERVICES:-pypi osv}) is reachable from this machine; run scripts/audit-deps.sh where it is."
exit 0
