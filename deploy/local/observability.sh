#!/usr/bin/env bash
# Prometheus and Alertmanager for the deployment, started by deploy/local/up.sh --observability once every instance is
# ready (not meant to be run by hand); down.sh stops them with the instances (they are recorded in .run/pids).
#
#   Prometheus   http://127.0.0.1:9090  scrapes every instance of .run/prometheus-targets.json (file_sd) with the
#                                       /metrics bearer token, evaluates deploy/observability/rules/*.yml
#   Alertmanager http://127.0.0.1:9093  routes as deploy/observability/alertmanager.yml to the on-call receiver built here
#
# Settings (environment, read when up.sh runs):
#   PRINTFLOW_ONCALL_EMAIL      on-call address(es), comma-separated: alerts are emailed through the SMTP server of
#                               Notifications__Smtp__Host/Port/Security/UserName/Password, from Notifications__From
#   PRINTFLOW_ONCALL_WEBHOOK    URL that receives Alertmanager's JSON (firing and resolved) by POST
#   PRINTFLOW_PROMETHEUS_PORT, PRINTFLOW_ALERTMANAGER_PORT   9090 and 9093 unless set
# For tests only (the committed rules and routing stay as they are):
#   PRINTFLOW_OBSERVABILITY_INTERVAL  scrape and rule-evaluation interval (15s)
#   PRINTFLOW_ALERT_FOR               every rule's `for:` replaced by this in the copy Prometheus loads
#   PRINTFLOW_ALERT_GROUP_WAIT, PRINTFLOW_ALERT_GROUP_INTERVAL   Alertmanager's group_wait (30s), group_interval (5m)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
run="$here/.run"
source "$here/lib.sh"
source "$root/scripts/lib.sh"

obs="$run/observability"
templates="$root/deploy/observability"
prometheus_port=${PRINTFLOW_PROMETHEUS_PORT:-9090}
alertmanager_port=${PRINTFLOW_ALERTMANAGER_PORT:-9093}

command -v prometheus >/dev/null 2>&1 || apt_install prometheus
command -v prometheus-alertmanager >/dev/null 2>&1 || apt_install prometheus-alertmanager

for p in "$prometheus_port" "$alertmanager_port"; do
  if port_taken "$p"; then
    holder=$(port_holder "$p")
    echo "Port $p (Prometheus/Alertmanager) is already in use${holder:+ by $holder}: stop it, or choose others with PRINTFLOW_PROMETHEUS_PORT and PRINTFLOW_ALERTMANAGER_PORT." >&2
    exit 1
  fi
done

# yaml_quote VALUE: VALUE as a single-quoted YAML scalar (settings may hold any character).
yaml_quote() { printf "'%s'" "${1//\'/\'\'}"; }

# A fresh deployment starts with no history, silences or notification log (a test repeating itself is told again).
[ "${PRINTFLOW_FRESH:-0}" = 1 ] && rm -rf "$obs"
mkdir -p "$obs/rules" "$obs/secrets" "$obs/targets" "$obs/prometheus-data" "$obs/alertmanager-data"
chmod 700 "$obs/secrets"

# Prometheus: the committed config and rules, laid out as prometheus-services.yml expects.
install -m 600 "$run/secrets/metrics-token" "$obs/secrets/metrics-token"
ln -sfn ../../prometheus-targets.json "$obs/targets/printflow.json"
rm -f "$obs"/rules/*.yml
cp "$templates"/rules/*.yml "$obs/rules/"
if [ -n "${PRINTFLOW_ALERT_FOR:-}" ]; then
  sed -i -E "s/^([[:space:]]+)for: .*/\1for: $PRINTFLOW_ALERT_FOR/" "$obs"/rules/*.yml
fi
interval=${PRINTFLOW_OBSERVABILITY_INTERVAL:-15s}
sed -e "s/^\(  scrape_interval:\).*/\1 $interval/" -e "s/^\(  evaluation_interval:\).*/\1 $interval/" \
    -e "s/127\.0\.0\.1:9093/127.0.0.1:$alertmanager_port/" \
    "$templates/prometheus-services.yml" > "$obs/prometheus.yml"
promtool check config "$obs/prometheus.yml" >/dev/null 2>"$obs/promtool.log" || { cat "$obs/promtool.log" >&2; exit 1; }

# Alertmanager: the committed routing, with the on-call receiver built from the settings.
email=${PRINTFLOW_ONCALL_EMAIL:-}
webhook=${PRINTFLOW_ONCALL_WEBHOOK:-}
if [ -n "$email" ] && [ -z "${Notifications__Smtp__Host:-}" ]; then
  echo "PRINTFLOW_ONCALL_EMAIL is set but no SMTP server: export Notifications__Smtp__Host (and __Port, __Security, __UserName, __Password) as for Notifications (docs/notifications.md)." >&2
  exit 1
fi
(
  umask 077
  sed -e '/^receivers:/,$d' \
      -e "s/^\(  group_wait:\).*/\1 ${PRINTFLOW_ALERT_GROUP_WAIT:-30s}/" \
      -e "s/^\(  group_interval:\).*/\1 ${PRINTFLOW_ALERT_GROUP_INTERVAL:-5m}/" \
      "$templates/alertmanager.yml"
  echo "receivers:"
  echo "  - name: on-call"
  if [ -n "$email" ]; then
    smtp_port=${Notifications__Smtp__Port:-587}
    # Alertmanager speaks TLS at once on port 465 and otherwise asks for STARTTLS unless told it is not required.
    require_tls=true
    [ "${Notifications__Smtp__Security:-StartTls}" = None ] && require_tls=false
    echo "    email_configs:"
    echo "      - to: $(yaml_quote "$email")"
    echo "        from: $(yaml_quote "${Notifications__From:-PrintFlow <orders@printflow.local>}")"
    echo "        smarthost: $(yaml_quote "$Notifications__Smtp__Host:$smtp_port")"
    echo "        require_tls: $require_tls"
    if [ -n "${Notifications__Smtp__UserName:-}" ]; then
      echo "        auth_username: $(yaml_quote "$Notifications__Smtp__UserName")"
      echo "        auth_password: $(yaml_quote "${Notifications__Smtp__Password:-}")"
    fi
    echo "        send_resolved: true"
  fi
  if [ -n "$webhook" ]; then
    echo "    webhook_configs:"
    echo "      - url: $(yaml_quote "$webhook")"
    echo "        send_resolved: true"
  fi
) > "$obs/alertmanager.yml"
amtool check-config "$obs/alertmanager.yml" > "$obs/amtool.log" 2>&1 || { cat "$obs/amtool.log" >&2; exit 1; }

# Loopback only, like the instances: nginx does not proxy these pages.
(
  exec setsid prometheus --config.file="$obs/prometheus.yml" --storage.tsdb.path="$obs/prometheus-data" \
    --storage.tsdb.retention.time=15d --web.listen-address="127.0.0.1:$prometheus_port" --log.level=warn \
    >>"$run/logs/prometheus.log" 2>&1
) &
echo "prometheus $! $prometheus_port" >> "$run/pids"
(
  # No cluster: one Alertmanager (--cluster.listen-address= turns gossip off).
  exec setsid prometheus-alertmanager --config.file="$obs/alertmanager.yml" --storage.path="$obs/alertmanager-data" \
    --web.listen-address="127.0.0.1:$alertmanager_port" --web.external-url="http://127.0.0.1:$alertmanager_port" \
    --cluster.listen-address= --log.level=warn >>"$run/logs/alertmanager.log" 2>&1
) &
echo "alertmanager $! $alertmanager_port" >> "$run/pids"

for p in "$prometheus_port" "$alertmanager_port"; do
  deadline=$(( $(date +%s) + 60 ))
  until curl -fsS "http://127.0.0.1:$p/-/ready" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "Port $p did not answer /-/ready within 60 s; see deploy/local/.run/logs/prometheus.log and alertmanager.log" >&2; exit 1; }
    sleep 0.5
  done
done
echo "  Prometheus on http://127.0.0.1:$prometheus_port, Alertmanager on http://127.0.0.1:$alertmanager_port"
receivers=()
[ -n "$email" ] && receivers+=("email to $email")
[ -n "$webhook" ] && receivers+=("webhook $webhook")
if [ ${#receivers[@]} -eq 0 ]; then
  echo "  No on-call receiver configured (PRINTFLOW_ONCALL_EMAIL, PRINTFLOW_ONCALL_WEBHOOK): alerts show only on Alertmanager's page." >&2
else
  echo "  Alerts go to: $(IFS=';'; echo "${receivers[*]}" | sed 's/;/, /g')"
fi
