// Offline check of the Terraform deployment: HCL syntax of every terraform/*.tf, then Batchdrop's
// deployment rules on the parsed configuration. No terraform binary or provider is needed.
//
//   node check.mjs               check ../*.tf; exit 1 with one line per broken rule
//   node check.mjs --self-test   every fixture in fixtures/ must fail with the messages it expects
//   node check.mjs --dir D       check D/*.tf instead
import { readdirSync, readFileSync, existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import hcl2json from '@cdktf/hcl2json';

const HERE = dirname(fileURLToPath(import.meta.url));
const TERRAFORM_DIR = resolve(HERE, '..');
const REPO_DIR = resolve(TERRAFORM_DIR, '..');
const CONFIG_JAVA = join(REPO_DIR, 'functions/cloud/src/main/java/io/batchdrop/cloud/config/BatchdropConfig.java');

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
];
const HASH_REF = /\$\{[^}]*data\.archive_file\.[\w-]+\.output_(md5|sha|sha256|sha512|base64sha256|base64sha512)\b/;

// ---- loading ---------------------------------------------------------------------------------

/** Parses every *.tf of dir; returns { model, errors } with syntax errors as "file:line,col: …". */
async function load(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.tf')).sort();
  const model = { resources: [], data: [], locals: {}, variables: {}, dir };
  const errors = [];
  for (const file of files) {
    const shown = relative(REPO_DIR, join(dir, file)).startsWith('..') ? file : relative(REPO_DIR, join(dir, file));
    let json;
    try {
      json = await hcl2json.parse(shown, readFileSync(join(dir, file), 'utf8'));
    } catch (e) {
      errors.push(`syntax: ${String(e.message ?? e).replace(/^parse config: \[(.*)\]$/s, '$1')}`);
      continue;
    }
    for (const [kind, target] of [['resource', model.resources], ['data', model.data]]) {
      for (const [type, byName] of Object.entries(json[kind] ?? {})) {
        for (const [name, bodies] of Object.entries(byName)) {
          target.push({ type, name, body: bodies[0], file: shown, id: `${type}.${name}` });
        }
      }
    }
    for (const block of json.locals ?? []) Object.assign(model.locals, block);
    for (const [name, bodies] of Object.entries(json.variable ?? {})) model.variables[name] = bodies[0];
  }
  if (files.length === 0) errors.push(`no *.tf file in ${dir}`);
  return { model, errors };
}

// ---- small helpers over the hcl2json shape (blocks are arrays, expressions "${…}") ------------

const first = (v) => (Array.isArray(v) ? v[0] : v);
const block = (body, ...path) => path.reduce((b, key) => (b == null ? undefined : first(b[key])), body);
const onlyRef = (v) => (typeof v === 'string' ? v.match(/^\$\{([^}]*)\}$/)?.[1]?.trim() : undefined);

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

/** The resource a "${type.name.attr}" expression points at. */
function referenced(model, value) {
  const ref = onlyRef(value);
  const m = ref?.match(/^([\w-]+)\.([\w-]+)\./);
  return m ? model.resources.find((r) => r.type === m[1] && r.name === m[2]) : undefined;
}

const ofType = (model, type) => model.resources.filter((r) => r.type === type);
const present = (v) => v !== undefined && v !== null && v !== '';

/** Names the Java config refuses to start without, read from the code so this check follows it. */
function requiredEnvNames(javaSource) {
  const names = new Set();
  for (const m of javaSource.matchAll(/env\.required\(\s*"([A-Z0-9_]+)"/g)) names.add(m[1]);
  // optional("A").or(...).orElseThrow(...): A is required too (the fallbacks are older names).
  for (const m of javaSource.matchAll(/env\.optional\(\s*"([A-Z0-9_]+)"\s*\)(?:\s*\.or\([^;]*?\))?\s*\.orElseThrow/g)) {
    names.add(m[1]);
  }
  return [...names];
}

// ---- rules: each returns a list of failure lines ----------------------------------------------

function functionRules(model, requiredEnv) {
  const out = [];
  const functions = ofType(model, 'google_cloudfunctions2_function');
  if (functions.length === 0) out.push('no google_cloudfunctions2_function is defined');
  for (const f of functions) {
    const at = `${f.file}: ${f.id}`;
    const build = block(f.body, 'build_config') ?? {};
    const service = block(f.body, 'service_config') ?? {};
    const runtime = resolveValue(model, build.runtime);
    if (!RUNTIMES.has(runtime)) out.push(`${at}: runtime is ${JSON.stringify(runtime)}; expected one of ${[...RUNTIMES].join(', ')}`);
    if (!present(service.service_account_email)) {
      out.push(`${at}: service_config has no service_account_email (the default compute account is far too broad)`);
    }
    entryPointRule(at, build.entry_point, out);
    sourceRule(model, at, build, out);

    const env = resolveValue(model, service.environment_variables);
    if (env === null || typeof env !== 'object') {
      out.push(`${at}: environment_variables is not a map or a local holding one (${JSON.stringify(env)}); cannot check the required variables`);
    } else {
      for (const name of requiredEnv) {
        if (!present(env[name])) out.push(`${at}: environment variable ${name} is not set (BatchdropConfig requires it)`);
      }
    }

    const trigger = block(f.body, 'event_trigger');
    if (trigger) {
      if (trigger.retry_policy !== 'RETRY_POLICY_RETRY') {
        out.push(`${at}: event_trigger.retry_policy is ${JSON.stringify(trigger.retry_policy)}; expected "RETRY_POLICY_RETRY" (retries are off by default and a failed event would be lost)`);
      }
      if (!present(trigger.service_account_email)) {
        out.push(`${at}: event_trigger has no service_account_email (it would default to the compute default account)`);
      }
      const filters = [].concat(trigger.event_filters ?? []);
      if (String(trigger.event_type).startsWith('google.cloud.storage.object.') && !filters.some((x) => x.attribute === 'bucket')) {
        out.push(`${at}: storage event_trigger has no event_filters { attribute = "bucket" }`);
      }
    }
  }
  return out;
}

function entryPointRule(at, entryPoint, out) {
  if (typeof entryPoint !== 'string' || !/^[\w.]+$/.test(entryPoint)) {
    out.push(`${at}: entry_point ${JSON.stringify(entryPoint)} is not a class name`);
    return;
  }
  const path = `src/main/java/${entryPoint.replaceAll('.', '/')}.java`;
  const functionsDir = join(REPO_DIR, 'functions');
  const found = existsSync(functionsDir) && readdirSync(functionsDir).some((m) => existsSync(join(functionsDir, m, path)));
  if (!found) out.push(`${at}: entry_point ${entryPoint} is not a class under functions/*/src/main/java`);
}

function sourceRule(model, at, build, out) {
  const storage = block(build, 'source', 'storage_source');
  if (!storage) {
    out.push(`${at}: build_config.source.storage_source is missing (the function must be built from a zipped shaded jar)`);
    return;
  }
  const object = referenced(model, storage.object);
  const name = object ? object.body.name : storage.object;
  if (typeof name !== 'string' || !HASH_REF.test(name)) {
    out.push(`${at}: source object name ${JSON.stringify(name)} does not contain the archive hash (data.archive_file.*.output_md5); a code change would not redeploy`);
    return;
  }
  const archiveName = name.match(/data\.archive_file\.([\w-]+)\./)[1];
  const archive = model.data.find((d) => d.type === 'archive_file' && d.name === archiveName);
  if (!archive) {
    out.push(`${at}: source object name refers to data.archive_file.${archiveName}, which is not defined`);
    return;
  }
  if (archive.body.output_file_mode !== '0666') {
    out.push(`${archive.file}: data.archive_file.${archiveName}: output_file_mode is not "0666" (the hash would differ between machines)`);
  }
  jarRule(model, archive, out);
}

/** The zipped jar must be what the function module's shade plugin writes. */
function jarRule(model, archive, out) {
  const at = `${archive.file}: data.archive_file.${archive.name}`;
  const jar = resolveValue(model, archive.body.source_file);
  const m = typeof jar === 'string' && jar.match(/^(.*)\/target\/([^/]+)\.jar$/);
  if (!m) {
    out.push(`${at}: source_file ${JSON.stringify(jar)} is not a module's target/<name>.jar`);
    return;
  }
  const pom = resolve(model.dir, m[1], 'pom.xml');
  const text = existsSync(pom) ? readFileSync(pom, 'utf8') : '';
  if (!text.includes('ServicesResourceTransformer') || !text.includes(`<finalName>${m[2]}</finalName>`)) {
    out.push(`${at}: ${relative(REPO_DIR, pom)} does not shade into ${m[2]}.jar with ServicesResourceTransformer`);
  }
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

function bucketRules(model) {
  const out = [];
  for (const b of ofType(model, 'google_storage_bucket')) {
    const at = `${b.file}: ${b.id}`;
    if (b.body.uniform_bucket_level_access !== true) out.push(`${at}: uniform_bucket_level_access is not true`);
    if (b.body.public_access_prevention !== 'enforced') out.push(`${at}: public_access_prevention is not "enforced"`);
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

async function check(dir, requiredEnv) {
  const { model, errors } = await load(dir);
  if (errors.length) return errors; // rules over a partial configuration would only add noise
  return [
    ...functionRules(model, requiredEnv),
    ...iamRules(model),
    ...bucketRules(model),
    ...schedulerRules(model),
    ...firestoreRules(model),
  ];
}

// ---- self-test: each fixture declares the failures it must produce ("# expect: <text>") -----

async function selfTest(requiredEnv) {
  const fixturesDir = join(HERE, 'fixtures');
  const fixtures = readdirSync(fixturesDir).filter((f) => f.endsWith('.tf')).sort();
  let failed = 0;
  for (const fixture of fixtures) {
    const text = readFileSync(join(fixturesDir, fixture), 'utf8');
    const expected = [...text.matchAll(/^# expect: (.+)$/gm)].map((m) => m[1].trim());
    const dir = mkdtempSync(join(tmpdir(), 'tfcheck-'));
    let failures;
    try {
      writeFileSync(join(dir, fixture), text);
      failures = await check(dir, requiredEnv);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const missing = expected.filter((e) => !failures.some((f) => f.includes(e)));
    if (expected.length === 0 || missing.length) {
      failed++;
      console.log(`FAIL ${fixture}: expected failures not reported:`);
      for (const e of expected.length ? missing : ['(the fixture declares no "# expect:" line)']) console.log(`  - ${e}`);
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
  const requiredEnv = requiredEnvNames(readFileSync(CONFIG_JAVA, 'utf8'));
  if (requiredEnv.length === 0) {
    console.error(`no env.required("…") found in ${relative(REPO_DIR, CONFIG_JAVA)}: has the configuration moved? Update check.mjs.`);
    process.exit(1);
  }
  if (args.includes('--self-test')) {
    process.exit((await selfTest(requiredEnv)) ? 0 : 1);
  }
  const failures = await check(dir, requiredEnv);
  for (const f of failures) console.log(`FAIL ${f}`);
  if (failures.length) {
    console.log(`terraform check: ${failures.length} rule(s) broken in ${relative(REPO_DIR, dir)}/*.tf`);
    process.exit(1);
  }
  console.log(`terraform check: ${relative(REPO_DIR, dir)}/*.tf parse and follow the deployment rules (required env: ${requiredEnv.join(', ')})`);
}
