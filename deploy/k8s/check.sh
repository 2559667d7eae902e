#!/usr/bin/env bash
# Checks the Kubernetes manifests offline, with no cluster: renders every overlay (dev, staging, prod) with
# `kubectl kustomize`, validates every object against the Kubernetes, KEDA and Prometheus Operator schemas (the
# kubernetes-models npm packages, deploy/k8s/validate) and PrintFlow's rules: probes, limits, non-root, read-only root
# and a PDB for every Deployment; a scaler for every consumer queue of PrintFlowTopology; scale to zero only where
# safe; no secret value outside the dev overlay's dev-only files; the Ingress blocks /internal and /metrics; the
# NetworkPolicies allow the peer calls; the PrometheusRule generated from deploy/observability/rules and not stale.
# Installs kubectl (Debian) and the validator's npm packages when missing. One line per check, then
# "checks passed=N failed=N"; exits non-zero when any failed. ./test.sh runs it (KubernetesManifestTests).
#
#   deploy/k8s/check.sh
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$root/scripts/lib.sh" # apt_install
started=$(date +%s%N)

passed=0; failed=0
ok() { passed=$((passed + 1)); echo "  ok    $1"; }
fail() { failed=$((failed + 1)); echo "  FAIL  $1"; }
finish() {
  echo "checks passed=$passed failed=$failed ($(( ($(date +%s%N) - started) / 1000000 )) ms)"
  [ "$failed" -eq 0 ]
  exit
}

echo "== Tools"
# kustomize v4 or later (kubectl 1.21+) reads these overlays: directories in resources, patches with targets,
# components. Debian's own kubectl (package kubernetes-client, 1.20 in bookworm) embeds kustomize v2.0.3, which reads
# none of them, so a kubectl package of 1.21 or later comes first, then a standalone kustomize.
kustomize_major() { kubectl version --client 2>/dev/null | grep -o 'Kustomize Version: v[0-9]*' | grep -o '[0-9]*$'; }
render=()
if ! command -v kubectl >/dev/null 2>&1 && ! command -v kustomize >/dev/null 2>&1; then
  # The kubectl package where an apt source offers it (Kubernetes' own repository), else Debian's kubernetes-client.
  if apt-cache policy kubectl 2>/dev/null | grep -q 'Candidate: [0-9]'; then apt_install kubectl; else apt_install kubernetes-client; fi
fi
if command -v kubectl >/dev/null 2>&1 && [ "$(kustomize_major || echo 0)" -ge 4 ] 2>/dev/null; then
  render=(kubectl kustomize)
  ok "renderer: $(kubectl version --client 2>/dev/null | tr '\n' ' ' | sed 's/ *$//')"
elif command -v kustomize >/dev/null 2>&1; then
  render=(kustomize build)
  ok "renderer: kustomize $(kustomize version 2>/dev/null)"
else
  fail "renderer: kubectl $(kubectl version --client 2>/dev/null | grep -o 'v1\.[0-9]*' | head -1) embeds a kustomize older than v4 (kubectl 1.20 and before: v2.0.3), which cannot read these overlays; install kubectl 1.21 or later, or put a standalone kustomize on PATH"
  finish
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt_install nodejs npm
fi
# npm ci only when the packages were not installed from this very lock file (a copy is kept beside them).
if ! cmp -s "$here/validate/package-lock.json" "$here/validate/node_modules/.installed-lock.json" 2>/dev/null; then
  if (cd "$here/validate" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1 &&
      cp package-lock.json node_modules/.installed-lock.json); then
    ok "validator's packages installed (npm ci: kubernetes-models, @kubernetes-models/keda, @kubernetes-models/prometheus-operator, yaml)"
  else
    fail "npm ci in deploy/k8s/validate failed: run it there to see why"
    finish
  fi
else
  ok "validator's packages present, as locked"
fi

echo "== Generated files"
if diff -u "$here/base/prometheusrule.yaml" <("$here/generate-prometheusrule.sh" --stdout) > /dev/null; then
  ok "base/prometheusrule.yaml is what generate-prometheusrule.sh writes from deploy/observability/rules"
else
  fail "base/prometheusrule.yaml is stale: run deploy/k8s/generate-prometheusrule.sh"
fi

echo "== Rendering"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
inputs=()
for overlay in dev staging prod; do
  if "${render[@]}" "$here/overlays/$overlay" > "$out/$overlay.yaml" 2> "$out/$overlay.err"; then
    ok "$overlay renders ($(grep -c '^kind: ' "$out/$overlay.yaml") objects)"
    inputs+=("$overlay=$out/$overlay.yaml")
  else
    fail "$overlay does not render: $(head -c 600 "$out/$overlay.err")"
  fi
done
[ ${#inputs[@]} -gt 0 ] || finish

echo "== Validation"
node "$here/validate/validate.mjs" --repo "$root" "${inputs[@]}" > "$out/validate.log" 2>&1
status=$?
grep -v '^validation checks passed=' "$out/validate.log"
summary=$(grep '^validation checks passed=' "$out/validate.log")
if [ -n "$summary" ]; then
  passed=$((passed + $(sed 's/.*passed=\([0-9]*\).*/\1/' <<<"$summary")))
  failed=$((failed + $(sed 's/.*failed=\([0-9]*\).*/\1/' <<<"$summary")))
fi
if [ -z "$summary" ] || { [ "$status" -ne 0 ] && ! grep -q 'failed=[1-9]' <<<"$summary"; }; then
  fail "the validator stopped without a summary (exit $status)"
fi
finish
