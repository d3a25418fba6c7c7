import { readRunContext } from '../../src/context/run-context.js';
import { parseInputs } from '../../src/inputs/index.js';
import type { ActionsCache } from '../../src/ports/actions-cache.js';
import type { ArtifactStore } from '../../src/ports/artifacts.js';
import type { Deps } from '../../src/ports/deps.js';
import type { Exec, ExecRequest, ExecResult } from '../../src/ports/exec.js';
import type { Files } from '../../src/ports/files.js';
import type { Host } from '../../src/ports/host.js';
import type { Run } from '../../src/run/run.js';
import { StateStore } from '../../src/run/state.js';
import type { BuilderRequest } from '../../src/stages/builder/plan.js';
import type { BuilderProbe } from '../../src/stages/builder/probe.js';

export interface FakeHost extends Host {
  inputs: Record<string, string>;
  outputs: Record<string, string>;
  exported: Record<string, string>;
  state: Record<string, string>;
  errors: string[];
  warnings: string[];
  infos: string[];
  debugs: string[];
  secrets: string[];
  summaries: string[];
  failed: boolean;
}

export function fakeHost(inputs: Record<string, string> = {}, state: Record<string, string> = {}): FakeHost {
  const h: FakeHost = {
    inputs,
    outputs: {},
    exported: {},
    state: { ...state },
    errors: [],
    warnings: [],
    infos: [],
    debugs: [],
    secrets: [],
    summaries: [],
    failed: false,
    getInput: (n, o) => (o?.raw ? (h.inputs[n] ?? '') : (h.inputs[n] ?? '').trim()),
    info: (m) => void h.infos.push(m),
    warning: (m) => void h.warnings.push(m),
    error: (m) => void h.errors.push(m),
    debug: (m) => void h.debugs.push(m),
    setOutput: (n, v) => void (h.outputs[n] = v),
    exportVariable: (n, v) => void (h.exported[n] = v),
    setSecret: (v) => void h.secrets.push(v),
    saveState: (n, v) => void (h.state[n] = v),
    getState: (n) => h.state[n] ?? '',
    group: (_n, fn) => fn(),
    summary: async (md) => void h.summaries.push(md),
    fail: () => void (h.failed = true),
  };
  return h;
}

/**
 * What a fake answers a call with: at once, or (an async handler) when the test is ready, e.g. after
 * the handler wrote the files a build would, or once the test released it.
 */
export type FakeAnswer = (req: ExecRequest) => Partial<ExecResult> | Promise<Partial<ExecResult>>;

/** An exec gateway stub: answers from a handler (sync or async) and records every call as it starts. */
export function fakeExec(handler: FakeAnswer = () => ({})): Exec & { calls: ExecRequest[] } {
  const calls: ExecRequest[] = [];
  const fn = (async (req: ExecRequest) => {
    calls.push(req);
    const answer = handler(req);
    // a sync answer is not awaited: the order of interleaved calls stays what it was
    return { code: 0, stdout: '', stderr: '', ...(answer instanceof Promise ? await answer : answer) };
  }) as Exec & { calls: ExecRequest[] };
  fn.calls = calls;
  return fn;
}

/**
 * A stubbed Docker engine: answers the read-only probes (version, info with the containerd store and
 * the CLI's plugin list, buildx version, context show) and defers everything else to `more`
 * (default: exit 0, no output).
 */
export function fakeEngine(more: FakeAnswer = () => ({})): Exec & { calls: ExecRequest[] } {
  return fakeExec((req) => {
    const cmd = req.argv.slice(1, 3).join(' ');
    if (cmd.startsWith('version')) return { stdout: 'amd64' };
    if (cmd === 'buildx version') return { stdout: 'github.com/docker/buildx v0.13.1 x' };
    if (cmd.startsWith('info'))
      return { stdout: '[["driver-type","io.containerd.snapshotter.v1"]]\n[{"Name":"buildx","Version":"v0.13.1"}]\n' };
    if (cmd.startsWith('context')) return { stdout: 'default' };
    return more(req);
  });
}

export function fakeFiles(
  files: Record<string, string> = {},
): Files & { removed: string[]; written: Record<string, string> } {
  const removed: string[] = [];
  const written: Record<string, string> = {};
  return {
    removed,
    written,
    exists: (p) => p in files || p in written || Object.keys(files).some((f) => f.startsWith(`${p}/`)),
    readFile: (p) => written[p] ?? files[p],
    makeTempDir: (parent, prefix) => `${parent}/${prefix}XXXX`,
    remove: (p) => void removed.push(p),
    writeFile: (p, content) => void (written[p] = content),
    symlink: () => undefined,
    makeDir: () => undefined,
    listDir: () => [],
  };
}

/**
 * The layer cache's port with no service behind it (as the real one answers outside a runner: not
 * available) and no folders on disk: a run that plans a local cache builds cold, touching nothing.
 */
export function fakeActionsCache(): ActionsCache & { opened: string[] } {
  const opened: string[] = [];
  const problems = ['the Actions cache service is not available'];
  return {
    opened,
    open: (scratch) => {
      opened.push(scratch);
      return { restore: async () => ({ problems }), save: async () => ({ saved: false, problems }) };
    },
    folders: {
      inspect: () => ({ valid: false, bytes: 0 }),
      remove: () => undefined,
      rename: () => undefined,
      lock: () => true,
      unlock: () => undefined,
      release: () => false,
    },
  };
}

/** No artifact service: a run that needs one is told so, as outside GitHub Actions (tests that need one pass their own). */
export function fakeArtifactStore(): ArtifactStore {
  const none = () => Promise.reject(new Error('no artifact service in this test'));
  return { available: false, warmUp: () => undefined, upload: none, list: none, download: none };
}

export function fakeDeps(host: Host, exec: Exec, files: Files, env: Record<string, string> = {}): Deps {
  return {
    host,
    exec,
    files,
    env: { GITHUB_WORKSPACE: '/ws', RUNNER_TEMP: '/tmp/rt', ...env },
    cwd: '/ws',
    now: () => 0,
    actionsCache: fakeActionsCache(),
    artifacts: fakeArtifactStore(),
  };
}

/**
 * A Run over fake ports for a stage's wiring: the inputs parsed as main parses them (platforms
 * linux/amd64 unless given), nothing pushed, no GitHub API, every timed group run at once. `deps`
 * replaces ports of fakeDeps (an exec, files, the actions cache); `env` goes on top of its env.
 */
export function fakeRun(
  inputs: Record<string, string> = {},
  over: { deps?: Partial<Deps>; env?: Record<string, string>; tempDir?: string } = {},
): Run & { host: FakeHost } {
  const host = fakeHost({ platforms: 'linux/amd64', ...inputs });
  const base = fakeDeps(host, fakeExec(), fakeFiles(), over.env);
  const deps = { ...base, ...over.deps, host };
  const ctx = readRunContext(deps.env, deps.cwd);
  return {
    ...deps,
    ctx,
    inputs: parseInputs((n, o) => host.getInput(n, o), { workspace: ctx.workspace, exists: () => true }),
    push: { enabled: false, reason: '' },
    state: new StateStore(host),
    tempDir: over.tempDir ?? '/tmp/rt/multiarch-run',
    dockerConfig: '/tmp/rt/dc',
    timings: [],
    timed: (_name, fn) => fn(),
    // what the GitHub API would complete: nothing beyond the event's own context
    repoApi: Promise.resolve({ meta: ctx.meta, warnings: [] }),
    report: { refs: [], platforms: [], pushed: false, verification: '' },
  };
}

/** What the builder stage is asked for: the action's defaults, with `over` on top. */
export function builderRequest(over: Partial<BuilderRequest> = {}): BuilderRequest {
  return {
    driver: 'auto',
    driverOpts: [],
    buildkitdFlags: '',
    buildkitdConfig: '',
    endpoint: '',
    append: [],
    builder: '',
    cleanup: true,
    ...over,
  };
}

/** What the builder stage's probe finds: buildx 0.13.1 on the containerd image store, with `over` on top. */
export function builderProbe(over: Partial<BuilderProbe> = {}): BuilderProbe {
  return {
    buildxVersion: 'github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3',
    driverStatus: [['driver-type', 'io.containerd.snapshotter.v1']],
    dockerContext: 'default',
    ...over,
  };
}
