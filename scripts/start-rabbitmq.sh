#!/usr/bin/env bash
# Installs (Debian's rabbitmq-server 3.10) and starts a local RabbitMQ broker when none answers, then makes sure the
# PrintFlow user exists. Safe to run again. Connection: amqp://printflow:printflow@localhost:5672/
set -euo pipefail

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "Need root (or sudo) to install and start RabbitMQ" >&2; exit 1; }
  as_root=(sudo)
fi

if ! command -v rabbitmqctl >/dev/null 2>&1 && [ ! -x /usr/sbin/rabbitmqctl ]; then
  echo "Installing rabbitmq-server from Debian..."
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends rabbitmq-server >/dev/null
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

if ! "${as_root[@]}" rabbitmqctl -q list_users | grep -q '^printflow\b'; then
  "${as_root[@]}" rabbitmqctl -q add_user printflow printflow >/dev/null
  "${as_root[@]}" rabbitmqctl -q set_user_tags printflow administrator >/dev/null
  "${as_root[@]}" rabbitmqctl -q set_permissions -p / printflow '.*' '.*' '.*' >/dev/null
fi
echo "RabbitMQ is running: amqp://printflow:printflow@localhost:5672/"
