#!/usr/bin/env bash
# The broker's own CPU cost per persistent message on this machine, at its best (pipelined confirms, acks in groups
# of 100), through a quorum queue (what PrintFlow uses) and a classic queue (the peer), measured from beam.smp's
# /proc times. Installs and starts RabbitMQ when none runs. Ends with:
#   broker_us_per_message quorum=X classic=Y ratio=Z orders_per_broker_core=N (at 12 quorum deliveries per order) client_us_per_message=C
# (C: the benchmark's own .NET client CPU per message, publishing and consuming it at its best)
#
#   bench/broker.sh [--messages 40000] [--size 1024] [--ack-every 100] [--confirm-window 500]
# (--ack-every 1: each message acked on its own, as PrintFlow's consumers do; --confirm-window 1: one publish at a time)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/start-rabbitmq.sh" >/dev/null
dotnet publish "$root/bench/PrintFlow.Bench.Broker/PrintFlow.Bench.Broker.csproj" -c Release -o "$root/artifacts/bench/broker" \
  -nologo -v q -clp:ErrorsOnly >/dev/null
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
"$root/artifacts/bench/broker/printflow-broker-bench" "$@"
