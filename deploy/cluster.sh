#!/usr/bin/env bash
# Starts or stops a local Parley cluster: N nodes (default 3) on PostgreSQL and Redis, behind nginx.
#
#   deploy/cluster.sh start   # nginx on http://127.0.0.1:8080/, nodes on 8081, 8082, 8083
#   deploy/cluster.sh stop
#
# Environment: PARLEY_DB (default jdbc:postgresql://127.0.0.1:5432/parley?user=postgres; the database
# is created if missing), PARLEY_REDIS (default redis://127.0.0.1:6379), NODES (3), PORT (8080),
# RUN_DIR (target/cluster). Needs target/parley.jar (mvn package) and nginx (apt-get install nginx).
set -euo pipefail
cd "$(dirname "$0")/.."

NODES=${NODES:-3}
PORT=${PORT:-8080}
RUN_DIR=$(mkdir -p "${RUN_DIR:-target/cluster}" && cd "${RUN_DIR:-target/cluster}" && pwd)
DB=${PARLEY_DB:-jdbc:postgresql://127.0.0.1:5432/parley?user=postgres}
REDIS=${PARLEY_REDIS:-redis://127.0.0.1:6379}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}

start() {
  [ -f target/parley.jar ] || { echo "target/parley.jar is missing: run mvn -q -B package -DskipTests" >&2; exit 1; }
  [ -x "$NGINX" ] || { echo "nginx is missing: apt-get install nginx" >&2; exit 1; }
  create_database
  local upstreams=""
  for i in $(seq 1 "$NODES"); do
    local port=$((PORT + i))
    java -jar target/parley.jar --host 127.0.0.1 --port "$port" --db "$DB" --redis "$REDIS" \
      >"$RUN_DIR/node$i.log" 2>&1 &
    echo $! >"$RUN_DIR/node$i.pid"
    upstreams+="    server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"$'\n'
  done
  for i in $(seq 1 "$NODES"); do
    wait_ready $((PORT + i)) "$RUN_DIR/node$i.log"
  done
  mkdir -p "$RUN_DIR"/{body,proxy,fastcgi,uwsgi,scgi}
  sed -e "s#__RUN__#$RUN_DIR#g" -e "s#__LISTEN_PORT__#$PORT#g" deploy/nginx.conf \
    | awk -v ups="$upstreams" '{ if ($0 == "__UPSTREAMS__") printf "%s", ups; else print }' >"$RUN_DIR/nginx.conf"
  "$NGINX" -c "$RUN_DIR/nginx.conf" -p "$RUN_DIR"
  echo "Parley cluster: $NODES nodes behind http://127.0.0.1:$PORT/ (logs in $RUN_DIR)"
}

create_database() {
  local name=${DB#*://*/}; name=${name%%\?*}
  if command -v psql >/dev/null && ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$name'" | grep -q 1; then
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE $name" >/dev/null
  fi
}

wait_ready() {
  local port=$1 log=$2
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "node on port $port did not become ready; its log:" >&2
  cat "$log" >&2
  exit 1
}

stop() {
  if [ -f "$RUN_DIR/nginx.pid" ]; then
    "$NGINX" -c "$RUN_DIR/nginx.conf" -p "$RUN_DIR" -s quit 2>/dev/null || kill "$(cat "$RUN_DIR/nginx.pid")" 2>/dev/null || true
  fi
  for pidfile in "$RUN_DIR"/node*.pid; do
    [ -f "$pidfile" ] || continue
    kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
  echo "Parley cluster stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
