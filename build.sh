#!/usr/bin/env bash
# SovereignTrajectories build entry point. Installs what it needs on a fresh Debian machine.
#   ./build.sh demo        the main job end to end on local defaults (local relay, samples/)
#   ./build.sh test        every test; ends with a line "N passed, N failed"
#   ./build.sh bench NAME  one benchmark (see docs/benchmarks.md)
#   ./build.sh setup       only install prerequisites (apt, npm, NuGet)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '==> %s\n' "$*" >&2; }

apt_ensure() { # package... : install the Debian packages that are missing
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  log "installing ${missing[*]} (apt)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

npm_ensure() { # dir : npm ci when node_modules is missing or older than the lockfile
  local dir=$1 stamp=$1/node_modules/.sovtraj-installed
  if [ ! -f "$stamp" ] || [ "$dir/package-lock.json" -nt "$stamp" ]; then
    log "npm ci in $dir"
    (cd "$dir" && npm_config_nodedir=/usr npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    touch "$stamp"
  fi
}

setup() {
  apt_ensure libsecp256k1-1
  command -v node >/dev/null || apt_ensure nodejs npm
  npm_ensure src/local-relay
  npm_ensure tests/peers
  log "dotnet restore"
  dotnet restore SovereignTrajectories.sln --verbosity quiet
}

run_tests() {
  setup
  [ "${SOVTRAJ_BROWSER_TESTS:-1}" = 1 ] && apt_ensure chromium
  local results=$ROOT/out/test-results
  rm -rf "$results"; mkdir -p "$results"
  log "dotnet build"
  dotnet build SovereignTrajectories.sln -c Release --no-restore --verbosity quiet -nologo
  log "dotnet test"
  local rc=0
  dotnet test SovereignTrajectories.sln -c Release --no-build --verbosity quiet -nologo \
    --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" || rc=$?
  # dotnet test prints no plain "N passed, N failed" line; sum the TRX counters into one.
  local passed=0 failed=0 skipped=0 files=0
  for f in "$results"/*.trx; do
    [ -e "$f" ] || continue
    files=$((files + 1))
    local counters; counters=$(grep -o '<Counters [^>]*>' "$f" | head -1)
    local p f2 t e
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f2=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
    t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
    passed=$((passed + ${p:-0})); failed=$((failed + ${f2:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
  done
  if [ "$files" -eq 0 ]; then
    echo "no test results were written" >&2
    echo "0 passed, 1 failed"
    return 1
  fi
  [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1 # the run failed outside any test (crash, build)
  echo "$passed passed, $failed failed, $skipped skipped"
  return "$rc"
}

demo() {
  setup
  log "dotnet build"
  dotnet build src/SovereignTrajectories.Cli -c Release --no-restore --verbosity quiet -nologo -o "$ROOT/out/cli"
  bash "$ROOT/.ci/demo.sh" "$ROOT/out/cli/sovtraj.dll"
}

bench() {
  setup
  dotnet run -c Release --project tests/SovereignTrajectories.Benchmarks -- "$@"
}

case "${1:-}" in
  demo) demo ;;
  test) run_tests ;;
  bench) shift; bench "$@" ;;
  setup) setup ;;
  *) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
