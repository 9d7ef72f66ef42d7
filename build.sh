#!/usr/bin/env bash
# Builds and tests IchFunctions. Run './build.sh help' for the commands.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ARTIFACTS="$REPO_ROOT/.artifacts"
RUN_DIR="$ARTIFACTS/run-$$"
# Debian's interpreter, which the apt packages (PyTorch, pydicom, nibabel, pytest) install into.
PYTHON=/usr/bin/python3

log() { printf '[build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fail() { log "error: $*"; exit 1; }

source "$REPO_ROOT/tools/install-deps.sh"
source "$REPO_ROOT/tools/servers.sh"
source "$REPO_ROOT/tools/bicep.sh"

usage() {
  cat <<'USAGE'
Usage: ./build.sh <command>

  test      Install missing dependencies, build, start Azurite and Orthanc on free
            ports of 127.0.0.1, run every xunit project and pytest, stop the servers,
            print a summary. Exits non-zero on any failure.
  build     Restore and build the solution.
  infra     Build and lint every Bicep file under infra/ (Bicep CLI from NuGet, offline).
  install   Install missing apt and npm packages only.
  servers   Start Azurite and Orthanc, print the environment variables the tests read,
            and keep them running until Ctrl-C (for running single tests from an IDE).
  help      Show this text.

Environment:
  ICH_TEST_DATA_DIR   DICOM test data folder (default: ../shared/data/dicom beside the checkout).
  ICH_TEST_FILTER     Passed to 'dotnet test --filter' to run a subset of the .NET tests.
USAGE
}

CHILD_PID=""

# Runs a long command in its own process group and waits for it, so that a signal to this
# script is handled at once and cleanup can stop the command together with its children.
run_child() {
  setsid "$@" &
  CHILD_PID=$!
  local status=0
  wait "$CHILD_PID" || status=$?
  CHILD_PID=""
  return "$status"
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$CHILD_PID" ]]; then
    kill -TERM -- "-$CHILD_PID" 2>/dev/null || true
  fi
  stop_servers
  rm -rf "$RUN_DIR"
  exit "$status"
}

on_signal() {
  log "interrupted"
  exit 130
}

prepare_run_dir() {
  mkdir -p "$RUN_DIR"
  trap cleanup EXIT
  trap on_signal INT TERM
}

build_solution() {
  log "dotnet build (Release)"
  run_child dotnet build "$REPO_ROOT/IchFunctions.sln" -c Release --nologo -v quiet -clp:ErrorsOnly
}

run_dotnet_tests() {
  local results="$1"
  local filter=()
  if [[ -n "${ICH_TEST_FILTER:-}" ]]; then filter=(--filter "$ICH_TEST_FILTER"); fi
  log "dotnet test"
  run_child dotnet test "$REPO_ROOT/IchFunctions.sln" -c Release --no-build --nologo \
    --results-directory "$results" --logger "trx" --logger "console;verbosity=minimal" "${filter[@]}"
}

run_pytest() {
  local results="$1"
  log "pytest"
  PYTHONPATH="$REPO_ROOT/training${PYTHONPATH:+:$PYTHONPATH}" \
    run_child "$PYTHON" -m pytest "$REPO_ROOT/tests/training" -q -p no:cacheprovider --junitxml="$results/pytest.xml"
}

command_test() {
  local started=$SECONDS
  install_dependencies
  prepare_run_dir
  build_solution
  check_infra
  start_servers

  local results="$ARTIFACTS/test-results"
  rm -rf "$results"
  mkdir -p "$results"

  local dotnet_status=0 pytest_status=0
  run_dotnet_tests "$results" || dotnet_status=$?
  run_pytest "$results" || pytest_status=$?

  "$PYTHON" "$REPO_ROOT/tools/test-summary.py" "$results" || true
  log "wall time $((SECONDS - started)) s"
  if ((dotnet_status != 0 || pytest_status != 0)); then
    fail "tests failed (dotnet test exit $dotnet_status, pytest exit $pytest_status)"
  fi
}

command_servers() {
  install_dependencies
  prepare_run_dir
  start_servers
  cat <<VARS
export ICH_AZURITE_CONNECTION_STRING='$ICH_AZURITE_CONNECTION_STRING'
export ICH_ORTHANC_URL='$ICH_ORTHANC_URL'
export ICH_DICOMWEB_URL='$ICH_DICOMWEB_URL'
VARS
  log "servers running; press Ctrl-C to stop them"
  run_child sleep infinity
}

case "${1:-help}" in
  test) command_test ;;
  build) build_solution ;;
  infra) check_infra ;;
  install) install_dependencies ;;
  servers) command_servers ;;
  help | -h | --help) usage ;;
  *) usage >&2; fail "unknown command '$1'" ;;
esac
