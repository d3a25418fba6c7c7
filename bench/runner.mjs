// Shared bench helpers: run the bundled action as the GitHub runner does (mirrors
// __tests__/e2e/harness.ts in plain .mjs: INPUT_* with action.yml defaults, GITHUB_* file commands,
// post with STATE_*), a `docker` shim that logs a timestamp per call, timing and medians.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

import { parse as parseYaml } from 'yaml';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const REGISTRY = process.env.MULTIARCH_REGISTRY || '127.0.0.1:5000';

let nodeBin;
/** The node the runner would use (runs.using: node24). */
export function runnerNode() {
  nodeBin ??= execFileSync('bash', [path.join(ROOT, 'scripts/ensure-node24.sh')], { encoding: 'utf8' }).trim();
  return nodeBin;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export const realDocker = () => execFileSync('bash', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim();

/** A `docker` first in PATH that appends "<epoch ns>\t<argv…>" to $BENCH_DOCKER_LOG, then runs the real one. */
export function dockerShim(dir) {
  const script = `#!/usr/bin/env bash\nline=$(date +%s%N); for a in "$@"; do line+=$'\\t'"$a"; done; printf '%s\\n' "$line" >> "$BENCH_DOCKER_LOG"\nexec ${JSON.stringify(realDocker())} "$@"\n`;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'docker'), script, { mode: 0o755 });
  return dir;
}

export function readDockerLog(file) {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [ns, ...argv] = l.split('\t');
      return { ns: BigInt(ns), argv };
    });
}

/** Wall clock in ns, comparable with `date +%s%N`. */
export const nowNs = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));

export function run(argv, { env, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

function fileCommands(text) {
  const out = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const h = /^([^=<]+)<<(.+)$/.exec(line);
    if (h) {
      const v = [];
      i++;
      while (i < lines.length && lines[i] !== h[2]) v.push(lines[i++]);
      out[h[1]] = v.join('\n');
    } else out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return out;
}

const yml = () => parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));

/**
 * One job: main then post of the bundled action, as the runner runs them. `shim`: a folder put
 * first in PATH (with BENCH_DOCKER_LOG set to `dockerLog`). Returns both steps' results and the
 * spawn time of main (ns) for cold-start measurements.
 */
export async function runActionJob({ workspace, inputs, shim, dockerLog, env: extra = {} }) {
  const spec = yml();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-job-'));
  const temp = path.join(root, 'temp');
  fs.mkdirSync(temp);
  const step = async (name, state) => {
    const env = {};
    for (const k of ['PATH', 'HOME', 'DOCKER_HOST', 'LANG', 'TZ'])
      if (process.env[k] !== undefined) env[k] = process.env[k];
    for (const [n, s] of Object.entries(spec.inputs))
      env[`INPUT_${n.replace(/ /g, '_').toUpperCase()}`] = inputs[n] ?? s.default ?? '';
    const f = (n) => path.join(root, `${name}-${n}`);
    for (const n of ['output', 'state', 'env', 'path', 'summary']) fs.writeFileSync(f(n), '');
    fs.writeFileSync(path.join(root, 'event.json'), '{}');
    Object.assign(env, {
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: path.join(root, 'event.json'),
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
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
      RUNNER_TEMP: temp,
      RUNNER_TOOL_CACHE: path.join(root, 'toolcache'),
      GITHUB_OUTPUT: f('output'),
      GITHUB_STATE: f('state'),
      GITHUB_ENV: f('env'),
      GITHUB_PATH: f('path'),
      GITHUB_STEP_SUMMARY: f('summary'),
      ...extra,
    });
    for (const [k, v] of Object.entries(state)) env[`STATE_${k}`] = v;
    if (shim) Object.assign(env, { PATH: `${shim}:${env.PATH}`, BENCH_DOCKER_LOG: dockerLog });
    const started = nowNs();
    const res = await run([runnerNode(), path.join(ROOT, name === 'main' ? spec.runs.main : spec.runs.post)], {
      env,
      cwd: workspace,
    });
    return {
      ...res,
      started,
      outputs: fileCommands(fs.readFileSync(f('output'), 'utf8')),
      state: fileCommands(fs.readFileSync(f('state'), 'utf8')),
    };
  };
  try {
    const main = await step('main', {});
    const post = await step('post', main.state);
    return { main, post };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** A workspace with the e2e busybox Dockerfile (FROM scratch + static busybox, a RUN per platform). */
export function busyboxWorkspace() {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ws-'));
  const bb = execFileSync('bash', [path.join(ROOT, 'scripts/busybox.sh')], { encoding: 'utf8' }).trim();
  for (const arch of ['amd64', 'arm64'])
    fs.copyFileSync(path.join(bb, `busybox-${arch}`), path.join(ws, `busybox-${arch}`));
  fs.writeFileSync(
    path.join(ws, 'Dockerfile'),
    'FROM scratch\nARG TARGETARCH\nCOPY busybox-$TARGETARCH /bin/busybox\nRUN ["/bin/busybox", "sh", "-c", "/bin/busybox mkdir -p /usr/bin && /bin/busybox --install -s /bin && uname -m > /built-on"]\nCMD ["/bin/sh", "-c", "uname -m"]\n',
  );
  return ws;
}

/** Time `fns` (name → async fn returning ms) alternating, `rounds` times after one warm-up each. */
export async function alternate(fns, rounds) {
  const samples = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (const fn of Object.values(fns)) await fn();
  for (let i = 0; i < rounds; i++) for (const [k, fn] of Object.entries(fns)) samples[k].push(await fn());
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

export async function timed(fn) {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/**
 * One traced run of the action (it also warms the engine), and the exact `docker buildx build` argv
 * it ran, its temp files (metadata, iid: removed by post) pointed into `tmp`. Returns the run too.
 */
export async function tracedBuild({ workspace, inputs, tmp }) {
  const dockerLog = path.join(tmp, 'docker.log');
  const traced = await runActionJob({ workspace, inputs, shim: dockerShim(path.join(tmp, 'shim')), dockerLog });
  if (traced.main.code !== 0) throw new Error(`the action failed:\n${traced.main.stdout}\n${traced.main.stderr}`);
  const build = readDockerLog(dockerLog).find((c) => c.argv[0] === 'buildx' && c.argv[1] === 'build');
  if (!build) throw new Error('no docker buildx build in the traced run');
  const argv = ['docker', ...build.argv];
  for (const flag of ['--metadata-file', '--iidfile']) {
    const i = argv.indexOf(flag);
    if (i > 0) argv[i + 1] = path.join(tmp, path.basename(argv[i + 1]));
  }
  return { traced, argv };
}
