#!/usr/bin/env bash
# Runs the Python client's tests with Debian's python3 (which sees the python3-* packages). Where those
# packages are missing, it says which and skips, except under CI (CI=true), where they are required.
set -euo pipefail
cd "$(dirname "$0")/../.."
py=${FISHERD_PYTHON:-/usr/bin/python3}
missing=$("$py" - <<'PY' 2>/dev/null || echo "python3"
import importlib.util
need = ["numpy", "websockets", "google.protobuf", "pytest"]
print(" ".join(n for n in need if importlib.util.find_spec(n.split(".")[0]) is None or (n == "google.protobuf" and importlib.util.find_spec("google.protobuf") is None)))
PY
)
if [ -n "$missing" ]; then
  msg="Python client tests need: $missing (apt-get install python3-numpy python3-websockets python3-protobuf python3-pytest protobuf-compiler)"
  if [ "${CI:-}" = "true" ]; then echo "$msg" >&2; exit 1; fi
  echo "skipped: $msg"; exit 0
fi
exec "$py" -m pytest -q clients/python/tests
