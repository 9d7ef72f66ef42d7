# Starts and stops the servers the tests use: Azurite and Orthanc with its DICOMweb plugin.
# Both listen on free ports and are reached only through 127.0.0.1. Sourced by build.sh;
# expects REPO_ROOT, RUN_DIR and the log helpers.

SERVER_PIDS=()

# Prints a TCP port that was free on 127.0.0.1 a moment ago.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Waits until a command succeeds, failing with the server's log after a timeout in seconds.
wait_until() {
  local name="$1" timeout="$2" logfile="$3"
  shift 3
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      fail "$name did not become ready within ${timeout}s; last lines of $logfile:"$'\n'"$(tail -n 20 "$logfile")"
    fi
    sleep 0.3
  done
}

start_azurite() {
  local blob_port queue_port table_port
  blob_port=$(free_port); queue_port=$(free_port); table_port=$(free_port)
  local data="$RUN_DIR/azurite"
  mkdir -p "$data"
  setsid "$REPO_ROOT/tests/node/node_modules/.bin/azurite" --silent --skipApiVersionCheck --disableProductStyleUrl \
    --location "$data" \
    --blobHost 127.0.0.1 --blobPort "$blob_port" \
    --queueHost 127.0.0.1 --queuePort "$queue_port" \
    --tableHost 127.0.0.1 --tablePort "$table_port" >"$RUN_DIR/azurite.log" 2>&1 &
  SERVER_PIDS+=("$!")
  echo "$!" >>"$RUN_DIR/server.pids"

  # The account name and key are Azurite's fixed, publicly documented development credentials.
  local account=devstoreaccount1
  local key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
  export ICH_AZURITE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob_port/$account;QueueEndpoint=http://127.0.0.1:$queue_port/$account;TableEndpoint=http://127.0.0.1:$table_port/$account;"
  wait_until Azurite 60 "$RUN_DIR/azurite.log" curl -s -o /dev/null "http://127.0.0.1:$table_port/$account"
  wait_until Azurite 60 "$RUN_DIR/azurite.log" curl -s -o /dev/null "http://127.0.0.1:$blob_port/$account"
  wait_until Azurite 60 "$RUN_DIR/azurite.log" curl -s -o /dev/null "http://127.0.0.1:$queue_port/$account"
  log "Azurite (pid ${SERVER_PIDS[-1]}): blob $blob_port, queue $queue_port, table $table_port on 127.0.0.1"
}

start_orthanc() {
  export ICH_ORTHANC_STORAGE="$RUN_DIR/orthanc"
  export ICH_ORTHANC_HTTP_PORT
  ICH_ORTHANC_HTTP_PORT=$(free_port)
  mkdir -p "$ICH_ORTHANC_STORAGE"
  # NOTE: Orthanc 1.10 has no bind-address option, so it listens on all interfaces. With
  # RemoteAccessAllowed false it rejects every request that does not come from the loopback interface.
  setsid Orthanc "$REPO_ROOT/tests/servers/orthanc.json" >"$RUN_DIR/orthanc.log" 2>&1 &
  SERVER_PIDS+=("$!")
  echo "$!" >>"$RUN_DIR/server.pids"

  export ICH_ORTHANC_URL="http://127.0.0.1:$ICH_ORTHANC_HTTP_PORT"
  export ICH_DICOMWEB_URL="$ICH_ORTHANC_URL/dicom-web"
  wait_until Orthanc 60 "$RUN_DIR/orthanc.log" curl -sf "$ICH_DICOMWEB_URL/studies"
  log "Orthanc (pid ${SERVER_PIDS[-1]}): DICOMweb at $ICH_DICOMWEB_URL"
}

# Stops every server this run started: SIGTERM, then SIGKILL after 3 s for any still running.
# Azurite waits for idle keep-alive connections before it exits, and its data is throw-away.
stop_servers() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  local deadline=$((SECONDS + 3))
  for pid in "${SERVER_PIDS[@]}"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  if ((${#SERVER_PIDS[@]} > 0)); then
    log "stopped servers (pids ${SERVER_PIDS[*]})"
  fi
  SERVER_PIDS=()
  rm -f "$RUN_DIR/server.pids"
}

# Stops servers left by an earlier run of this checkout that was killed before it could clean up.
stop_stale_servers() {
  local pidfile
  for pidfile in "$REPO_ROOT"/.artifacts/run-*/server.pids; do
    [[ -f "$pidfile" ]] || continue
    local pid
    while read -r pid; do
      if [[ "$(ps -o comm= -p "$pid" 2>/dev/null)" =~ ^(node|Orthanc)$ ]]; then
        log "stopping server pid $pid left by an earlier run"
        kill -KILL "$pid" 2>/dev/null || true
      fi
    done <"$pidfile"
    rm -f "$pidfile"
  done
}

start_servers() {
  stop_stale_servers
  start_azurite
  start_orthanc
}
