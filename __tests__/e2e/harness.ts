/**
 * Runs the bundled action (dist/) the way the GitHub runner does: every input of action.yml as
 * INPUT_<NAME> with defaults applied, the GITHUB_* file commands as files, an event payload, then
 * the post step with STATE_* restored from main's GITHUB_STATE.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { parse as parseYaml } from 'yaml';

import { parseList } from '../../src/lists.js';
import { summaryPlain } from '../../src/run/summary.js';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const REGISTRY = process.env.MULTIARCH_REGISTRY || '127.0.0.1:5000';

interface ActionYml {
  inputs: Record<string, { default?: string }>;
  outputs?: Record<string, { description?: string }>;
  runs: { using: string; main: string; post: string };
}

export function actionYml(dir = ROOT): ActionYml {
  return parseYaml(fs.readFileSync(path.join(dir, 'action.yml'), 'utf8')) as ActionYml;
}

let nodeBin: string | undefined;
/** The node the runner would use (runs.using: node24). */
export function runnerNode(): string {
  if (!nodeBin) {
    nodeBin = execFileSync('bash', [path.join(ROOT, 'scripts/ensure-node24.sh')], { encoding: 'utf8' }).trim();
  }
  return nodeBin;
}

export interface Workflow {
  /** Action inputs by name; unset inputs get action.yml defaults. */
  inputs?: Record<string, string>;
  workspace: string;
  eventName?: string;
  payload?: Record<string, unknown>;
  ref?: string;
  sha?: string;
  env?: Record<string, string>;
  /** Put a logging `docker` shim first in PATH; its calls land in StepResult.dockerCalls. */
  traceDocker?: boolean;
  /** A fixed runner temp folder (as on GitHub, the same path every job). */
  runnerTemp?: string;
  /**
   * Send main a signal once its stdout matches `when` and `ready` (polled, if given) holds (a cancelled
   * job); post runs after, as on GitHub.
   */
  stopMain?: { when: RegExp; signal: NodeJS.Signals; ready?: () => boolean };
  /** The folder holding action.yml and dist/ (a `uses: ./path` checkout); default: this repository. */
  actionDir?: string;
  /** GITHUB_* values a workflow runner sets for the job (run id, job name, repository, actor, …). */
  github?: Record<string, string>;
  /** The job's later steps: run after main, before post (as a `run:` step after this one). */
  afterMain?: (main: StepResult) => void | Promise<void>;
  /**
   * Another action run for comparison (the real build-push-action): the log scan below is this
   * action's rule, not held against it (it prints its inputs, secrets included, in debug lines).
   */
  foreignAction?: boolean;
}

/** The runner's payloads always carry the repository (so no API call is needed for labels). */
export const DEFAULT_PAYLOAD = {
  repository: {
    name: 'octo-repo',
    full_name: 'octo-org/octo-repo',
    html_url: 'https://github.com/octo-org/octo-repo',
    default_branch: 'main',
    private: false,
    description: 'An octo repo',
    license: { spdx_id: 'MIT' },
  },
};

export interface StepResult {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  /** What the step wrote to GITHUB_ENV (for later steps). */
  env: Record<string, string>;
  /** The step summary as a reader sees its text: the values' escapes undone (summaryPlain), our markup kept. */
  summary: string;
  /** The step summary file as written (Markdown: render it with renderSummary to see what GitHub shows). */
  summaryMarkdown: string;
  errors: string[];
  warnings: string[];
  dockerCalls: string[][];
  ms: number;
}

export interface Job {
  main: StepResult;
  post: StepResult;
  runnerTemp: string;
}

/** Parse a file-command file: `name=value` lines and `name<<DELIM` heredocs, as the runner does. */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc;
      const value: string[] = [];
      i++;
      while (i < lines.length && lines[i] !== delim) value.push(lines[i++]!);
      if (i >= lines.length) throw new Error(`file command: no closing delimiter ${delim} for ${name}`);
      out[name!] = value.join('\n');
    } else {
      const eq = line.indexOf('=');
      if (eq <= 0) throw new Error(`file command: malformed line ${JSON.stringify(line)}`);
      out[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return out;
}

function workflowCommands(stdout: string, kind: string): string[] {
  const found: string[] = [];
  for (const line of stdout.split('\n')) {
    const m = new RegExp(`^::${kind}(?: [^:]*)?::(.*)$`).exec(line);
    if (m) found.push(m[1]!.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'));
  }
  return found;
}

/** A `docker` first in PATH that logs its argv (tab separated) to $MULTIARCH_TEST_DOCKER_LOG, then runs the real one. */
// one line is written in one printf: calls made at once (the smoke runs, one per platform) would
// otherwise interleave their words in the log
function dockerShim(dir: string): void {
  const real = execFileSync('bash', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim();
  const script = `#!/usr/bin/env bash\nline=$(date +%s%N); for a in "$@"; do line+=$'\\t'"$a"; done; printf '%s\\n' "$line" >> "$MULTIARCH_TEST_DOCKER_LOG"\nexec ${JSON.stringify(real)} "$@"\n`;
  fs.writeFileSync(path.join(dir, 'docker'), script, { mode: 0o755 });
}

function runNode(
  script: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  stop?: Workflow['stopMain'],
): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const child = spawn(runnerNode(), [script], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let stopped = false;
    let polling: NodeJS.Timeout | undefined;
    const send = () => {
      if (stopped || (stop?.ready && !stop.ready())) return;
      stopped = child.kill(stop!.signal);
      clearInterval(polling);
    };
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!stop || stopped || polling || !stop.when.test(stdout)) return;
      if (stop.ready) polling = setInterval(send, 250);
      else send();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    // killed by a signal: 128 + its number, as the runner reports it
    child.on('close', (code, signal) => {
      clearInterval(polling);
      resolve({
        code: code ?? (signal ? 128 + os.constants.signals[signal] : 1),
        stdout,
        stderr,
        ms: Date.now() - start,
      });
    });
  });
}

/** The environment the runner gives a step (a clean one: nothing leaks from the test process but PATH/HOME). */
function baseEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'DOCKER_HOST', 'LANG', 'TZ'];
  const env: NodeJS.ProcessEnv = {};
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k];
  return env;
}

async function runStep(
  step: 'main' | 'post',
  wf: Workflow,
  dirs: { temp: string; files: string; shim?: string },
  state: Record<string, string>,
): Promise<StepResult> {
  const yml = actionYml(wf.actionDir);
  const env = baseEnv();
  for (const [name, spec] of Object.entries(yml.inputs)) {
    // the runner evaluates ${{ github.token }} defaults: the job's token (none here unless given)
    const fallback = (spec.default ?? '').replace(/^\$\{\{\s*github\.token\s*\}\}$/, wf.env?.GITHUB_TOKEN ?? '');
    const value = wf.inputs?.[name] ?? fallback;
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  for (const name of Object.keys(wf.inputs ?? {})) {
    if (!(name in yml.inputs)) throw new Error(`harness: input ${name} is not declared in action.yml`);
  }
  const file = (n: string) => path.join(dirs.files, `${step}-${n}`);
  for (const n of ['output', 'state', 'env', 'path', 'summary']) fs.writeFileSync(file(n), '');
  const eventPath = path.join(dirs.files, 'event.json');
  fs.writeFileSync(eventPath, JSON.stringify(wf.payload ?? DEFAULT_PAYLOAD));
  const dockerLog = path.join(dirs.files, `${step}-docker.log`);
  Object.assign(env, {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: wf.workspace,
    GITHUB_EVENT_NAME: wf.eventName ?? 'push',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REF: wf.ref ?? 'refs/heads/main',
    GITHUB_SHA: wf.sha ?? '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_REPOSITORY_OWNER: 'octo-org',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9/api',
    GITHUB_RUN_ID: '1234',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'build',
    GITHUB_ACTION: 'multiarch',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_TEMP: dirs.temp,
    RUNNER_TOOL_CACHE: path.join(dirs.temp, '..', 'toolcache'),
    GITHUB_OUTPUT: file('output'),
    GITHUB_STATE: file('state'),
    GITHUB_ENV: file('env'),
    GITHUB_PATH: file('path'),
    GITHUB_STEP_SUMMARY: file('summary'),
  });
  Object.assign(env, wf.github ?? {});
  for (const [k, v] of Object.entries(state)) env[`STATE_${k}`] = v;
  Object.assign(env, wf.env ?? {});
  if (dirs.shim) env.PATH = `${dirs.shim}:${env.PATH}`;
  if (dirs.shim) env.MULTIARCH_TEST_DOCKER_LOG = dockerLog;
  const script = path.join(wf.actionDir ?? ROOT, step === 'main' ? yml.runs.main : yml.runs.post);
  const res = await runNode(script, env, wf.workspace, step === 'main' ? wf.stopMain : undefined);
  const read = (n: string) => fs.readFileSync(file(n), 'utf8');
  const dockerCalls = fs.existsSync(dockerLog)
    ? fs
        .readFileSync(dockerLog, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t').slice(1))
    : [];
  return {
    ...res,
    outputs: parseFileCommands(read('output')),
    state: parseFileCommands(read('state')),
    env: parseFileCommands(read('env')),
    summary: summaryPlain(read('summary')),
    summaryMarkdown: read('summary'),
    errors: workflowCommands(res.stdout, 'error'),
    warnings: workflowCommands(res.stdout, 'warning'),
    dockerCalls,
  };
}

/** Run main then post, as one job step with its post step. */
export async function runJob(wf: Workflow): Promise<Job> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mae2e-'));
  const temp = wf.runnerTemp ?? path.join(root, 'runner-temp');
  fs.mkdirSync(temp, { recursive: true });
  const files = path.join(root, 'files');
  fs.mkdirSync(files);
  let shim: string | undefined;
  if (wf.traceDocker) {
    shim = path.join(root, 'shim');
    fs.mkdirSync(shim);
  }
  const dirs = { temp, files, shim };
  if (shim) dockerShim(shim);
  const main = await runStep('main', wf, dirs, {});
  await wf.afterMain?.(main);
  const post = await runStep('post', wf, dirs, main.state);
  const job = { main, post, runnerTemp: temp };
  // the log scan, over every e2e run: no password, token or secret value is ever printed
  if (wf.foreignAction) return job;
  const leaks = findSecretLeaks(job, secretValuesOf(wf));
  if (leaks.length) throw new Error(`log scan: a secret value was printed:\n${leaks.join('\n')}`);
  logScan.jobs++;
  logScan.values += secretValuesOf(wf).length;
  return job;
}

/** How many jobs (and secret values) the log scan has checked in this test file. */
export const logScan = { jobs: 0, values: 0 };

/**
 * The secret values a workflow passes in: password, registry-auth passwords, secrets values and the
 * variables secret-envs names (from the step env). Read leniently (a malformed input still counts).
 * Values under 4 characters are left out: they would match ordinary text.
 */
export function secretValuesOf(wf: Workflow): string[] {
  const inputs = wf.inputs ?? {};
  const values: string[] = [inputs.password ?? '', inputs['sign-key-password'] ?? ''];
  // a PEM sign-key (a path is no secret): each line of its body (the runner masks line by line)
  const key = (inputs['sign-key'] ?? '').trim();
  if (key.startsWith('-----BEGIN'))
    for (const line of key.split('\n')) if (!line.startsWith('-----')) values.push(line);
  try {
    const doc = parseYaml(inputs['registry-auth'] ?? '') as unknown;
    if (Array.isArray(doc))
      for (const e of doc) values.push(String((e as { password?: unknown } | null)?.password ?? ''));
  } catch {
    // unparsable: the raw lines that look like passwords still count
    for (const m of (inputs['registry-auth'] ?? '').matchAll(/password:\s*"?([^"\n]*)"?/g)) values.push(m[1] ?? '');
  }
  // as the action reads them: a quoted item spans lines (one multi-line value, not one value a line:
  // a line's tail like `aaaa` would match a digest's hex and be reported as a leak)
  let items: string[];
  try {
    items = parseList(inputs.secrets ?? '', { ignoreComma: true });
  } catch {
    items = (inputs.secrets ?? '').split('\n').map((l) => l.trim().replace(/^"|"$/g, ''));
  }
  for (const l of items) if (l && !l.startsWith('#') && l.includes('=')) values.push(l.slice(l.indexOf('=') + 1));
  for (const item of (inputs['secret-envs'] ?? '').split(/[\n,]/)) {
    const name = item.slice(item.indexOf('=') + 1).trim();
    if (item.includes('=') && wf.env?.[name]) values.push(wf.env[name]!);
  }
  return [...new Set(values.map((v) => v.trim()).filter((v) => v.length >= 4))];
}

/** Where a secret value appears in a job's logs, summary, outputs or state (::add-mask:: lines aside). */
export function findSecretLeaks(job: Job, values: string[]): string[] {
  const visible = (t: string) =>
    t
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
  const found: string[] = [];
  for (const [step, r] of [
    ['main', job.main],
    ['post', job.post],
  ] as const) {
    const places: [string, string][] = [
      ['stdout', visible(r.stdout)],
      ['stderr', visible(r.stderr)],
      ['summary', r.summary],
      ['outputs', JSON.stringify(r.outputs)],
      ['state', JSON.stringify(r.state)],
    ];
    for (const v of values)
      for (const [where, text] of places)
        if (text.includes(v)) found.push(`${step} ${where} contains a secret value (${v.length} characters)`);
  }
  return found;
}

/** Copy a Dockerfile and the static busybox binaries into a fresh workspace. */
export function makeWorkspace(dockerfile: string, extra: Record<string, string> = {}): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'maws-'));
  const bb = execFileSync('bash', [path.join(ROOT, 'scripts/busybox.sh')], { encoding: 'utf8' }).trim();
  for (const arch of ['amd64', 'arm64'])
    fs.copyFileSync(path.join(bb, `busybox-${arch}`), path.join(ws, `busybox-${arch}`));
  fs.writeFileSync(path.join(ws, 'Dockerfile'), dockerfile);
  for (const [name, body] of Object.entries(extra)) {
    fs.mkdirSync(path.dirname(path.join(ws, name)), { recursive: true });
    fs.writeFileSync(path.join(ws, name), body);
  }
  return ws;
}

/** A busybox image that really runs a RUN step per platform (under QEMU for foreign ones). */
export const BUSYBOX_DOCKERFILE = `FROM scratch
ARG TARGETARCH
COPY busybox-$TARGETARCH /bin/busybox
RUN ["/bin/busybox", "sh", "-c", "/bin/busybox mkdir -p /usr/bin && /bin/busybox --install -s /bin && uname -m > /built-on"]
CMD ["/bin/sh", "-c", "uname -m"]
`;

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** The registry's view of a reference: content digest and parsed manifest/index. */
export async function registryManifest(
  repo: string,
  ref: string,
): Promise<{
  digest: string;
  body: {
    manifests?: {
      digest: string;
      platform?: { os: string; architecture: string; variant?: string };
      annotations?: Record<string, string>;
    }[];
  };
}> {
  const res = await fetch(`http://${REGISTRY}/v2/${repo}/manifests/${ref}`, {
    headers: {
      Accept: [
        'application/vnd.oci.image.index.v1+json',
        'application/vnd.docker.distribution.manifest.list.v2+json',
        'application/vnd.oci.image.manifest.v1+json',
        'application/vnd.docker.distribution.manifest.v2+json',
      ].join(', '),
    },
  });
  if (!res.ok) throw new Error(`registry: GET ${repo}:${ref} → ${res.status}`);
  return { digest: res.headers.get('docker-content-digest') ?? '', body: (await res.json()) as never };
}

/** Platforms of an index, attestation manifests (unknown/unknown) aside. */
export function indexPlatforms(body: Awaited<ReturnType<typeof registryManifest>>['body']): string[] {
  return (body.manifests ?? [])
    .filter((m) => m.platform && m.platform.os !== 'unknown')
    .map((m) => [m.platform!.os, m.platform!.architecture, m.platform!.variant].filter(Boolean).join('/'))
    .sort();
}

/** How long a test's own docker command may take (MULTIARCH_E2E_DOCKER_TIMEOUT seconds overrides). */
const DOCKER_TIMEOUT_MS = (Number(process.env.MULTIARCH_E2E_DOCKER_TIMEOUT) || 120) * 1000;

export function docker(args: string[]): { code: number; stdout: string; stderr: string } {
  try {
    // bounded: a wedged engine fails the test that asked, instead of blocking the whole suite
    const stdout = execFileSync('docker', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: DOCKER_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
    return { code: 0, stdout, stderr: '' };
  } catch (err) {
    const e = err as { status?: number | null; signal?: string; stdout?: string; stderr?: string };
    const timedOut =
      e.signal === 'SIGKILL'
        ? `docker ${args.slice(0, 3).join(' ')} did not answer within ${DOCKER_TIMEOUT_MS / 1000} s\n`
        : '';
    return { code: e.status ?? 124, stdout: e.stdout ?? '', stderr: `${e.stderr ?? ''}${timedOut}` };
  }
}

/** A free 127.0.0.1 port: bound, then closed (nothing listens on it until a test starts something there). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}
