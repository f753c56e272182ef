#!/usr/bin/env bash
# The long form of the money-invariant chaos suite (docs/CHAOS.md): 1000 orders over all three gateways, 10 kill -9s
# of Tijori, 48 concurrent buyers, gateway and webhook faults throughout. Takes roughly 15-25 minutes on 2 cores.
# Usage: bench/chaos-long.sh [seed]        (a failing run prints its seed and the exact command to replay it)
set -euo pipefail
cd "$(dirname "$0")/.."
SEED_ARG=()
if [[ $# -ge 1 ]]; then SEED_ARG=("-Dchaos.seed=$1"); fi
./mvnw -B test -Dtest=MoneyInvariantsChaosTests -Dsurefire.failIfNoSpecifiedTests=false \
  -Dchaos.orders="${CHAOS_ORDERS:-1000}" -Dchaos.crashes="${CHAOS_CRASHES:-10}" -Dchaos.buyers="${CHAOS_BUYERS:-48}" \
  -Dchaos.settle-seconds="${CHAOS_SETTLE_SECONDS:-120}" "${SEED_ARG[@]}"
