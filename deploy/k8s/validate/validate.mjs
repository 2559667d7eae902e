// Validates rendered overlays offline: every object against the Kubernetes, KEDA and Prometheus Operator schemas
// (the kubernetes-models packages), field names against the schemas' vocabulary (the schemas themselves accept
// unknown fields, so a misspelt one would pass silently), then PrintFlow's own rules. One line per check; exits 1
// when any fails. deploy/k8s/check.sh runs it:
//   node validate.mjs --repo <root> <overlay>=<rendered.yaml> ...
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments, parse } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const repo = args[0] === "--repo" ? args[1] : join(here, "../../..");
const overlays = args.slice(args[0] === "--repo" ? 2 : 0).map((a) => {
  const [name, file] = a.split("=");
  return { name, file };
});

let passed = 0;
let failed = 0;
function check(name, problems) {
  const list = Array.isArray(problems) ? problems : problems ? [problems] : [];
  if (list.length === 0) {
    passed++;
    console.log(`  ok    ${name}`);
  } else {
    failed++;
    console.log(`  FAIL  ${name}`);
    for (const p of list.slice(0, 20)) console.log(`          ${p}`);
    if (list.length > 20) console.log(`          … and ${list.length - 20} more`);
  }
}

// ---- schemas ---------------------------------------------------------------------------------------------------
const packages = {
  "keda.sh": "@kubernetes-models/keda",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};
async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const pkg = packages[group] ?? "kubernetes-models";
  const module = await import(group ? `${pkg}/${group}/${version}/${kind}` : `${pkg}/${version}/${kind}`);
  return module[kind];
}

// Every property name any schema of the three packages knows (compiled validators read them as data.name or
// data["name"]); a key outside it is a misspelling or a field of another API version.
function vocabulary() {
  const words = new Set();
  const roots = [
    join(here, "node_modules/kubernetes-models/_schemas"),
    join(here, "node_modules/@kubernetes-models/keda/_schemas"),
    join(here, "node_modules/@kubernetes-models/prometheus-operator/_schemas"),
    join(here, "node_modules/@kubernetes-models/apimachinery/_schemas"),
  ];
  for (const root of roots) {
    for (const file of readdirSync(root).filter((f) => f.endsWith(".js"))) {
      const code = readFileSync(join(root, file), "utf8");
      for (const m of code.matchAll(/data\.([A-Za-z_$][\w$]*)/g)) words.add(m[1]);
      for (const m of code.matchAll(/data\["([^"]+)"\]/g)) words.add(m[1]);
      for (const m of code.matchAll(/missingProperty:"([^"]+)"/g)) words.add(m[1]);
    }
  }
  return words;
}
const known = vocabulary();
function unknownFields(value, path, object, out) {
  if (Array.isArray(value)) {
    value.forEach((v, i) => unknownFields(v, `${path}.${i}`, object, out));
    return;
  }
  if (value === null || typeof value !== "object") return;
  // Maps whose keys are the user's own: labels, resource quantities, settings, a trigger's parameters.
  const isFree =
    /(^|\.)(labels|annotations|matchLabels|nodeSelector|requests|limits)$/.test(path) ||
    ((object.kind === "ConfigMap" || object.kind === "Secret") && /^(data|stringData|binaryData)$/.test(path)) ||
    (object.kind === "Service" && path === "spec.selector") ||
    (object.kind === "ScaledObject" && /^spec\.triggers\.\d+\.metadata$/.test(path));
  for (const [key, child] of Object.entries(value)) {
    if (!isFree && !known.has(key)) out.push(`${object.kind}/${object.metadata?.name}: unknown field ${path ? path + "." : ""}${key}`);
    unknownFields(child, path ? `${path}.${key}` : key, object, out);
  }
}

// ---- the repository's own sources of truth ---------------------------------------------------------------------
// PrintFlowTopology: ["endpoint"] = [ "message", ... ] in the Subscriptions dictionary.
function topologyQueues() {
  const source = readFileSync(join(repo, "src/BuildingBlocks/PrintFlow.Messaging.RabbitMq/MessageTopology.cs"), "utf8");
  const start = source.indexOf("class PrintFlowTopology");
  const body = source.slice(start, source.indexOf("// Status events by sales channel", start));
  const queues = [];
  for (const m of body.matchAll(/\["([a-z-]+)"\]\s*=\s*\[([^\]]*)\]/g)) {
    for (const msg of m[2].matchAll(/"([a-z.-]+)"/g)) queues.push({ endpoint: m[1], queue: `${m[1]}.${msg[1]}` });
  }
  return queues;
}

function ruleGroups() {
  const dir = join(repo, "deploy/observability/rules");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yml"))
    .sort()
    .flatMap((f) => parse(readFileSync(join(dir, f), "utf8")).groups);
}

// ---- helpers over one rendered overlay -------------------------------------------------------------------------
const matches = (selector, labels) =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v) &&
  (selector?.matchExpressions ?? []).every((e) =>
    e.operator === "In" ? e.values.includes(labels?.[e.key]) :
    e.operator === "NotIn" ? !e.values.includes(labels?.[e.key]) :
    e.operator === "Exists" ? labels?.[e.key] !== undefined : labels?.[e.key] === undefined);

function secretValuesLookReal(secret) {
  const values = { ...(secret.stringData ?? {}) };
  for (const [k, v] of Object.entries(secret.data ?? {})) values[k] = Buffer.from(v, "base64").toString("utf8");
  return Object.entries(values).filter(([, v]) => !/dev[- ]only/i.test(v)).map(([k]) => `${secret.metadata.name}.${k}`);
}

// Whether a NetworkPolicy set lets pod `from` open `port` on pod `to` (same namespace, pod selectors).
function allows(policies, from, to, port) {
  const egressPolicies = policies.filter((p) => (p.spec.policyTypes ?? []).includes("Egress") && matches(p.spec.podSelector, from));
  const ingressPolicies = policies.filter((p) => (p.spec.policyTypes ?? ["Ingress"]).includes("Ingress") && matches(p.spec.podSelector, to));
  const portOk = (rule) => !rule.ports || rule.ports.some((p) => p.port === port);
  const peerOk = (peers, labels) => !peers || peers.some((p) => !p.namespaceSelector && !p.ipBlock && matches(p.podSelector, labels));
  const out = egressPolicies.some((p) => (p.spec.egress ?? []).some((r) => portOk(r) && peerOk(r.to, to)));
  const into = ingressPolicies.some((p) => (p.spec.ingress ?? []).some((r) => portOk(r) && peerOk(r.from, from)));
  return out && into;
}

// JSON with object keys sorted: kustomize writes keys in its own order.
const canonical = (v) => JSON.stringify(v, (_, x) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));

const isService = (d) => d.spec.template.metadata.labels?.["printflow.io/role"] === "service";
const envOf = (container) => Object.fromEntries((container.env ?? []).filter((e) => "value" in e).map((e) => [e.name, e.value]));

async function validateOverlay({ name, file }) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  const objects = docs.map((d) => d.toJS()).filter(Boolean);
  const by = (kind) => objects.filter((o) => o.kind === kind);
  const deployments = by("Deployment");
  const services = deployments.filter(isService);
  const configMaps = by("ConfigMap");
  const secrets = by("Secret");
  console.log(`== ${name}: ${objects.length} objects (${[...new Set(objects.map((o) => o.kind))].map((k) => `${by(k).length} ${k}`).join(", ")})`);

  // Schemas.
  const schemaProblems = [];
  for (const o of objects) {
    try {
      const Model = await modelFor(o.apiVersion, o.kind);
      // kustomize folds long base64 over lines, which the API server's decoder skips; the schema's "byte" format does not.
      const data = o.kind === "Secret" && o.data ? { data: Object.fromEntries(Object.entries(o.data).map(([k, v]) => [k, v.replace(/\s+/g, "")])) } : {};
      new Model({ ...o, ...data }).validate();
    } catch (e) {
      schemaProblems.push(`${o.kind}/${o.metadata?.name} (${o.apiVersion}): ${String(e.message).split("\n").slice(0, 3).join(" ")}`);
    }
  }
  check(`${name}: every object valid against the Kubernetes, KEDA and Prometheus Operator schemas`, schemaProblems);
  const unknown = [];
  for (const o of objects) unknownFields(o, "", o, unknown);
  check(`${name}: no field name unknown to those schemas`, unknown);

  // Deployments.
  const deploymentProblems = [];
  for (const d of deployments) {
    const pod = d.spec.template.spec;
    const id = `Deployment/${d.metadata.name}`;
    for (const c of pod.containers) {
      if (!c.livenessProbe || !c.readinessProbe) deploymentProblems.push(`${id}: ${c.name} lacks a liveness or readiness probe`);
      for (const r of ["cpu", "memory"]) {
        if (!c.resources?.requests?.[r] || !c.resources?.limits?.[r]) deploymentProblems.push(`${id}: ${c.name} lacks a ${r} request or limit`);
      }
      if (!(c.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot)) deploymentProblems.push(`${id}: ${c.name} may run as root`);
      if (c.securityContext?.readOnlyRootFilesystem !== true) deploymentProblems.push(`${id}: ${c.name} has a writable root filesystem`);
      if (c.securityContext?.allowPrivilegeEscalation !== false) deploymentProblems.push(`${id}: ${c.name} allows privilege escalation`);
      if (!(c.volumeMounts ?? []).some((m) => m.mountPath === "/tmp")) deploymentProblems.push(`${id}: ${c.name} has no writable /tmp`);
    }
    if (isService(d)) {
      const c = pod.containers[0];
      if (c.livenessProbe?.httpGet?.path !== "/health/live") deploymentProblems.push(`${id}: liveness is not /health/live`);
      if (c.readinessProbe?.httpGet?.path !== "/health/ready") deploymentProblems.push(`${id}: readiness is not /health/ready`);
      if (!(pod.terminationGracePeriodSeconds > 30)) deploymentProblems.push(`${id}: terminationGracePeriodSeconds must exceed the host's 30 s shutdown timeout`);
    }
    if (!by("PodDisruptionBudget").some((p) => matches(p.spec.selector, d.spec.template.metadata.labels))) deploymentProblems.push(`${id}: no PodDisruptionBudget`);
    if (!by("Service").some((s) => Object.entries(s.spec.selector ?? {}).every(([k, v]) => d.spec.template.metadata.labels[k] === v))) deploymentProblems.push(`${id}: no Service`);
  }
  check(`${name}: every Deployment has probes, requests and limits, non-root, read-only root, /tmp, a PDB and a Service`, deploymentProblems);
  check(`${name}: a Deployment for each of shop, partners, ordering, pricing, mes, crm, notifications`,
    ["shop", "partners", "ordering", "pricing", "mes", "crm", "notifications"]
      .filter((s) => !services.some((d) => envOf(d.spec.template.spec.containers[0]).PrintFlow__Services === s && d.metadata.name === `printflow-${s}`))
      .map((s) => `no Deployment printflow-${s} with PrintFlow__Services=${s}`));

  // Every referenced ConfigMap and Secret exists (Secrets: in dev, generated; elsewhere, listed in the docs).
  const doc = readFileSync(join(repo, "docs/deploy-kubernetes.md"), "utf8");
  const referenced = new Map();
  const refer = (kind, n, optional) => { if (!optional) referenced.set(`${kind}/${n}`, { kind, n }); };
  for (const d of deployments) {
    const pod = d.spec.template.spec;
    for (const c of pod.containers) {
      for (const e of c.envFrom ?? []) {
        if (e.configMapRef) refer("ConfigMap", e.configMapRef.name, e.configMapRef.optional);
        if (e.secretRef) refer("Secret", e.secretRef.name, e.secretRef.optional);
      }
      for (const e of c.env ?? []) {
        if (e.valueFrom?.secretKeyRef) refer("Secret", e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.optional);
        if (e.valueFrom?.configMapKeyRef) refer("ConfigMap", e.valueFrom.configMapKeyRef.name, e.valueFrom.configMapKeyRef.optional);
      }
    }
    for (const v of pod.volumes ?? []) {
      if (v.secret) refer("Secret", v.secret.secretName, v.secret.optional);
      if (v.configMap) refer("ConfigMap", v.configMap.name, v.configMap.optional);
    }
  }
  for (const t of by("TriggerAuthentication")) for (const s of t.spec.secretTargetRef ?? []) refer("Secret", s.name);
  for (const m of by("ServiceMonitor")) for (const e of m.spec.endpoints) if (e.authorization?.credentials) refer("Secret", e.authorization.credentials.name);
  for (const i of by("Ingress")) for (const t of i.spec.tls ?? []) refer("Secret", t.secretName);
  const missing = [];
  for (const { kind, n } of referenced.values()) {
    if (kind === "ConfigMap" && !configMaps.some((c) => c.metadata.name === n)) missing.push(`ConfigMap ${n} is not rendered`);
    if (kind === "Secret" && name === "dev" && !secrets.some((s) => s.metadata.name === n) && !/-tls$/.test(n)) missing.push(`Secret ${n} is not generated for dev`);
    if (kind === "Secret" && name !== "dev" && !doc.includes(`\`${n}\``)) missing.push(`Secret ${n} is not in docs/deploy-kubernetes.md's list`);
  }
  check(`${name}: every referenced ConfigMap is rendered and every Secret is ${name === "dev" ? "generated" : "documented for kubectl create secret"}`, missing);

  // No secret value outside the dev overlay's dev-only files.
  const literal = [];
  if (name === "dev") literal.push(...secrets.flatMap(secretValuesLookReal).map((k) => `${k} is not marked dev-only`));
  else literal.push(...secrets.map((s) => `Secret/${s.metadata.name} is rendered: ${name} must reference Secrets created in the cluster`));
  const secretName = /(password|passwd|secret|token|apikey|api-key|internalkey|credential)/i;
  for (const d of deployments) {
    for (const c of d.spec.template.spec.containers) {
      for (const e of c.env ?? []) {
        if ("value" in e && secretName.test(e.name) && e.value !== "") literal.push(`Deployment/${d.metadata.name}: env ${e.name} has a literal value`);
        if ("value" in e && /password=(?!\$\()/i.test(e.value ?? "")) literal.push(`Deployment/${d.metadata.name}: env ${e.name} has a literal password`);
        if ("value" in e && /:\/\/[^/$]*:(?!\$\()[^@]*@/.test(e.value ?? "")) literal.push(`Deployment/${d.metadata.name}: env ${e.name} has a password in an address`);
      }
    }
  }
  for (const cm of configMaps) {
    for (const [k, v] of Object.entries(cm.data ?? {})) {
      if (secretName.test(k) && !/path$/i.test(k) && v !== "") literal.push(`ConfigMap/${cm.metadata.name}: ${k} has a value`);
      if (/password=(?!\$\()/i.test(v) || /:\/\/[^/\s$]*:[^@\s$]+@/.test(v)) literal.push(`ConfigMap/${cm.metadata.name}: ${k} holds a password`);
    }
  }
  check(`${name}: no literal secret value${name === "dev" ? " except the dev-only dummies" : ""}`, literal);

  // Every consumer queue of the topology has a scaler; every scaled queue exists.
  const scaled = by("ScaledObject");
  const hpas = by("HorizontalPodAutoscaler");
  const queueProblems = [];
  const topology = topologyQueues();
  if (topology.length === 0) queueProblems.push("no queue read from PrintFlowTopology (MessageTopology.cs changed shape?)");
  for (const { endpoint, queue } of topology) {
    const target = `printflow-${endpoint}`;
    const keda = scaled.find((s) => s.spec.scaleTargetRef.name === target);
    const hpa = hpas.find((h) => h.spec.scaleTargetRef.kind === "Deployment" && h.spec.scaleTargetRef.name === target);
    if (keda) {
      if (!keda.spec.triggers.some((t) => t.type === "rabbitmq" && t.metadata.queueName === queue)) queueProblems.push(`${queue}: ScaledObject/${keda.metadata.name} has no rabbitmq trigger on it`);
    } else if (!(hpa && hpa.spec.minReplicas >= 1)) {
      queueProblems.push(`${queue}: its consumer ${target} has neither a KEDA trigger on it nor an HPA keeping a replica`);
    }
  }
  const endpoints = new Set(topology.map((q) => q.endpoint));
  for (const s of scaled) {
    for (const t of s.spec.triggers.filter((t) => t.type === "rabbitmq")) {
      const endpoint = t.metadata.queueName.split(".")[0];
      if (endpoints.has(endpoint) && !topology.some((q) => q.queue === t.metadata.queueName)) queueProblems.push(`ScaledObject/${s.metadata.name}: ${t.metadata.queueName} is no queue of PrintFlowTopology`);
      if (!t.authenticationRef) queueProblems.push(`ScaledObject/${s.metadata.name}: trigger on ${t.metadata.queueName} has no authenticationRef`);
      if (`printflow-${endpoint}` !== s.spec.scaleTargetRef.name) queueProblems.push(`ScaledObject/${s.metadata.name}: scales on ${t.metadata.queueName}, another service's queue`);
    }
  }
  for (const d of services) {
    const scaledBy = [...scaled.filter((s) => s.spec.scaleTargetRef.name === d.metadata.name), ...hpas.filter((h) => h.spec.scaleTargetRef.name === d.metadata.name)];
    if (scaledBy.length !== 1) queueProblems.push(`Deployment/${d.metadata.name}: ${scaledBy.length} autoscalers (want exactly one: an HPA or a ScaledObject)`);
    if (d.spec.replicas !== undefined) queueProblems.push(`Deployment/${d.metadata.name}: sets replicas, which every kubectl apply would reset under its autoscaler`);
  }
  const pending = [...new Set(scaled.flatMap((s) => s.spec.triggers.filter((t) => t.type === "rabbitmq").map((t) => t.metadata.queueName.split(".")[0])))].filter((e) => !endpoints.has(e));
  check(`${name}: one autoscaler owns each service's replicas; every consumer queue of PrintFlowTopology (${topology.length}) has a scaler${pending.length ? ` (scalers ahead of the topology for: ${pending.join(", ")})` : ""}`, queueProblems);

  // Scale to zero only where it is safe: Pricing, with exact mode (a database-polled worker) off.
  const config = Object.assign({}, ...configMaps.filter((c) => c.metadata.name.startsWith("printflow-config")).map((c) => c.data));
  const zero = [];
  for (const s of scaled.filter((s) => (s.spec.minReplicaCount ?? 0) === 0)) {
    if (s.spec.scaleTargetRef.name !== "printflow-pricing") zero.push(`ScaledObject/${s.metadata.name} scales to zero: only Pricing may (its work arrives by its queue alone)`);
    else if (/^true$/i.test(config.Pricing__Exact__Enabled ?? "")) zero.push("Pricing scales to zero with exact mode on: refinements waiting in its database would stall");
  }
  check(`${name}: scale to zero only for Pricing with exact mode off (${scaled.filter((s) => (s.spec.minReplicaCount ?? 0) === 0).map((s) => s.metadata.name).join(", ") || "none here"})`, zero);

  // The Ingress routes the public paths and no internal one, like deploy/local's nginx.
  const ingressProblems = [];
  const routes = [];
  for (const i of by("Ingress")) {
    if (i.spec.ingressClassName !== "nginx") ingressProblems.push(`Ingress/${i.metadata.name}: not ingress-nginx (the path rules rely on its case-insensitive regex locations)`);
    if (i.metadata.annotations?.["nginx.ingress.kubernetes.io/use-regex"] !== "true") ingressProblems.push(`Ingress/${i.metadata.name}: use-regex is not "true"`);
    if (i.spec.defaultBackend) ingressProblems.push(`Ingress/${i.metadata.name}: has a defaultBackend (unmatched paths must get the controller's 404)`);
    for (const r of i.spec.rules) for (const p of r.http.paths) routes.push({ re: new RegExp(`^${p.path}`, "i"), backend: p.backend.service.name, path: p.path });
  }
  // ingress-nginx matches the decoded path with merged slashes: /%69nternal and //internal arrive as /internal.
  const blocked = ["/internal/accounts/validate", "/INTERNAL/accounts/validate", "/Internal/accounts/validate", "/internal", "/metrics", "/METRICS", "/metrics/", "/Metrics"];
  for (const path of blocked) {
    const hit = routes.filter((r) => r.re.test(path));
    if (hit.length) ingressProblems.push(`${path} reaches ${hit.map((h) => h.backend).join(", ")}`);
  }
  const publicPaths = { "/": "printflow-shop", "/login": "printflow-shop", "/orders/1": "printflow-shop", "/internalize": "printflow-shop", "/metricsx": "printflow-shop",
    "/api/partners/v1/orders": "printflow-partners", "/mes": "printflow-mes", "/mes/queue": "printflow-mes", "/MES": "printflow-mes", "/crm": "printflow-crm", "/crm/customers": "printflow-crm", "/ops": "printflow-ordering", "/ops/stuck": "printflow-ordering" };
  for (const [path, backend] of Object.entries(publicPaths)) {
    const hit = routes.filter((r) => r.re.test(path));
    if (hit.length !== 1 || hit[0].backend !== backend) ingressProblems.push(`${path} reaches ${hit.map((h) => h.backend).join(", ") || "nothing"}; want ${backend} alone`);
  }
  check(`${name}: the Ingress routes the public paths to one service each and blocks /internal and /metrics in any case`, ingressProblems);

  // NetworkPolicies: default deny, the ingress controller to the routed services only, the peers' sign-in calls.
  const policies = by("NetworkPolicy");
  const np = [];
  const podLabels = (n) => deployments.find((d) => d.metadata.name === n)?.spec.template.metadata.labels;
  if (!policies.some((p) => Object.keys(p.spec.podSelector ?? {}).length === 0 && !p.spec.ingress && !p.spec.egress && p.spec.policyTypes?.includes("Ingress") && p.spec.policyTypes?.includes("Egress"))) np.push("no default-deny policy");
  const fromController = (labels) => policies.some((p) => matches(p.spec.podSelector, labels) && (p.spec.ingress ?? []).some((r) => (r.from ?? []).some((f) => f.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "ingress-nginx")));
  const routed = new Set(routes.map((r) => r.backend));
  for (const d of deployments) {
    const open = fromController(d.spec.template.metadata.labels);
    if (routed.has(d.metadata.name) && !open) np.push(`${d.metadata.name} is routed by the Ingress but the controller may not reach it`);
    if (!routed.has(d.metadata.name) && open) np.push(`${d.metadata.name} is open to the ingress controller without a route`);
  }
  for (const d of services) {
    const env = envOf(d.spec.template.spec.containers[0]);
    for (const [k, v] of Object.entries(env).filter(([k]) => k.startsWith("PrintFlow__Accounts__Peers__"))) {
      const peer = /^http:\/\/([a-z-]+):(\d+)/.exec(v);
      if (!peer || !podLabels(peer[1])) { np.push(`${d.metadata.name}: ${k}=${v} names no Deployment of this overlay`); continue; }
      if (!allows(policies, d.spec.template.metadata.labels, podLabels(peer[1]), Number(peer[2]))) np.push(`${d.metadata.name} → ${peer[1]}:${peer[2]} (${k}) is not allowed`);
    }
    if (!allows(policies, d.spec.template.metadata.labels, podLabels("printflow-otel-collector") ?? {}, 4317)) np.push(`${d.metadata.name} → the OTel collector:4317 is not allowed`);
  }
  const peerPairs = services.flatMap((d) => Object.keys(envOf(d.spec.template.spec.containers[0])).filter((k) => k.startsWith("PrintFlow__Accounts__Peers__")).map(() => d.metadata.name));
  check(`${name}: NetworkPolicies deny by default, open the routed services to the controller, allow the ${peerPairs.length} peer calls and OTLP`, np);

  // Shared state off the pods' disks: models in the bucket, the key ring in PostgreSQL, no volume shared between pods.
  const shared = [];
  if (config.ModelStore__Provider !== "S3" || !config.ModelStore__S3__Bucket) shared.push("printflow-config does not put models in an S3 bucket (ModelStore__Provider=S3, ModelStore__S3__Bucket)");
  if (by("PersistentVolumeClaim").length) shared.push(`${by("PersistentVolumeClaim").length} PersistentVolumeClaim(s): instances must share nothing but the database, the broker and the bucket`);
  for (const d of services) {
    const pod = d.spec.template.spec;
    if ((pod.volumes ?? []).some((v) => v.persistentVolumeClaim)) shared.push(`${d.metadata.name}: mounts a PersistentVolumeClaim`);
    if (!pod.containers.some((c) => (c.env ?? []).some((e) => e.name === "ConnectionStrings__keys" && /Database=printflow_keys;/.test(e.value ?? "")))) shared.push(`${d.metadata.name}: no ConnectionStrings__keys to the shared key-ring database`);
  }
  check(`${name}: models in the bucket, data-protection keys in the database, no shared volume`, shared);

  // Telemetry: OTLP to the collector, the collector to the overlay's trace store, every service scraped, rules generated.
  const tel = [];
  const collector = by("Service").find((s) => s.metadata.name === "printflow-otel-collector");
  if (!collector) tel.push("no printflow-otel-collector Service");
  if (!/^http:\/\/printflow-otel-collector:4317$/.test(config.OTEL_EXPORTER_OTLP_ENDPOINT ?? "")) tel.push(`OTEL_EXPORTER_OTLP_ENDPOINT is ${config.OTEL_EXPORTER_OTLP_ENDPOINT}`);
  const otelEnv = Object.assign({}, ...configMaps.filter((c) => c.metadata.name.startsWith("printflow-otel-env")).map((c) => c.data));
  if (!otelEnv.TRACE_STORE_ENDPOINT || /\.invalid\b/.test(otelEnv.TRACE_STORE_ENDPOINT)) tel.push("the overlay names no trace store (TRACE_STORE_ENDPOINT)");
  const collectorConfig = configMaps.find((c) => c.metadata.name.startsWith("printflow-otel-collector"));
  const pipeline = collectorConfig ? parse(collectorConfig.data["config.yaml"]) : null;
  if (!pipeline?.service?.pipelines?.traces?.receivers?.includes("otlp") || !pipeline.exporters?.["otlp/trace-store"]?.endpoint?.includes("TRACE_STORE_ENDPOINT")) tel.push("the collector's traces pipeline is not otlp → trace store");
  const monitors = by("ServiceMonitor");
  for (const d of services) {
    const svc = by("Service").find((s) => s.metadata.name === d.metadata.name);
    if (!svc || !monitors.some((m) => matches(m.spec.selector, svc.metadata.labels) && m.spec.endpoints.some((e) => e.path === "/metrics" && e.authorization?.credentials))) tel.push(`${d.metadata.name}: no ServiceMonitor scrapes /metrics with the token`);
    if (svc?.metadata.labels?.["printflow.io/job"] !== "printflow") tel.push(`${d.metadata.name}: its Service lacks printflow.io/job=printflow (the rules' up{job="printflow"})`);
  }
  const rules = by("PrometheusRule");
  if (rules.length !== 1 || canonical(rules[0].spec.groups) !== canonical(ruleGroups())) tel.push("the PrometheusRule's groups differ from deploy/observability/rules (run deploy/k8s/generate-prometheusrule.sh)");
  check(`${name}: OTLP to the collector and on to ${otelEnv.TRACE_STORE_ENDPOINT}, every service scraped, the PrometheusRule equal to deploy/observability/rules`, tel);

  return objects.length;
}

const counts = [];
for (const o of overlays) counts.push(`${o.name}=${await validateOverlay(o)}`);
console.log(`objects per overlay: ${counts.join(" ")}`);
console.log(`validation checks passed=${passed} failed=${failed}`);
process.exit(failed === 0 ? 0 : 1);
