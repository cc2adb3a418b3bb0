#!/usr/bin/env bash
# `npm run test:compose`: the Docker stack for real, where a Docker engine exists. Builds and
# starts it, smoke-tests gRPC-Web through Envoy, scales the server to 3 and checks that calls
# spread, that a team written through one replica is read back on another and seen by a
# WatchTeams stream, then tears everything down with its volumes. Without an engine it says so and exits 0: the static
# checks (deploy/test/*.test.ts, run by `npm test`) cover what can be checked without one.
set -euo pipefail
cd "$(dirname "$0")/../.."

base_url="http://localhost:${TEAMS_HTTP_PORT:-8080}"
grpc_target="localhost:${TEAMS_GRPC_PORT:-50051}"
city="${TEST_COMPOSE_CITY:-Compose City $(date +%s)}"

if ! docker info >/dev/null 2>&1; then
  echo "test:compose: no Docker engine here ('docker info' failed): nothing started, nothing checked."
  echo "test:compose: envoy.yaml and docker-compose.yml are still checked statically by 'npm test'."
  exit 0
fi
if ! docker compose version >/dev/null 2>&1; then
  echo "test:compose: a Docker engine is here but not Docker Compose v2 ('docker compose'); install the compose plugin." >&2
  exit 1
fi

step() { printf '\n::: %s\n' "$*"; }

# PostgreSQL's password: from .env (not committed), made from the example on first use.
if [[ -z "${POSTGRES_PASSWORD:-}" && ! -f .env ]]; then
  sed "s/^POSTGRES_PASSWORD=.*/POSTGRES_PASSWORD=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')/" \
    deploy/compose.env.example >.env
  echo "test:compose: wrote .env from deploy/compose.env.example with a random password"
fi
# The development key pair (deploy/dev-jwks, mounted by the servers and Envoy) and a token.
TOKEN="$(npm run -s dev-token -w deploy)"
export TOKEN

teardown() {
  step "docker compose down -v"
  docker compose down -v
}
trap teardown EXIT

step "Envoy validates envoy.yaml itself"
docker compose run --rm --no-deps envoy envoy --mode validate -c /etc/envoy/envoy.yaml

step "docker compose up -d --build --wait"
docker compose up -d --build --wait

step "gRPC-Web through Envoy at $base_url"
node --import tsx deploy/scripts/smoke-stack.ts "$base_url"

# The browser test, when web/e2e has one that can target a running page: such a test reads
# the page's URL from E2E_BASE_URL (others start their own stack and would not test Envoy).
# SKIP_E2E=1 leaves it out.
mapfile -t e2e_tests < <(grep -l E2E_BASE_URL web/e2e/*.test.ts 2>/dev/null || true)
if [[ "${SKIP_E2E:-}" == 1 ]]; then
  echo "test:compose: SKIP_E2E=1: browser smoke test not run"
elif ((${#e2e_tests[@]} > 0)); then
  step "browser smoke test (web/e2e) against $base_url"
  E2E_BASE_URL="$base_url" node --import tsx --test "${e2e_tests[@]}"
else
  echo "test:compose: no web/e2e test reads E2E_BASE_URL; browser smoke test not run"
fi

step "docker compose up -d --scale server=3 --wait"
docker compose up -d --scale server=3 --wait

# Envoy adds new replicas at its next DNS refresh (5s) and its first health check passing, so
# call in rounds until the server logs show more than one replica answering.
step "calls spread over the replicas"
replicas=0
for round in 1 2 3 4 5 6 7 8 9 10; do
  node --import tsx deploy/scripts/smoke-stack.ts --calls 30 "$base_url"
  replicas=$(docker compose logs server | grep '/Teams/GetTeam' | cut -d'|' -f1 | sort -u | wc -l)
  echo "round $round: GetTeam calls logged by $replicas replica(s)"
  ((replicas > 1)) && break
  sleep 3
done
if ((replicas <= 1)); then
  echo "test:compose: FAIL: after scaling to 3, every call still went to one replica" >&2
  docker compose logs --tail 50 envoy >&2
  exit 1
fi
node --import tsx deploy/scripts/smoke-stack.ts "$base_url"

step "a team written through one replica, read on another, seen by WatchTeams ($city)"
node --import tsx deploy/scripts/check-replicas.ts "$grpc_target" "$city"
city_logs=$(docker compose logs server | grep -F "$city" || true)
replicas_logging() { grep "$1" <<<"$city_logs" | cut -d'|' -f1 | tr -d ' ' | sort -u; }
writer=$(replicas_logging /Teams/PutTeam | head -1)
readers=$(replicas_logging /Teams/GetTeam | grep -cvxF "${writer:-none}" || true)
if [[ -z "$writer" ]] || ((readers == 0)); then
  echo "test:compose: FAIL: no replica other than the writer (${writer:-none logged}) read $city back" >&2
  exit 1
fi
echo "written by $writer, read back by $readers other replica(s)"
echo "test:compose: passed (calls answered by $replicas replicas)"
