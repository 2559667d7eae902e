#!/usr/bin/env bash
# Installs (Debian's rabbitmq-server 3.10) and starts a local RabbitMQ broker when none answers, then makes sure the
# PrintFlow user exists. Safe to run again. Connection: amqp://printflow:printflow@localhost:5672/
set -euo pipefail

source "$(dirname "$0")/lib.sh"
need_root "install and start RabbitMQ"

if ! command -v rabbitmqctl >/dev/null 2>&1 && [ ! -x /usr/sbin/rabbitmqctl ]; then
  apt_install rabbitmq-server
fi
PATH="$PATH:/usr/sbin"

if ! "${as_root[@]}" rabbitmqctl -q status >/dev/null 2>&1; then
  echo "Starting RabbitMQ..."
  "${as_root[@]}" mkdir -p /var/log/rabbitmq /var/lib/rabbitmq
  "${as_root[@]}" chown -R rabbitmq:rabbitmq /var/log/rabbitmq /var/lib/rabbitmq 2>/dev/null || true
  # The packaged wrapper drops to the rabbitmq user; -detached returns once the Erlang VM is spawned.
  "${as_root[@]}" rabbitmq-server -detached
  for _ in $(seq 1 240); do
    "${as_root[@]}" rabbitmqctl -q await_startup >/dev/null 2>&1 && break
    sleep 0.5
  done
  "${as_root[@]}" rabbitmqctl -q await_startup
fi

# awk reads the whole list: grep -q would stop at the match and, with pipefail, rabbitmqctl's SIGPIPE would read as "absent".
if ! "${as_root[@]}" rabbitmqctl -q list_users | awk '$1 == "printflow" { found = 1 } END { exit !found }'; then
  "${as_root[@]}" rabbitmqctl -q add_user printflow printflow >/dev/null
  "${as_root[@]}" rabbitmqctl -q set_user_tags printflow administrator >/dev/null
  "${as_root[@]}" rabbitmqctl -q set_permissions -p / printflow '.*' '.*' '.*' >/dev/null
fi
echo "RabbitMQ is running: amqp://printflow:printflow@localhost:5672/"
