// Offline check of the Terraform deployment: HCL syntax of every terraform/*.tf, then Batchdrop's
// deployment rules on the parsed configuration. No terraform binary or provider is needed.
//
//   node check.mjs               check ../*.tf against this repository; exit 1 with one line per broken rule
//   node check.mjs --self-test   every fixture in fixtures/ must fail with the messages it expects
//   node check.mjs --dir D       check D/*.tf instead
//
// Resources with a for_each over a literal map (local.functions) are checked per instance
// (google_cloudfunctions2_function.function["submit"]), with each.key / each.value and the
// iterators of dynamic blocks substituted; this is the part of Terraform's evaluation the rules need.
import { readdirSync, readFileSync, existsSync, mkdtempSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import hcl2json from '@cdktf/hcl2json';

const HERE = dirname(fileURLToPath(import.meta.url));
const TERRAFORM_DIR = resolve(HERE, '..');
const REPO_DIR = resolve(TERRAFORM_DIR, '..');

const RUNTIMES = new Set(['java17', 'java21']);
// Roles a project-level grant may carry: Firestore and Vertex AI have no narrower scope, Eventarc's
// receiver role is project-wide by design, and Cloud Storage's agent publishes to Eventarc's topics.
const PROJECT_ROLES = new Set([
  'roles/datastore.user',
  'roles/aiplatform.user',
  'roles/eventarc.eventReceiver',
  'roles/pubsub.publisher',
]);
const FORBIDDEN_ROLES = new Set(['roles/owner', 'roles/editor', 'roles/storage.admin']);
const REQUIRED_INDEXES = [
  ['jobs', [['active', 'ASCENDING'], ['nextPollAt', 'ASCENDING']]],
  ['jobs', [['publish.done', 'ASCENDING'], ['handoffAt', 'ASCENDING']]],
  ['runs', [['state', 'ASCENDING'], ['updatedAt', 'ASCENDING']]],
  ['runs', [['state', 'ASCENDING'], ['failures.submit', 'ASCENDING']]],
];
const HASH_REF = /\$\{[^}]*data\.archive_file\.[\w-]+(\["[^"]*"\])?\.output_(md5|sha|sha256|sha512|base64sha256|base64sha512)\b/;
const STORAGE_EVENTS = 'google.cloud.storage.object.';
const PUBSUB_EVENT = 'google.cloud.pubsub.topic.v1.messagePublished';
const EVENT_TIMEOUT_MAX = 540; // the most an event-driven function may run
const ENTRY_INTERFACES = /\bclass\s+(\w+)[^{]*\bimplements\b[^{]*\b(CloudEventsFunction|HttpFunction)\b/;

// ---- loading ---------------------------------------------------------------------------------

/** Parses every *.tf of dir; returns { model, errors } with syntax errors as "file:line,col: …". */
async function load(dir, repoDir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.tf')).sort();
  const model = { resources: [], data: [], locals: {}, variables: {}, dir, repoDir, problems: [] };
  const errors = [];
  const raw = { resources: [], data: [] };
  for (const file of files) {
    const shown = relative(REPO_DIR, join(dir, file)).startsWith('..') ? file : relative(REPO_DIR, join(dir, file));
    let json;
    try {
      json = await hcl2json.parse(shown, readFileSync(join(dir, file), 'utf8'));
    } catch (e) {
      errors.push(`syntax: ${String(e.message ?? e).replace(/^parse config: \[(.*)\]$/s, '$1')}`);
      continue;
    }
    for (const [kind, target] of [['resource', raw.resources], ['data', raw.data]]) {
      for (const [type, byName] of Object.entries(json[kind] ?? {})) {
        for (const [name, bodies] of Object.entries(byName)) {
          target.push({ type, name, body: bodies[0], file: shown, id: `${kind === 'data' ? 'data.' : ''}${type}.${name}` });
        }
      }
    }
    for (const block of json.locals ?? []) Object.assign(model.locals, block);
    for (const [name, bodies] of Object.entries(json.variable ?? {})) model.variables[name] = bodies[0];
  }
  if (files.length === 0) errors.push(`no *.tf file in ${dir}`);
  // Locals must all be known before for_each over one of them can be expanded.
  for (const r of raw.resources) model.resources.push(...instances(model, r));
  for (const d of raw.data) model.data.push(...instances(model, d));
  return { model, errors };
}

// ---- small helpers over the hcl2json shape (blocks are arrays, expressions "${…}") ------------

const first = (v) => (Array.isArray(v) ? v[0] : v);
const block = (body, ...path) => path.reduce((b, key) => (b == null ? undefined : first(b[key])), body);
const onlyRef = (v) => (typeof v === 'string' ? v.match(/^\$\{([^{}]*)\}$/)?.[1]?.trim() : undefined);
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Follows var.X (to its default) and local.X references; anything else is returned as written. */
function resolveValue(model, value, depth = 0) {
  const ref = onlyRef(value);
  if (!ref || depth > 5) return value;
  let m = ref.match(/^var\.([\w-]+)$/);
  if (m && model.variables[m[1]]) return resolveValue(model, model.variables[m[1]].default, depth + 1);
  m = ref.match(/^local\.([\w-]+)$/);
  if (m && m[1] in model.locals) return resolveValue(model, model.locals[m[1]], depth + 1);
  return value;
}

/** A map value: a literal, a local or variable holding one, or merge() of those. */
function resolveMap(model, value) {
  const v = resolveValue(model, value);
  if (isObject(v)) return v;
  const args = onlyRef(v)?.match(/^merge\(([\w.\s,-]*)\)$/)?.[1];
  if (args === undefined) return undefined;
  const parts = args.split(',').map((a) => resolveMap(model, `\${${a.trim()}}`));
  return parts.every(isObject) ? Object.assign({}, ...parts) : undefined;
}

/** The resource a "${type.name.attr}" or "${type.name["key"].attr}" expression points at. */
function referenced(model, value) {
  const ref = onlyRef(value);
  const m = ref?.match(/^([\w-]+)\.([\w-]+)(?:\["([^"]*)"\])?\./);
  return m ? model.resources.find((r) => r.type === m[1] && r.name === m[2] && r.key === m[3]) : undefined;
}

const ofType = (model, type) => model.resources.filter((r) => r.type === type);
const present = (v) => v !== undefined && v !== null && v !== '';

/** Every string inside a parsed body. */
function strings(value, out = []) {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (isObject(value)) Object.values(value).forEach((v) => strings(v, out));
  return out;
}

// ---- for_each and dynamic blocks ----------------------------------------------------------------

const ITERATOR_REF = /\b([A-Za-z_][\w-]*)\.(key|value)((?:\.[A-Za-z_][\w-]*)*)/g;

function iteratorValue(scope, name, kind, path) {
  let v = kind === 'key' ? scope[name].key : scope[name].value;
  for (const p of path.split('.').filter(Boolean)) v = isObject(v) ? v[p] : undefined;
  return v;
}

/** Replaces each.key, each.value.x, <iterator>.value.x … with what they stand for in scope. */
function substitute(value, scope) {
  if (Array.isArray(value)) return value.map((v) => substitute(v, scope));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, scope)]));
  if (typeof value !== 'string') return value;
  const whole = onlyRef(value)?.match(/^([A-Za-z_][\w-]*)\.(key|value)((?:\.[\w-]+)*)$/);
  if (whole && scope[whole[1]]) {
    const v = iteratorValue(scope, whole[1], whole[2], whole[3]);
    return v === undefined ? value : v;
  }
  return value.replace(/\$\{([^{}]*)\}/g, (all, expr) => {
    const replaced = expr.replace(ITERATOR_REF, (ref, name, kind, path) => {
      if (!scope[name]) return ref;
      const v = iteratorValue(scope, name, kind, path);
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      if (typeof v !== 'string') return ref;
      const inner = onlyRef(v);
      if (inner) return inner;
      return v.includes('${') ? ref : JSON.stringify(v);
    });
    const literal = replaced.trim().match(/^"([^"\\]*)"$/);
    return literal ? literal[1] : `\${${replaced}}`;
  });
}

/** Turns dynamic "x" { for_each, content } into the x blocks it makes, recursively. */
function expandDynamic(model, body, at) {
  if (Array.isArray(body)) return body.map((b) => expandDynamic(model, b, at));
  if (!isObject(body)) return body;
  const out = {};
  for (const [k, v] of Object.entries(body)) if (k !== 'dynamic') out[k] = expandDynamic(model, v, at);
  for (const dynamic of [].concat(body.dynamic ?? [])) {
    for (const [name, specs] of Object.entries(dynamic)) {
      for (const spec of [].concat(specs)) {
        const items = resolveValue(model, spec.for_each);
        const entries = Array.isArray(items) ? items.map((v, i) => [i, v]) : isObject(items) ? Object.entries(items) : null;
        if (!entries) {
          model.problems.push(`${at}: dynamic "${name}" for_each ${JSON.stringify(spec.for_each)} cannot be evaluated offline, so the rules cannot see its blocks`);
          continue;
        }
        const iterator = onlyRef(spec.iterator) ?? spec.iterator ?? name;
        for (const [key, value] of entries) {
          const content = substitute(first(spec.content) ?? {}, { [iterator]: { key, value } });
          out[name] = [...(out[name] ?? []), expandDynamic(model, content, at)];
        }
      }
    }
  }
  return out;
}

/** One entry per instance of a resource or data source whose for_each is a literal map. */
function instances(model, r) {
  const at = `${r.file}: ${r.id}`;
  if (r.body.for_each === undefined) return [{ ...r, body: expandDynamic(model, r.body, at) }];
  const each = resolveValue(model, r.body.for_each);
  if (!isObject(each)) return [{ ...r, body: expandDynamic(model, r.body, at) }]; // toset(var.x): one shape for all
  return Object.entries(each).map(([key, value]) => {
    const id = `${r.id}["${key}"]`;
    return { ...r, key, id, body: expandDynamic(model, substitute(r.body, { each: { key, value } }), `${r.file}: ${id}`) };
  });
}

// ---- the Java side: function modules, their jars, the environment their code requires ---------

function javaFiles(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) javaFiles(path, out);
    else if (entry.endsWith('.java')) out.push(path);
  }
  return out;
}

/** Names the Java configuration refuses to start without, read from the code so this check follows it. */
function requiredEnvNames(sourceDirs) {
  const names = new Set();
  for (const file of sourceDirs.flatMap((d) => javaFiles(d))) {
    const text = readFileSync(file, 'utf8');
    // required("A", …) on any receiver (env.required, settings.required, a static import).
    for (const m of text.matchAll(/\brequired\(\s*"([A-Z0-9_]+)"/g)) names.add(m[1]);
    // optional("A").or(...).orElseThrow(...): A is required too (the fallbacks are older names).
    for (const m of text.matchAll(/\boptional\(\s*"([A-Z0-9_]+)"\s*\)(?:\s*\.or\([^;]*?\))?\s*\.orElseThrow/g)) names.add(m[1]);
  }
  return [...names];
}

/**
 * Every name the Java code could read from the environment: string literals that are a whole
 * upper-case name (BATCHDROP_MAX_ATTEMPTS, GOOGLE_CLOUD_PROJECT). Wider than what is read (enum
 * names count too), so it never refuses a variable the code reads; it catches names nothing reads.
 */
function envNamesInCode(sourceDirs) {
  const names = new Set();
  for (const file of sourceDirs.flatMap((d) => javaFiles(d))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"/g)) names.add(m[1]);
  }
  return names;
}

/** Read by the platform or the JVM, not by Batchdrop's code. */
const PLATFORM_ENV = new Set(['JAVA_TOOL_OPTIONS']);

/** A Maven module's shade set-up, looking through its parents (the shade block may live there). */
function pomInfo(pomPath) {
  const chain = [];
  for (let path = pomPath; chain.length < 5 && existsSync(path); ) {
    const text = readFileSync(path, 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    chain.push(text);
    const parent = text.match(/<parent>([\s\S]*?)<\/parent>/)?.[1];
    if (parent === undefined) break;
    const rel = parent.match(/<relativePath>([^<]*)<\/relativePath>/)?.[1] ?? '../pom.xml';
    path = resolve(dirname(path), rel);
    if (!path.endsWith('.xml')) path = join(path, 'pom.xml');
  }
  if (chain.length === 0) return { exists: false };
  const own = chain[0].replace(/<parent>[\s\S]*?<\/parent>/, '');
  const props = { 'project.artifactId': own.match(/<artifactId>([^<]*)<\/artifactId>/)?.[1] };
  for (const text of [...chain].reverse()) {
    const block = text.match(/<properties>([\s\S]*?)<\/properties>/)?.[1] ?? '';
    for (const m of block.matchAll(/<([\w.-]+)>([^<]*)<\/\1>/g)) props[m[1]] = m[2];
  }
  const finalName = chain.map((t) => t.match(/<finalName>([^<]*)<\/finalName>/)?.[1]).find(Boolean);
  return {
    exists: true,
    shades: chain[0].includes('maven-shade-plugin'),
    finalName: finalName?.replace(/\$\{([^}]+)\}/g, (all, p) => props[p] ?? all),
    servicesTransformer: chain.some((t) => t.includes('ServicesResourceTransformer')),
  };
}

/** functions/* modules that shade a jar, with the function classes their src/main/java holds. */
function functionModules(repoDir) {
  const functionsDir = join(repoDir, 'functions');
  if (!existsSync(functionsDir)) return [];
  return readdirSync(functionsDir)
    .filter((m) => existsSync(join(functionsDir, m, 'pom.xml')))
    .map((m) => {
      const info = pomInfo(join(functionsDir, m, 'pom.xml'));
      const classes = [];
      for (const file of javaFiles(join(functionsDir, m, 'src/main/java'))) {
        const text = readFileSync(file, 'utf8');
        const c = text.match(ENTRY_INTERFACES);
        const pkg = text.match(/^\s*package\s+([\w.]+)\s*;/m)?.[1];
        if (c) classes.push({ name: pkg ? `${pkg}.${c[1]}` : c[1], kind: c[2] });
      }
      return { module: m, dir: join(functionsDir, m), info, classes };
    })
    .filter((m) => m.info.shades && m.info.finalName);
}

// ---- rules: each returns a list of failure lines ----------------------------------------------

function functionRules(model, env) {
  const out = [];
  const functions = ofType(model, 'google_cloudfunctions2_function');
  if (functions.length === 0) out.push('no google_cloudfunctions2_function is defined');
  const triggerAccounts = new Map(); // trigger service account expression -> function id
  for (const f of functions) {
    const at = `${f.file}: ${f.id}`;
    const build = block(f.body, 'build_config') ?? {};
    const service = block(f.body, 'service_config') ?? {};
    const runtime = resolveValue(model, build.runtime);
    if (!RUNTIMES.has(runtime)) out.push(`${at}: runtime is ${JSON.stringify(runtime)}; expected one of ${[...RUNTIMES].join(', ')}`);
    if (!present(service.service_account_email)) {
      out.push(`${at}: service_config has no service_account_email (the default compute account is far too broad)`);
    }
    const entryModule = entryPointRule(model, at, build.entry_point, out);
    const jarModule = sourceRule(model, at, build, out);
    if (entryModule && jarModule && entryModule !== jarModule) {
      out.push(`${at}: entry_point ${build.entry_point} is in ${relative(model.repoDir, entryModule)} but the zipped jar is ${relative(model.repoDir, jarModule)}'s`);
    }

    const variables = resolveMap(model, service.environment_variables);
    if (!variables) {
      out.push(`${at}: environment_variables is not a map, a local holding one or merge() of those (${JSON.stringify(service.environment_variables)}); cannot check the required variables`);
    } else {
      const required = new Set([...env.shared, ...(entryModule ? requiredEnvNames([join(entryModule, 'src/main/java')]) : [])]);
      for (const name of required) {
        if (!present(variables[name])) out.push(`${at}: environment variable ${name} is not set (the Java configuration requires it)`);
      }
      // A misspelt setting would be ignored and its default used: every name passed must be one
      // the shared runtime or the function's own module reads (README "Configuration").
      const known = envNamesInCode([env.cloud, ...(entryModule ? [join(entryModule, 'src/main/java')] : [])]);
      for (const name of Object.keys(variables)) {
        if (!known.has(name) && !PLATFORM_ENV.has(name)) {
          out.push(`${at}: environment variable ${name} is read by no code of the function (neither ${relative(model.repoDir, env.cloud)} nor its module); a misspelt setting?`);
        }
      }
    }

    instanceRules(model, at, service, out);

    const trigger = block(f.body, 'event_trigger');
    if (trigger) triggerRules(model, f, trigger, service, triggerAccounts, out);
  }
  return out;
}

/**
 * Instances kept warm must fit under the most allowed: Cloud Run refuses a minimum above the
 * maximum at deploy time, after the rest of the plan has been applied. Checked with the
 * variables' defaults (a value given at apply time is the variables' own validation's).
 */
function instanceRules(model, at, service, out) {
  const min = evaluate(model, service.min_instance_count, {});
  const max = evaluate(model, service.max_instance_count, {});
  if (min === undefined || max === undefined) return;
  if (typeof min === 'number' && (min < 0 || !Number.isInteger(min))) {
    out.push(`${at}: min_instance_count is ${min}; expected a whole number of instances, 0 or more`);
  } else if (typeof min === 'number' && typeof max === 'number' && min > max) {
    out.push(`${at}: min_instance_count ${min} is above max_instance_count ${max}; Cloud Run refuses to deploy it`);
  }
}

function triggerRules(model, f, trigger, service, triggerAccounts, out) {
  const at = `${f.file}: ${f.id}`;
  if (trigger.retry_policy !== 'RETRY_POLICY_RETRY') {
    out.push(`${at}: event_trigger.retry_policy is ${JSON.stringify(trigger.retry_policy)}; expected "RETRY_POLICY_RETRY" (retries are off by default and a failed event would be lost)`);
  }
  const timeout = Number(service.timeout_seconds);
  if (timeout > EVENT_TIMEOUT_MAX) {
    out.push(`${at}: timeout_seconds ${timeout} is above ${EVENT_TIMEOUT_MAX}, the most an event-driven function may run`);
  }
  const account = trigger.service_account_email;
  if (!present(account)) {
    out.push(`${at}: event_trigger has no service_account_email (it would default to the compute default account)`);
  } else {
    if (account === service.service_account_email) {
      out.push(`${at}: event_trigger runs as the function's runtime account; give the trigger its own account (it needs run.invoker, the runtime does not)`);
    }
    if (triggerAccounts.has(account)) {
      out.push(`${at}: event_trigger shares its service account with ${triggerAccounts.get(account)}; each trigger gets its own, so each can invoke one function only`);
    } else {
      triggerAccounts.set(account, f.id);
    }
    triggerAccountRules(model, f, account, String(trigger.event_type) === PUBSUB_EVENT, out);
  }
  const filters = [].concat(trigger.event_filters ?? []);
  if (String(trigger.event_type).startsWith(STORAGE_EVENTS) && !filters.some((x) => x.attribute === 'bucket')) {
    out.push(`${at}: storage event_trigger has no event_filters { attribute = "bucket" }`);
  }
  if (String(trigger.event_type) === PUBSUB_EVENT) {
    if (referenced(model, trigger.pubsub_topic)?.type !== 'google_pubsub_topic') {
      out.push(`${at}: Pub/Sub event_trigger has no pubsub_topic naming a google_pubsub_topic (${JSON.stringify(trigger.pubsub_topic ?? null)})`);
    }
    deadLetterRules(model, f, out);
  }
}

/** The trigger's account invokes its function; a Pub/Sub trigger's account needs nothing else. */
function triggerAccountRules(model, f, account, pubsub, out) {
  const sa = onlyRef(account)?.match(/^(google_service_account\.[\w-]+)\.email$/)?.[1];
  if (!sa) return;
  const grants = model.resources.filter((r) => /_iam_member$/.test(r.type) && String(r.body.member).includes(`${sa}.`));
  const invokes = (r) => r.body.role === 'roles/run.invoker' && referenced(model, r.body.service) === f;
  if (!grants.some(invokes)) {
    out.push(`${f.file}: ${f.id}: no roles/run.invoker for its trigger account ${sa} on this function's service; Eventarc could not deliver`);
  }
  if (!pubsub) return;
  for (const r of grants.filter((g) => !invokes(g))) {
    const where = r.body.role === 'roles/run.invoker' ? ` on ${onlyRef(r.body.service) ?? r.body.service}` : '';
    out.push(`${r.file}: ${r.id}: grants ${r.body.role}${where} to ${sa}, the Pub/Sub trigger account of ${f.id}; a Pub/Sub trigger needs only roles/run.invoker on its function's service`);
  }
}

/**
 * Eventarc owns the subscription that feeds a Pub/Sub-triggered function, so its dead-letter
 * policy is set by a provisioner step that looks it up from the trigger (see terraform/pubsub.tf).
 */
function deadLetterRules(model, f, out) {
  const at = `${f.file}: ${f.id}`;
  const step = model.resources.find(
    (r) => ['terraform_data', 'null_resource'].includes(r.type) && strings(r.body).some((s) => s.includes(`${f.id}.event_trigger[0].trigger`)) && strings(r.body).some((s) => s.includes('--dead-letter-topic')),
  );
  if (!step) {
    out.push(`${at}: no dead-letter policy on its Eventarc subscription (a terraform_data that reads ${f.id}.event_trigger[0].trigger and runs gcloud pubsub subscriptions update --dead-letter-topic)`);
    return;
  }
  const topics = new Set(strings(step.body).flatMap((s) => [...s.matchAll(/\bgoogle_pubsub_topic\.([\w-]+)\./g)].map((m) => m[1])));
  if (topics.size === 0) {
    out.push(`${step.file}: ${step.id}: names no google_pubsub_topic as the dead-letter topic`);
    return;
  }
  for (const topic of topics) {
    const refersTo = (v) => onlyRef(v)?.startsWith(`google_pubsub_topic.${topic}.`);
    if (!ofType(model, 'google_pubsub_subscription').some((s) => refersTo(s.body.topic))) {
      out.push(`${step.file}: ${step.id}: dead-letter topic google_pubsub_topic.${topic} has no subscription; dead letters would be dropped`);
    }
    const agentPublishes = ofType(model, 'google_pubsub_topic_iam_member').some(
      (g) => refersTo(g.body.topic) && g.body.role === 'roles/pubsub.publisher' && String(resolveValue(model, g.body.member)).includes('@gcp-sa-pubsub.iam.gserviceaccount.com'),
    );
    if (!agentPublishes) {
      out.push(`${step.file}: ${step.id}: the Pub/Sub service agent has no roles/pubsub.publisher on google_pubsub_topic.${topic}; it could not forward dead letters`);
    }
  }
}

/** Returns the module directory holding the entry point class, if found. */
function entryPointRule(model, at, entryPoint, out) {
  if (typeof entryPoint !== 'string' || !/^[\w.]+$/.test(entryPoint)) {
    out.push(`${at}: entry_point ${JSON.stringify(entryPoint)} is not a class name`);
    return undefined;
  }
  const path = `src/main/java/${entryPoint.replaceAll('.', '/')}.java`;
  const functionsDir = join(model.repoDir, 'functions');
  const module = existsSync(functionsDir) ? readdirSync(functionsDir).find((m) => existsSync(join(functionsDir, m, path))) : undefined;
  if (!module) out.push(`${at}: entry_point ${entryPoint} is not a class under functions/*/src/main/java`);
  return module && join(functionsDir, module);
}

/** Returns the module directory whose shaded jar is deployed, if the chain checks out. */
function sourceRule(model, at, build, out) {
  const storage = block(build, 'source', 'storage_source');
  if (!storage) {
    out.push(`${at}: build_config.source.storage_source is missing (the function must be built from a zipped shaded jar)`);
    return undefined;
  }
  const object = referenced(model, storage.object);
  const name = object ? object.body.name : storage.object;
  if (typeof name !== 'string' || !HASH_REF.test(name)) {
    out.push(`${at}: source object name ${JSON.stringify(name)} does not contain the archive hash (data.archive_file.*.output_md5); a code change would not redeploy`);
    return undefined;
  }
  const [, archiveName, archiveKey] = name.match(/data\.archive_file\.([\w-]+)(?:\["([^"]*)"\])?\./);
  const archive = model.data.find((d) => d.type === 'archive_file' && d.name === archiveName && d.key === archiveKey);
  if (!archive) {
    out.push(`${at}: source object name refers to data.archive_file.${archiveName}${archiveKey ? `["${archiveKey}"]` : ''}, which is not defined`);
    return undefined;
  }
  if (archive.body.output_file_mode !== '0666') {
    out.push(`${archive.file}: ${archive.id}: output_file_mode is not "0666" (the hash would differ between machines)`);
  }
  return jarRule(model, archive, out);
}

/** The zipped jar must be what the function module's shade plugin writes. */
function jarRule(model, archive, out) {
  const at = `${archive.file}: ${archive.id}`;
  const jar = resolveValue(model, archive.body.source_file);
  const m = typeof jar === 'string' && jar.match(/^(.*)\/target\/([^/]+)\.jar$/);
  if (!m) {
    out.push(`${at}: source_file ${JSON.stringify(jar)} is not a module's target/<name>.jar`);
    return undefined;
  }
  const moduleDir = resolve(model.dir, m[1]);
  const info = pomInfo(join(moduleDir, 'pom.xml'));
  if (!info.exists || !info.shades || info.finalName !== m[2] || !info.servicesTransformer) {
    out.push(`${at}: ${relative(model.repoDir, join(moduleDir, 'pom.xml'))} does not shade into ${m[2]}.jar with ServicesResourceTransformer`);
    return undefined;
  }
  return moduleDir;
}

/** Every function module is deployed: forgetting one in local.functions fails here. */
function coverageRules(model) {
  const deployed = new Set(ofType(model, 'google_cloudfunctions2_function').map((f) => block(f.body, 'build_config')?.entry_point));
  const out = [];
  for (const m of functionModules(model.repoDir)) {
    for (const c of m.classes) {
      if (!deployed.has(c.name)) {
        out.push(`functions/${m.module}: ${c.name} (a ${c.kind} in a module that shades ${m.info.finalName}.jar) is not deployed: no google_cloudfunctions2_function has it as entry_point`);
      }
    }
  }
  return out;
}

function iamRules(model) {
  const out = [];
  for (const r of model.resources) {
    const at = `${r.file}: ${r.id}`;
    if (r.type === 'google_project_iam_binding' || r.type === 'google_project_iam_policy') {
      out.push(`${at}: authoritative project IAM (${r.type}) removes grants made elsewhere; use google_project_iam_member`);
    }
    if (!/_iam_(member|binding)$/.test(r.type)) continue;
    const role = r.body.role;
    const projectLevel = r.type.startsWith('google_project_iam_');
    if (FORBIDDEN_ROLES.has(role) && (projectLevel || role !== 'roles/storage.admin')) {
      out.push(`${at}: grants ${role}${projectLevel ? ' at project level' : ''}`);
    } else if (projectLevel && /\.admin$|Admin$/.test(String(role))) {
      out.push(`${at}: grants the admin role ${role} at project level`);
    } else if (projectLevel && !PROJECT_ROLES.has(role)) {
      out.push(`${at}: project-level role ${role} is not on the allow-list (${[...PROJECT_ROLES].join(', ')}); grant it on the resource instead`);
    } else if (projectLevel && role === 'roles/pubsub.publisher' && !String(r.body.member).includes('google_storage_project_service_account')) {
      out.push(`${at}: project-level roles/pubsub.publisher is for the Cloud Storage service agent only; grant publishers on their topics`);
    }
  }
  return out;
}

// What each of the deployment's own accounts may be granted, as README.md's IAM table lists it:
// "role on resource", the resource as the grant names it ("project" for a project-level grant).
// A grant to one of these accounts that is not listed widens it and fails the check; an account
// not listed here that holds grants fails too, so a new one gets its entry. The Gemini API key's
// readers are the backend rules' (they depend on the backends allowed).
const READS_WORK = 'roles/storage.objectViewer on google_storage_bucket.work';
const WRITES_WORK = 'roles/storage.objectUser on google_storage_bucket.work';
const FUNCTION_BASE = ['roles/datastore.user on project', 'roles/aiplatform.user on project'];
const publisher = (...topics) => topics.map((t) => `roles/pubsub.publisher on google_pubsub_topic.${t}`);
const invoker = (fn) => `roles/run.invoker on google_cloudfunctions2_function.function["${fn}"]`;
const GRANTS = {
  submit: [WRITES_WORK, ...FUNCTION_BASE, 'roles/storage.objectViewer on google_storage_bucket.inbox', ...publisher('results', 'events')],
  poll: [READS_WORK, WRITES_WORK, ...FUNCTION_BASE, ...publisher('events', 'completions', 'results', 'poll_slices')],
  poll_slices: [READS_WORK, WRITES_WORK, ...FUNCTION_BASE, ...publisher('events', 'completions')],
  publish: [WRITES_WORK, ...FUNCTION_BASE, ...publisher('results', 'events', 'completions')],
  trigger: ['roles/eventarc.eventReceiver on project', invoker('submit')],
  publish_trigger: [invoker('publish')],
  poll_slices_trigger: [invoker('poll-slices')],
  scheduler: [invoker('poll')],
};
// Grants an account needs only while the Gemini API backend is allowed, and must not hold
// otherwise: on Vertex AI poll and poll-slices only read the work bucket (the run watchdog's
// invalid.jsonl); on the Gemini API they copy responses files in, through a partial object they
// delete, and write a recovered create's Gemini shard (functions/cloud .../gemini).
const GEMINI_ONLY_GRANTS = { poll: [WRITES_WORK], poll_slices: [WRITES_WORK] };
// The argument naming what an *_iam_member grants on, by resource type.
const GRANT_TARGETS = ['bucket', 'topic', 'subscription', 'service', 'cloud_function', 'service_account_id', 'secret_id', 'repository'];
const PUBLIC_MEMBERS = /^(allUsers|allAuthenticatedUsers)$/;

function grantRules(model) {
  const out = [];
  for (const r of model.resources) {
    if (!/_iam_(member|binding)$/.test(r.type)) continue;
    const at = `${r.file}: ${r.id}`;
    const members = r.body.members !== undefined ? [].concat(r.body.members) : [r.body.member];
    for (const member of members.map((m) => resolveValue(model, m))) {
      if (PUBLIC_MEMBERS.test(String(member))) {
        out.push(`${at}: grants ${r.body.role} to ${member}: nothing of Batchdrop is for anyone but its own accounts`);
        continue;
      }
      const account = String(member).match(/\bgoogle_service_account\.([\w-]+)\./)?.[1];
      if (!account || r.type.startsWith('google_secret_manager_secret_iam_')) continue;
      const allowed = GRANTS[account];
      if (!allowed) {
        out.push(`${at}: grants ${r.body.role} to google_service_account.${account}, which has no entry in GRANTS (terraform/check/check.mjs); list what its job needs there and in README.md's IAM table`);
        continue;
      }
      const targetArg = r.type.startsWith('google_project_iam_') ? undefined : GRANT_TARGETS.find((a) => r.body[a] !== undefined);
      const target = targetArg === undefined ? 'project' : referenced(model, r.body[targetArg])?.id ?? JSON.stringify(r.body[targetArg]);
      const grant = `${r.body.role} on ${target}`;
      if (!allowed.includes(grant)) {
        out.push(`${at}: grants ${r.body.role} on ${target === 'project' ? 'the project' : target} to google_service_account.${account}, beyond what its job reads, writes and publishes (README.md's IAM table; GRANTS in terraform/check/check.mjs)`);
      }
    }
  }
  return out;
}

function bucketRules(model) {
  const out = [];
  for (const b of ofType(model, 'google_storage_bucket')) {
    const at = `${b.file}: ${b.id}`;
    if (b.body.uniform_bucket_level_access !== true) out.push(`${at}: uniform_bucket_level_access is not true`);
    if (b.body.public_access_prevention !== 'enforced') out.push(`${at}: public_access_prevention is not "enforced"`);
  }
  return out;
}

/**
 * Every function reads the work bucket on every backend, and submit and publish write it on every
 * backend too (staged shards, invalid.jsonl, retry shards, reports: objectUser, since they delete
 * what they staged); poll and poll-slices write it on the Gemini API backend only, which
 * GEMINI_ONLY_GRANTS and backendGrantRules hold them to. A grant with a count is not one every
 * deployment has, so it does not count here.
 */
function workBucketRules(model) {
  const work = ofType(model, 'google_storage_bucket').find((b) => b.id === 'google_storage_bucket.work');
  if (!work) return [];
  const out = [];
  const grants = ofType(model, 'google_storage_bucket_iam_member').filter((g) => referenced(model, g.body.bucket) === work && g.body.count === undefined);
  for (const f of ofType(model, 'google_cloudfunctions2_function')) {
    const account = onlyRef(block(f.body, 'service_config')?.service_account_email)?.match(/^(google_service_account\.[\w-]+)\.email$/)?.[1];
    if (!account) continue; // reported by the function rules
    const held = grants.filter((g) => String(g.body.member).includes(`${account}.`)).map((g) => g.body.role);
    const writesAlways = !(GEMINI_ONLY_GRANTS[accountOf(`${account}.`)] ?? []).includes(WRITES_WORK);
    if (writesAlways && !held.includes('roles/storage.objectUser')) {
      out.push(`${f.file}: ${f.id}: its runtime account ${account} has no roles/storage.objectUser on google_storage_bucket.work, which it writes on every backend`);
    } else if (!writesAlways && !held.some((r) => ['roles/storage.objectViewer', 'roles/storage.objectUser'].includes(r))) {
      out.push(`${f.file}: ${f.id}: its runtime account ${account} has no roles/storage.objectViewer on google_storage_bucket.work, which it reads on every backend`);
    }
  }
  return out;
}

function schedulerRules(model) {
  const out = [];
  for (const job of ofType(model, 'google_cloud_scheduler_job')) {
    const at = `${job.file}: ${job.id}`;
    const http = block(job.body, 'http_target');
    if (!http) continue;
    const oidc = block(http, 'oidc_token');
    if (!oidc || !present(oidc.service_account_email)) {
      out.push(`${at}: http_target has no oidc_token with a service_account_email (the function must not be public)`);
    }
    const target = referenced(model, http.uri);
    const timeout = target && Number(block(target.body, 'service_config')?.timeout_seconds);
    const deadline = String(job.body.attempt_deadline ?? '180s');
    const literal = deadline.match(/^(\d+)s$/);
    const derived = deadline.match(/^\$\{[^}]*\.timeout_seconds\s*\+\s*(\d+)\s*\}s$/);
    if (timeout && !(literal ? Number(literal[1]) >= timeout : derived)) {
      out.push(`${at}: attempt_deadline ${deadline} is below ${target.id}'s timeout (${timeout}s); Scheduler would start a second call while the first runs`);
    }
  }
  return out;
}

function firestoreRules(model) {
  const indexes = ofType(model, 'google_firestore_index').map((r) => ({
    collection: r.body.collection,
    fields: [].concat(r.body.fields ?? []).map((f) => [f.field_path, f.order]).filter(([p]) => p !== '__name__'),
  }));
  const out = [];
  for (const [collection, fields] of REQUIRED_INDEXES) {
    const want = JSON.stringify(fields);
    if (!indexes.some((i) => i.collection === collection && JSON.stringify(i.fields) === want)) {
      out.push(`missing google_firestore_index on ${collection} (${fields.map(([p, o]) => `${p} ${o === 'ASCENDING' ? 'ASC' : 'DESC'}`).join(', ')}) that poll's query needs`);
    }
  }
  return out;
}

// A shard's attempts run one after another, each a batch job that may wait 72 h in Vertex AI's
// queue and then run 24 h (vertex-batch.md §1 item 7), and publish reads the first attempt's staged
// shard (and the run's invalid.jsonl) until the last attempt is published. A day on top for the
// submit before and the publish after.
const ATTEMPT_DAYS = 4;
const MARGIN_DAYS = 1;
const MOST_ATTEMPTS_TRIED = 100; // max_attempts values beyond what its validation allows are not tried

/**
 * The work bucket keeps a run's files until its last attempt is published: its Delete age, with
 * the defaults and with every value the variables' validations let through.
 */
function retentionRules(model) {
  const work = ofType(model, 'google_storage_bucket').find((b) => b.id === 'google_storage_bucket.work');
  if (!work) return [];
  const at = `${work.file}: ${work.id}`;
  const out = [];
  const needed = (attempts) => ATTEMPT_DAYS * attempts + MARGIN_DAYS;
  const why = (attempts) =>
    `a run with max_attempts = ${attempts} may take ${ATTEMPT_DAYS * attempts} days (per attempt 72 h queued and 24 h running in Vertex AI), and its staged shards and invalid.jsonl are read until its last attempt is published`;
  const validations = (name) => [].concat(model.variables[name]?.validation ?? []).map((v) => v.condition);
  const accepts = (name, vars) => validations(name).every((c) => evaluate(model, c, vars) === true);
  const attemptsVar = model.variables.max_attempts;
  const attemptsDefault = attemptsVar ? Number(attemptsVar.default ?? 1) : 1;
  for (const rule of [].concat(work.body.lifecycle_rule ?? [])) {
    if (block(rule, 'action')?.type !== 'Delete') continue;
    const age = block(rule, 'condition')?.age;
    if (age === undefined) continue;
    const ageVar = onlyRef(age)?.match(/^var\.([\w-]+)$/)?.[1];
    const days = Number(resolveValue(model, age));
    if (Number.isFinite(days) && days < needed(attemptsDefault)) {
      out.push(`${at}: deletes objects after ${days} days with the defaults, below ${needed(attemptsDefault)}: ${why(attemptsDefault)}`);
    }
    if (!ageVar) continue;
    // Every max_attempts its validation accepts, each with one day too few: the validation of the
    // age must refuse it, or a deployment could set it and lose a slow run's files.
    const tried = attemptsVar ? [...Array(MOST_ATTEMPTS_TRIED).keys()].map((i) => i + 1).filter((n) => accepts('max_attempts', { max_attempts: n })) : [1];
    for (const attempts of tried) {
      const short = needed(attempts) - 1;
      const vars = { [ageVar]: short, max_attempts: attempts };
      if (validations(ageVar).some((c) => evaluate(model, c, vars) === undefined)) {
        out.push(`${at}: a validation of var.${ageVar} cannot be evaluated offline; expected one comparing it with var.max_attempts`);
        break;
      }
      if (accepts(ageVar, vars)) {
        out.push(`${at}: var.${ageVar} = ${short} passes its validation with max_attempts = ${attempts}, yet ${why(attempts)}; expected a validation refusing less than ${ATTEMPT_DAYS} days per attempt plus ${MARGIN_DAYS}`);
        break;
      }
    }
  }
  return out;
}

// ---- the backends: the Gemini API key secret and who may read it -----------------------------

// The backend variables a deployment may set, each checked: the secret and its readers must
// follow them (variables.tf: backend, allowed_backends).
const BACKEND_SCENARIOS = [
  { backend: 'vertex', allowed_backends: [] },
  { backend: 'gemini-api', allowed_backends: [] },
  { backend: 'vertex', allowed_backends: ['vertex', 'gemini-api'] },
];
const ACCESSOR = 'roles/secretmanager.secretAccessor';
// A function module calls the Gemini API when its code reaches the batch backends of the shared
// runtime (CloudClients.backends() or jobCreators()), the only way to GeminiApiBackend.
const CALLS_BACKENDS = /\.(backends|jobCreators)\s*\(/;

/**
 * Evaluates the small part of Terraform's expression language that count and for_each of the
 * backend resources use: var.X and local.X references, contains(), length(), comparisons, ?:,
 * floor(), [list] and { key = value } literals; any other resource reference is kept as its text. Returns
 * undefined when the expression is outside that part.
 */
function evaluate(model, value, vars, depth = 0) {
  if (typeof value !== 'string') return value;
  const m = value.match(/^\$\{([\s\S]*)\}$/);
  if (!m || depth > 8) return value;
  let js = m[1]
    .replace(/"(?:[^"\\]|\\.)*"/g, (q) => `\u0000${Buffer.from(q).toString('base64')}\u0000`)
    .replace(/\b(var|local)\.([\w-]+)/g, (_, kind, name) => `${kind === 'var' ? 'V' : 'L'}(${JSON.stringify(name)})`)
    .replace(/\b([a-z][\w-]*\.[\w-]+(?:\[[^\]]*\])?(?:\.[\w-]+)+)/g, (ref) => (/^[VL]\(/.test(ref) ? ref : JSON.stringify(ref)))
    .replace(/\bcontains\(/g, 'C(')
    .replace(/\blength\(/g, 'N(')
    .replace(/\bfloor\(/g, 'F(')
    .replace(/\{([^{}]*)\}/g, (_, inner) => `({${inner.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => l.replace(/^([\w-]+)\s*=\s*/, '"$1": ')).join(', ')}})`)
    .replace(/\u0000([^\u0000]*)\u0000/g, (_, b64) => Buffer.from(b64, 'base64').toString());
  const V = (name) => (name in vars ? vars[name] : model.variables[name]?.default);
  const L = (name) => evaluate(model, model.locals[name], vars, depth + 1);
  const C = (list, item) => Array.isArray(list) && list.includes(item);
  const N = (x) => (Array.isArray(x) ? x.length : isObject(x) ? Object.keys(x).length : String(x).length);
  try {
    return Function('V', 'L', 'C', 'N', 'F', `"use strict"; return (${js});`)(V, L, C, N, Math.floor);
  } catch {
    return undefined;
  }
}

/** The resource name of a google_service_account reference ("google_service_account.poll.email"). */
const accountOf = (expr) => String(expr ?? '').match(/google_service_account\.([\w-]+)\./)?.[1];

function backendRules(model) {
  const out = [];
  const raw = (type) => {
    const seen = new Set();
    return ofType(model, type).filter((r) => !seen.has(r.id.replace(/\[.*$/, '')) && seen.add(r.id.replace(/\[.*$/, '')));
  };
  const secrets = raw('google_secret_manager_secret');
  const readers = raw('google_secret_manager_secret_iam_member').filter((r) => r.body.role === ACCESSOR);
  for (const r of raw('google_secret_manager_secret_iam_member')) {
    if (r.body.role !== ACCESSOR) out.push(`${r.file}: ${r.id.replace(/\[.*$/, '')}: grants ${r.body.role} on a secret; the functions only need ${ACCESSOR}`);
  }
  for (const r of raw('google_secret_manager_secret_iam_binding')) {
    out.push(`${r.file}: ${r.id}: authoritative secret IAM (google_secret_manager_secret_iam_binding); use google_secret_manager_secret_iam_member`);
  }
  const modules = functionModules(model.repoDir);
  const callers = new Set(); // service account resource names of functions that call the Gemini API
  for (const f of ofType(model, 'google_cloudfunctions2_function')) {
    const entry = block(f.body, 'build_config')?.entry_point;
    const mod = modules.find((m) => m.classes.some((c) => c.name === entry));
    if (!mod) continue;
    const calls = javaFiles(join(mod.dir, 'src/main/java')).some((file) => CALLS_BACKENDS.test(readFileSync(file, 'utf8')));
    const account = accountOf(block(f.body, 'service_config')?.service_account_email);
    if (calls && account) callers.add(account);
    const env = resolveMap(model, block(f.body, 'service_config')?.environment_variables) ?? {};
    if (calls && !present(env.BATCHDROP_GEMINI_API_KEY_SECRET)) {
      out.push(`${f.file}: ${f.id}: calls the Gemini API but BATCHDROP_GEMINI_API_KEY_SECRET is not in its environment_variables`);
    }
    if ('GEMINI_API_KEY' in env) {
      out.push(`${f.file}: ${f.id}: GEMINI_API_KEY is set in Terraform, so the key would sit in the state file; use BATCHDROP_GEMINI_API_KEY_SECRET`);
    }
  }
  for (const vars of BACKEND_SCENARIOS) {
    const gemini = (vars.allowed_backends.length ? vars.allowed_backends : [vars.backend]).includes('gemini-api');
    const shown = `backend = "${vars.backend}", allowed_backends = ${JSON.stringify(vars.allowed_backends)}`;
    let made = 0;
    for (const r of secrets) {
      const count = r.body.count === undefined ? 1 : evaluate(model, r.body.count, vars);
      if (typeof count !== 'number') {
        out.push(`${r.file}: ${r.id}: count ${JSON.stringify(r.body.count)} cannot be evaluated offline; expected one that follows the backend variables`);
        return out;
      }
      made += count;
      if (!gemini && count > 0) out.push(`${r.file}: ${r.id}: exists with ${shown}; create the Gemini API key secret only when gemini-api is allowed`);
    }
    if (gemini && made !== 1) out.push(`with ${shown}: ${made} Gemini API key secret(s); expected exactly one google_secret_manager_secret`);
    const granted = new Set();
    for (const r of readers) {
      const at = `${r.file}: ${r.id.replace(/\[.*$/, '')}`;
      if (!/google_secret_manager_secret\.[\w-]+/.test(String(r.body.secret_id))) {
        out.push(`${at}: secret_id ${JSON.stringify(r.body.secret_id)} is not the Gemini API key secret defined here`);
      }
      const each = r.body.for_each === undefined ? undefined : evaluate(model, r.body.for_each, vars);
      const members = r.body.for_each === undefined ? [r.body.member] : isObject(each) ? Object.values(each) : undefined;
      if (!members) {
        out.push(`${at}: for_each ${JSON.stringify(r.body.for_each)} cannot be evaluated offline; expected a map that follows the backend variables`);
        return out;
      }
      if (!gemini && members.length > 0) out.push(`${at}: grants ${ACCESSOR} with ${shown}; nothing calls the Gemini API then`);
      for (const member of gemini ? members : []) {
        const account = accountOf(member);
        if (!callers.has(account)) out.push(`${at}: grants ${ACCESSOR} to ${member}, which is no function that calls the Gemini API`);
        granted.add(account);
      }
    }
    for (const account of gemini ? callers : []) {
      if (!granted.has(account)) out.push(`with ${shown}: google_service_account.${account} runs a function that calls the Gemini API but has no ${ACCESSOR} on the key secret`);
    }
  }
  return out;
}

/**
 * The grants of GEMINI_ONLY_GRANTS exist exactly when gemini-api is allowed: with each backend
 * scenario, a grant to one of those accounts whose count evaluates above 0 (or that has none)
 * widens it on Vertex AI alone, and a missing one leaves the Gemini API backend failing.
 */
function backendGrantRules(model) {
  const out = [];
  const target = (r) => {
    const arg = r.type.startsWith('google_project_iam_') ? undefined : GRANT_TARGETS.find((a) => r.body[a] !== undefined);
    return arg === undefined ? 'project' : referenced(model, r.body[arg])?.id ?? JSON.stringify(r.body[arg]);
  };
  const grants = model.resources
    .filter((r) => /_iam_member$/.test(r.type))
    .map((r) => ({ r, account: accountOf(r.body.member), grant: `${r.body.role} on ${target(r)}` }))
    .filter(({ account, grant }) => GEMINI_ONLY_GRANTS[account]?.includes(grant));
  for (const vars of BACKEND_SCENARIOS) {
    const gemini = (vars.allowed_backends.length ? vars.allowed_backends : [vars.backend]).includes('gemini-api');
    const shown = `backend = "${vars.backend}", allowed_backends = ${JSON.stringify(vars.allowed_backends)}`;
    for (const [account, needed] of Object.entries(GEMINI_ONLY_GRANTS)) {
      if (!model.resources.some((r) => r.type === 'google_service_account' && r.name === account)) continue;
      for (const grant of needed) {
        let made = 0;
        for (const { r } of grants.filter((g) => g.account === account && g.grant === grant)) {
          const count = r.body.count === undefined ? 1 : evaluate(model, r.body.count, vars);
          if (typeof count !== 'number') {
            out.push(`${r.file}: ${r.id}: count ${JSON.stringify(r.body.count)} cannot be evaluated offline; expected one that follows the backend variables`);
            return out;
          }
          made += count;
          if (!gemini && count > 0) {
            out.push(`${r.file}: ${r.id}: grants ${grant} to google_service_account.${account} with ${shown}; it writes the work bucket only on the Gemini API backend (grant it with count = local.uses_gemini ? 1 : 0)`);
          }
        }
        if (gemini && made === 0) out.push(`with ${shown}: google_service_account.${account} has no ${grant}, which its Gemini API backend writes with`);
      }
    }
  }
  return out;
}

/** The environment every function needs: what functions/cloud (the shared runtime) requires. */
function sharedEnv(repoDir) {
  const cloud = join(repoDir, 'functions/cloud/src/main/java');
  return { shared: requiredEnvNames([cloud]), cloud };
}

async function check(dir, repoDir, env) {
  const { model, errors } = await load(dir, repoDir);
  if (errors.length) return errors; // rules over a partial configuration would only add noise
  return [
    ...model.problems,
    ...functionRules(model, env),
    ...coverageRules(model),
    ...iamRules(model),
    ...grantRules(model),
    ...bucketRules(model),
    ...workBucketRules(model),
    ...schedulerRules(model),
    ...firestoreRules(model),
    ...retentionRules(model),
    ...backendRules(model),
    ...backendGrantRules(model),
  ];
}

// ---- self-test: each fixture declares the failures it must produce ("# expect: <text>") -----
// A fixture is one .tf file (checked against this repository's functions/), or a directory laid
// out like the repository (terraform/*.tf and functions/*) checked against its own functions/.

async function selfTest(env) {
  const fixturesDir = join(HERE, 'fixtures');
  const fixtures = readdirSync(fixturesDir).filter((f) => f.endsWith('.tf') || existsSync(join(fixturesDir, f, 'terraform'))).sort();
  let failed = 0;
  for (const fixture of fixtures) {
    let failures;
    let text;
    if (fixture.endsWith('.tf')) {
      text = readFileSync(join(fixturesDir, fixture), 'utf8');
      const dir = mkdtempSync(join(tmpdir(), 'tfcheck-'));
      try {
        writeFileSync(join(dir, fixture), text);
        failures = await check(dir, REPO_DIR, env);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } else {
      const root = join(fixturesDir, fixture);
      const tfDir = join(root, 'terraform');
      text = readdirSync(tfDir).filter((f) => f.endsWith('.tf')).map((f) => readFileSync(join(tfDir, f), 'utf8')).join('\n');
      const own = sharedEnv(root);
      failures = await check(tfDir, root, existsSync(own.cloud) ? own : env);
    }
    const expected = [...text.matchAll(/^# expect: (.+)$/gm)].map((m) => m[1].trim());
    // "# not: <text>": a failure the rules must not report for this fixture (no false alarms).
    const unwanted = [...text.matchAll(/^# not: (.+)$/gm)].map((m) => m[1].trim());
    const missing = expected.filter((e) => !failures.some((f) => f.includes(e)));
    const wrong = unwanted.filter((u) => failures.some((f) => f.includes(u)));
    if (expected.length === 0 || missing.length || wrong.length) {
      failed++;
      console.log(`FAIL ${fixture}: expected failures not reported, or unwanted ones reported:`);
      for (const e of expected.length ? missing : ['(the fixture declares no "# expect:" line)']) console.log(`  - ${e}`);
      for (const u of wrong) console.log(`  + ${u}`);
      console.log('  reported:');
      for (const f of failures) console.log(`    ${f}`);
    } else {
      console.log(`ok   ${fixture}: rejected with the ${expected.length} expected message(s)`);
    }
  }
  console.log(`${fixtures.length - failed} passed, ${failed} failed`);
  return failed === 0 && fixtures.length > 0;
}

// ---- main -------------------------------------------------------------------------------------

{
  const args = process.argv.slice(2);
  const dirArg = args.indexOf('--dir');
  const dir = dirArg >= 0 ? resolve(args[dirArg + 1]) : TERRAFORM_DIR;
  const env = sharedEnv(REPO_DIR);
  if (env.shared.length === 0) {
    console.error(`no required("…") call found under ${relative(REPO_DIR, env.cloud)}: has the configuration moved out of functions/cloud? Update check.mjs.`);
    process.exit(1);
  }
  if (args.includes('--self-test')) {
    process.exit((await selfTest(env)) ? 0 : 1);
  }
  const failures = await check(dir, REPO_DIR, env);
  for (const f of failures) console.log(`FAIL ${f}`);
  if (failures.length) {
    console.log(`terraform check: ${failures.length} rule(s) broken in ${relative(REPO_DIR, dir)}/*.tf`);
    process.exit(1);
  }
  const deployed = ofType((await load(dir, REPO_DIR)).model, 'google_cloudfunctions2_function').map((f) => f.key ?? f.name);
  console.log(`terraform check: ${relative(REPO_DIR, dir)}/*.tf parse and follow the deployment rules (functions: ${deployed.join(', ')}; required env: ${env.shared.join(', ')})`);
}
