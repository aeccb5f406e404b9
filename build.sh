#!/usr/bin/env bash
# SovereignTrajectories build entry point. Installs what it needs on a fresh Debian machine.
#   ./build.sh demo        the main job end to end on local defaults (local relay, samples/)
#   ./build.sh test        every test; ends with a line "N passed, N failed"
#   ./build.sh bench NAME  one benchmark (see docs/benchmarks.md)
#   ./build.sh setup       only install prerequisites (apt, npm, NuGet)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD
WORKER_PID=""
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

start_relay() { # starts the local relay as a coprocess; sets RELAY_URL. It exits when this script does.
  coproc RELAY { RELAY_EXIT_ON_STDIN_CLOSE=1 exec node "$ROOT/src/local-relay/relay.mjs" 2>"$WORK/relay.log"; }
  local line=""
  if ! read -r -t 30 line <&"${RELAY[0]}" || [[ "$line" != "RELAY READY "* ]]; then
    echo "local relay did not start; its log:" >&2; cat "$WORK/relay.log" >&2; exit 2
  fi
  RELAY_URL=${line#RELAY READY }
}

json_field() { # file field : a top-level number from sovtraj status --json
  sed -n "s/^ *\"$2\": \([0-9]*\),*$/\1/p" "$1" | head -n 1
}

publish_cli() { # sovtraj as it ships, into out/cli: ReadyToRun (precompiled, so no JIT on start or on a long verify)
  local rid=""
  case "$(uname -m)" in x86_64) rid=linux-x64 ;; aarch64 | arm64) rid=linux-arm64 ;; esac
  if [ -z "$rid" ]; then
    log "dotnet build (sovtraj; no ReadyToRun for $(uname -m))"
    dotnet build src/SovereignTrajectories.Cli -c Release --no-restore --verbosity quiet -nologo -o "$ROOT/out/cli"
    return
  fi
  log "dotnet publish (sovtraj, ReadyToRun for $rid)"
  # Its own artifacts folder: a RID-specific restore must not rewrite the solution's obj/ that the tests build from.
  dotnet publish src/SovereignTrajectories.Cli -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
    --artifacts-path "$ROOT/out/publish" --verbosity quiet -nologo -o "$ROOT/out/cli"
}

demo() {
  setup
  publish_cli
  local sovtraj=(dotnet "$ROOT/out/cli/sovtraj.dll")
  WORK=$(mktemp -d)
  trap 'if [ -n "$WORKER_PID" ]; then kill "$WORKER_PID" 2>/dev/null || true; fi; rm -rf "$WORK"' EXIT
  start_relay
  log "local relay at $RELAY_URL"
  "${sovtraj[@]}" keygen --out "$WORK/agent.nsec" >/dev/null
  local pubkey; pubkey=$("${sovtraj[@]}" key show --key "$WORK/agent.nsec" | tail -n 1)
  log "agent key npub $("${sovtraj[@]}" key show --key "$WORK/agent.nsec" | head -n 1) (temporary file, mode 0600)"

  # The worker as an agent host would run it: spool intake, durable outbox, delivery, archive.
  local data=$WORK/data
  export SovereignTrajectories__DataDirectory=$data SovereignTrajectories__Relays__0=$RELAY_URL \
    SovereignTrajectories__Key__File=$WORK/agent.nsec SovereignTrajectories__Intake__Http__Url=http://127.0.0.1:0
  "${sovtraj[@]}" worker >"$WORK/worker.log" 2>&1 &
  WORKER_PID=$!
  local runs=("$ROOT"/samples/*/*)
  mkdir -p "$data/spool/inbox"
  log "dropping ${#runs[@]} sample runs (every ingest format) into the worker's spool"
  for run in "${runs[@]}"; do # written as .part, then renamed: the spool takes only complete files
    cp "$run" "$data/spool/inbox/$(basename "$run").part" && mv "$data/spool/inbox/$(basename "$run").part" "$data/spool/inbox/$(basename "$run")"
  done
  log "waiting until every run is published (quorum reached on every event)"
  local deadline=$((SECONDS + 150)) depth pending published
  while :; do
    kill -0 "$WORKER_PID" 2>/dev/null || { echo "the worker stopped; its log:" >&2; tail -n 30 "$WORK/worker.log" >&2; exit 2; }
    if [ -z "$(ls -A "$data/spool/inbox")" ] && "${sovtraj[@]}" status --json --outbox "$data/outbox.db" >"$WORK/status.json" 2>/dev/null; then
      depth=$(json_field "$WORK/status.json" depth); pending=$(json_field "$WORK/status.json" sessions_pending)
      published=$(json_field "$WORK/status.json" sessions_published)
      [ "${depth:-1}" = 0 ] && [ "${pending:-1}" = 0 ] && [ "${published:-0}" -gt 0 ] && break
    fi
    [ "$SECONDS" -lt "$deadline" ] || { echo "runs not published in time; worker log:" >&2; tail -n 30 "$WORK/worker.log" >&2; exit 1; }
    sleep 1
  done
  kill -TERM "$WORKER_PID"; wait "$WORKER_PID" 2>/dev/null || true; WORKER_PID=""
  log "$published sessions published; $(ls "$data/spool/failed" | grep -vc '\.error\.txt$') spool files failed; worker stopped"

  log "verifying each session from the relay (signatures, hashes, links, replay)"
  rm -rf "$ROOT/out/demo"; mkdir -p "$ROOT/out/demo"
  local failed=0 n=0 sid verdict
  printf '\n%-4s %-40s %s\n' "#" "session" "verdict"
  for dir in "$data"/sessions/*/; do
    sid=$(basename "$dir"); n=$((n + 1))
    if "${sovtraj[@]}" verify "39230:$pubkey:$sid" --relay "$RELAY_URL" --html "$ROOT/out/demo/$sid.html" \
        >"$ROOT/out/demo/$sid.txt" 2>"$WORK/verify-$n.err"; then
      verdict=$(tail -n 1 "$ROOT/out/demo/$sid.txt")
    else
      failed=$((failed + 1)); verdict="FAILED: $(tail -n 1 "$ROOT/out/demo/$sid.txt") $(tail -n 1 "$WORK/verify-$n.err")"
    fi
    printf '%-4s %-40s %s\n' "$n" "${sid:0:40}" "$verdict"
  done
  echo
  echo "$n sessions published by the worker to $RELAY_URL and verified: $((n - failed)) passed, $failed failed (reports in out/demo/)"
  [ "$n" -gt 0 ] && [ "$failed" -eq 0 ]
}

bench() {
  setup
  publish_cli
  # The offline verify benchmark runs the published tool itself (SOVTRAJ_CLI) as its child process.
  SOVTRAJ_CLI="$ROOT/out/cli/sovtraj.dll" dotnet run -c Release --project tests/SovereignTrajectories.Benchmarks -- "$@"
}

case "${1:-}" in
  demo) demo ;;
  test) run_tests ;;
  bench) shift; bench "$@" ;;
  setup) setup ;;
  *) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
