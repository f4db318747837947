#!/usr/bin/env bash
# The message brokers event sources read from, on a machine without systemd:
# RabbitMQ (127.0.0.1:5672, guest/guest) and NATS with JetStream (127.0.0.1:4222).
#   scripts/brokers.sh ensure            install (Debian packages) and start what is not running
#   scripts/brokers.sh restart-rabbitmq  stop the RabbitMQ node (its beam.smp process ends) and start a new one (every connection drops; durable queues stay)
#   scripts/brokers.sh restart-nats      stop and start nats-server (JetStream data stays in its store dir)
#   scripts/brokers.sh rabbitmq-policy <name> <queue pattern> <json>   set a RabbitMQ policy on queues (tests: a queue that refuses what is published to it)
#   scripts/brokers.sh rabbitmq-clear-policy <name>
#   scripts/brokers.sh rabbitmq-add-user <name> <password>   a RabbitMQ user with every permission on vhost / (tests: a publisher that logs in as itself and sets user_id)
#   scripts/brokers.sh rabbitmq-delete-user <name>
set -euo pipefail

NATS_STORE="${NATS_STORE_DIR:-/var/lib/nats-server}"
NATS_LOG="${NATS_LOG_FILE:-/var/log/nats-server.log}"

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for() { for _ in $(seq 1 "${3:-60}"); do answers "$1" && return 0; sleep 0.5; done; echo "$2 does not answer on 127.0.0.1:$1" >&2; return 1; }
wait_gone() { for _ in $(seq 1 "${2:-40}"); do answers "$1" || return 0; sleep 0.25; done; echo "something still answers on 127.0.0.1:$1" >&2; return 1; }
# Whether a process is there, as any user can tell (kill -0 fails on another user's process).
alive() { [ -d "/proc/$1" ]; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_missing() {
  local missing=()
  command -v rabbitmq-server >/dev/null || missing+=(rabbitmq-server)
  command -v nats-server >/dev/null || missing+=(nats-server)
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing ${missing[*]} from Debian's packages"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

start_rabbitmq() {
  answers 5672 && return 0
  if [ ! -f /etc/rabbitmq/rabbitmq.conf ] || ! grep -q '^listeners.tcp' /etc/rabbitmq/rabbitmq.conf; then
    echo 'listeners.tcp.local = 127.0.0.1:5672' | as_root tee -a /etc/rabbitmq/rabbitmq.conf >/dev/null
  fi
  if as_root rabbitmqctl ping >/dev/null 2>&1; then
    as_root rabbitmqctl start_app >/dev/null   # the node runs with its application stopped
  else
    as_root /etc/init.d/rabbitmq-server start >/dev/null || as_root rabbitmq-server -detached
  fi
  wait_for 5672 RabbitMQ 240
}

# The broker process itself (beam.smp listening on 5672), not a rabbitmqctl that happens to run.
rabbitmq_pid() { ss -ltnpH 'sport = :5672' 2>/dev/null | sed -nE 's/.*"beam\.smp",pid=([0-9]+).*/\1/p' | head -1; }

# A real process restart: `rabbitmqctl stop` ends the node (stop_app would leave
# the Erlang VM running), then start_rabbitmq starts a new one as `ensure` does
# (the init script, else rabbitmq-server -detached, which runs it as the
# rabbitmq user when called as root) and waits until it answers on 5672.
restart_rabbitmq() {
  local pid
  pid="$(rabbitmq_pid || true)"
  if ! as_root rabbitmqctl stop >/dev/null 2>&1 && [ -n "$pid" ]; then
    as_root kill -TERM "$pid"   # the node did not take the stop command: end the process
  fi
  wait_gone 5672 240
  if [ -n "$pid" ]; then
    for _ in $(seq 1 240); do alive "$pid" || break; sleep 0.25; done
    if alive "$pid"; then echo "RabbitMQ (pid $pid) did not stop" >&2; return 1; fi
  fi
  start_rabbitmq
}

nats_pid() { ss -ltnpH 'sport = :4222' 2>/dev/null | sed -nE 's/.*nats-server",pid=([0-9]+).*/\1/p' | head -1; }

start_nats() {
  answers 4222 && return 0
  as_root mkdir -p "$NATS_STORE"
  as_root setsid nohup nats-server -a 127.0.0.1 -p 4222 -js -sd "$NATS_STORE" -l "$NATS_LOG" >/dev/null 2>&1 &
  wait_for 4222 NATS
}

case "${1:-ensure}" in
  ensure)
    install_missing
    start_rabbitmq
    start_nats
    echo "RabbitMQ on 127.0.0.1:5672, NATS JetStream on 127.0.0.1:4222"
    ;;
  restart-rabbitmq)
    restart_rabbitmq
    ;;
  restart-nats)
    pid="$(nats_pid)"
    if [ -n "$pid" ]; then
      as_root kill -TERM "$pid"
      wait_gone 4222
      for _ in $(seq 1 40); do alive "$pid" || break; sleep 0.25; done
    fi
    start_nats
    ;;
  rabbitmq-policy)
    as_root rabbitmqctl set_policy --apply-to queues "${2:?policy name}" "${3:?queue pattern}" "${4:?policy JSON}" >/dev/null
    ;;
  rabbitmq-clear-policy)
    as_root rabbitmqctl clear_policy "${2:?policy name}" >/dev/null
    ;;
  rabbitmq-add-user)
    # Made again with the same password when it exists (a run that stopped before deleting it).
    as_root rabbitmqctl add_user "${2:?user name}" "${3:?password}" >/dev/null 2>&1 || as_root rabbitmqctl change_password "$2" "$3" >/dev/null
    as_root rabbitmqctl set_permissions -p / "$2" '.*' '.*' '.*' >/dev/null
    ;;
  rabbitmq-delete-user)
    as_root rabbitmqctl delete_user "${2:?user name}" >/dev/null
    ;;
  *)
    echo "usage: $0 ensure|restart-rabbitmq|restart-nats|rabbitmq-policy <name> <pattern> <json>|rabbitmq-clear-policy <name>|rabbitmq-add-user <name> <password>|rabbitmq-delete-user <name>" >&2
    exit 2
    ;;
esac
