#!/usr/bin/env bash
# Runs the whole test suite: unit tests, aggregate fixture tests, and integration tests against a real PostgreSQL
# and a real KRaft Kafka broker that the tests start themselves (deploy/local-stack; no Docker), and the dashboard in
# a headless Chromium. Needs a JDK 17+ and Maven; installs Chromium and chromedriver with apt-get when run as root
# and they are missing (otherwise says how). Prints Maven's Surefire/Failsafe results and one closing summary line.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

missing=()
command -v java >/dev/null 2>&1 || missing+=("a JDK 17 or newer (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless)")
# Maven on the PATH if there is one, else the project's wrapper (it fetches Maven 3.9.9 from Maven Central once).
if command -v mvn >/dev/null 2>&1; then mvn=(mvn); else mvn=("$repo/mvnw"); fi
# The dashboard's tests drive Debian's Chromium through its chromedriver (nothing is downloaded at test time).
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing chromium and chromium-driver for the dashboard tests (apt-get) ..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) >/dev/null \
      || missing+=("Chromium and its driver (apt-get install chromium chromium-driver): the install failed")
  else
    missing+=("Chromium and its driver for the dashboard tests (Debian/Ubuntu, as root: apt-get install chromium chromium-driver)")
  fi
fi
if ((${#missing[@]})); then
  printf 'Cannot run the tests; missing:\n' >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 2
fi

status=0
"${mvn[@]}" -B -ntp clean verify "$@" || status=$?

# One closing line over every module's Surefire and Failsafe reports.
total=0; failed=0; skipped=0
while IFS= read -r line; do
  t=$(sed -E 's/.*[[:space:]]tests="([0-9]+)".*/\1/' <<<"$line")
  f=$(sed -E 's/.*[[:space:]]failures="([0-9]+)".*/\1/' <<<"$line")
  e=$(sed -E 's/.*[[:space:]]errors="([0-9]+)".*/\1/' <<<"$line")
  s=$(sed -E 's/.*[[:space:]]skipped="([0-9]+)".*/\1/' <<<"$line")
  total=$((total + t)); failed=$((failed + f + e)); skipped=$((skipped + s))
done < <(find . \( -path '*/target/surefire-reports/TEST-*.xml' -o -path '*/target/failsafe-reports/TEST-*.xml' \) \
           -exec grep -ho '<testsuite [^>]*>' {} +)
echo
echo "Summary: $((total - failed - skipped)) passed, ${failed} failed, ${skipped} skipped"
exit "$status"
