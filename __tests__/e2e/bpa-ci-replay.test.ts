import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';

import { CI_JOBS, type CiJob } from './bpa-ci-jobs.js';
import { BUILDKIT_IMAGE, describeBuildkit } from './buildkit.js';
import { docker, indexPlatforms, makeWorkspace, REGISTRY, registryManifest, runJob, uniqueName } from './harness.js';

/**
 * build-push-action's own CI steps (bpa-ci-jobs.ts), run unchanged through this action: each job
 * must end as it ends under build-push-action (passes where it passes, fails where it is meant to)
 * and push and load what it pushes and loads, except the documented differences below (the
 * README's "Two forms" lists them). Two jobs run at a time; MULTIARCH_BPA_REPLAY=<text> runs only
 * the jobs whose name holds it, MULTIARCH_BPA_REPLAY_LOGS=<folder> keeps each job's log there.
 *
 * Shared by every job: one docker-container builder, made current as setup-buildx-action leaves
 * its builder (in a docker config folder of this file's own, so no other test sees it), and one
 * stand-in test/ folder: build-push-action's test Dockerfiles cut to what each job exercises,
 * FROM scratch with the static busybox (nothing is pulled). Names are made unique per job (the
 * `localhost:5000/name/` repository, loaded image names, /tmp paths); nothing else is changed.
 *
 * Beside the real action (opt-in, CI has no copy of it): MULTIARCH_BPA_ACTION_DIR=<folder> (built by
 * scripts/bpa-real.sh) runs every job a second time through that build-push-action, main then
 * post, with the same inputs, env, GITHUB_* files and current builder, and asserts that ours ends
 * as the real one does, job by job, but the documented differences. Its default context, the Git
 * context, is served then from a loopback git server holding the stand-in repository at the job's
 * commit (GITHUB_SERVER_URL and GITHUB_SHA are the same for both runs).
 */

/** Where this action ends differently from build-push-action, and why (each also in the README). */
const DOCUMENTED: Record<string, { ours: 'success' | 'failure'; why: string }> = {};
const DEFAULT_CONTEXT =
  "the default context is the workspace, not the Git context: the job checks out to action/, so ./test/Dockerfile is not in the workspace's context";
/** What the step says when it finds no Dockerfile there (src/inputs/build.ts). */
const GIT_CONTEXT_HINT = /::error[^\n]*not the Git context build-push-action uses/;
for (const job of CI_JOBS.filter((j) => j.checkoutPath === 'action'))
  DOCUMENTED[job.name] = { ours: 'failure', why: DEFAULT_CONTEXT };

/** MULTIARCH_BPA_ACTION_DIR=<folder>: the real build-push-action (action.yml, dist/) to run beside ours. */
const REAL_DIR = process.env.MULTIARCH_BPA_ACTION_DIR ?? '';

/**
 * MULTIARCH_BPA_BUILDKIT_IMAGE=<image>: the shared builder's BuildKit image. The Git context needs
 * `git` in it (the offline stand-in image has none; setup-buildx-action's moby/buildkit has it).
 */
const BUILDER_IMAGE = process.env.MULTIARCH_BPA_BUILDKIT_IMAGE || BUILDKIT_IMAGE;

/** MULTIARCH_BPA_REPLAY=<text>: only the jobs whose name holds it (to look at one job's log). */
const ONLY = process.env.MULTIARCH_BPA_REPLAY ?? '';
const JOBS = CI_JOBS.filter((j) => j.name.includes(ONLY));
/** Two jobs at a time: the machine's engine is shared, and each job is mostly the engine's work. */
const CONCURRENCY = 2;

const BASE = 'FROM scratch\nARG TARGETARCH\nCOPY busybox-$TARGETARCH /bin/busybox\n';
const run = (cmd: string) => `RUN ["/bin/busybox", "sh", "-c", ${JSON.stringify(cmd)}]\n`;
const LINT = `frOM scratch as base
cOpy lint.Dockerfile /
from scratch
MAINTAINER moby@example.com
COPy --from=base /lint.Dockerfile /
CMD [ "echo", "Hello, Norway!" ]
CMD [ "echo", "Hello, Sweden!" ]
ENTRYPOINT my-program start
`;
/** build-push-action's test/ folder, stand-ins: each Dockerfile does what its job checks, nothing pulled. */
const TEST_FILES: Record<string, string> = {
  'test/Dockerfile': BASE,
  'test/secret.Dockerfile': `FROM scratch\nARG TARGETARCH\nCOPY test/busybox-$TARGETARCH /bin/busybox\nRUN --mount=type=secret,id=MYSECRET ["/bin/busybox", "test", "-s", "/run/secrets/MYSECRET"]\n`,
  'test/shmsize.Dockerfile': BASE + run('df /dev/shm'),
  'test/ulimit.Dockerfile': BASE + run('ulimit -a'),
  'test/cgroup.Dockerfile': BASE + run('cat /proc/self/cgroup'),
  'test/addhost.Dockerfile': BASE + run('cat /etc/hosts | grep -q foo'),
  'test/multi.Dockerfile': `FROM scratch AS base\nARG TARGETARCH\nCOPY busybox-$TARGETARCH /bin/busybox\nFROM base\n${run('uname -m > /arch')}`,
  'test/multi-sudo.Dockerfile': `FROM scratch AS base\nARG TARGETARCH\nCOPY busybox-$TARGETARCH /bin/busybox\nFROM base\n${run('id -u > /uid')}`,
  'test/go/Dockerfile': `${BASE.replace('FROM scratch', 'FROM scratch AS base')}FROM base AS image\nFROM scratch AS binary\nCOPY --from=base /bin/busybox /busybox\n`,
  'test/named-context-base.Dockerfile': BASE,
  // `base` and `alpine` are the two names the jobs replace (only the stages the target needs resolve)
  'test/named-context.Dockerfile': `${BASE.replace('FROM scratch', 'FROM scratch AS base')}FROM base AS alpine\nFROM alpine\nCOPY --from=base /bin/busybox /hello\n`,
  'test/lint.Dockerfile': LINT,
};

/** The workspace of one job: the stand-in repository at the root, or under action/ (checkout path). */
function jobWorkspace(job: CiJob): string {
  const ws = makeWorkspace('', {});
  const root = job.checkoutPath ? path.join(ws, job.checkoutPath) : ws;
  const bb = ['amd64', 'arm64'].map((a) => `busybox-${a}`);
  for (const [name, body] of Object.entries(TEST_FILES)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), body);
  }
  for (const dir of [root, path.join(root, 'test'), path.join(root, 'test/go')])
    for (const b of bb) fs.copyFileSync(path.join(ws, b), path.join(dir, b));
  return ws;
}

interface Names {
  unique: string;
  tmp: string;
  builder: string;
}

/** The runner's evaluation of the step's expressions, for this job. */
function evaluate(value: string, job: CiJob, names: Names): string {
  return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_m, expr: string) => {
    if (expr === 'steps.buildx.outputs.name') return names.builder;
    if (expr === 'github.token') return 'ghs_replay0token0for0the0secret0scan';
    // metadata-action's tags on a push to master: type=ref,event=branch and type=sha
    if (expr === 'steps.meta.outputs.tags')
      return `${job.env?.DOCKER_IMAGE}:master\n${job.env?.DOCKER_IMAGE}:sha-0123456`;
    const m = /^(matrix|env)\.([\w-]+)$/.exec(expr);
    if (m) return (m[1] === 'matrix' ? job.matrix : job.env)?.[m[2]!] ?? '';
    throw new Error(`replay: no value for \${{ ${expr} }}`);
  });
}

/** Names unique to this job: the registry repository, loaded images and /tmp paths. */
function uniqueNames(value: string, names: Names): string {
  return value
    .replace(/localhost:5000\/(name\/)?/g, `localhost:5000/${names.unique}/`)
    .replace(/(^|[\s=,/])(myimage|my-base-image|app):(latest|local)/gm, `$1${names.unique}-$2:$3`)
    .replace(/\/tmp\//g, `${names.tmp}/`);
}

interface Outcome {
  outcome: 'success' | 'failure';
  pushed: string[];
  /** Each pushed reference's image platforms (attestation manifests aside), as the registry holds them. */
  platforms: Record<string, string[]>;
  loaded: string[];
  log: string;
}

/**
 * The platforms of a pushed reference: its index's, or the one of a single manifest (read from its
 * config). Attestation manifests are left aside: the real action reads the offline BuildKit image's
 * version as v0.0.0+unknown and so adds no default provenance there, where with a released BuildKit
 * it adds mode=max, as ours does.
 */
async function pushedPlatforms(repo: string, tag: string): Promise<string[]> {
  const { body } = await registryManifest(repo, tag);
  if (body.manifests) return indexPlatforms(body);
  const digest = (body as { config?: { digest: string } }).config?.digest;
  const res = await fetch(`http://${REGISTRY}/v2/${repo}/blobs/${digest}`);
  const config = (await res.json()) as { os: string; architecture: string; variant?: string };
  return [[config.os, config.architecture, config.variant].filter(Boolean).join('/')];
}

/** Where the job runs: which action, and the git server standing in for github.com (real runs only). */
interface Runner {
  actionDir?: string;
  git?: { serverUrl: string; sha: string };
}

async function replay(job: CiJob, configs: { buildx: string; none: string }, runner: Runner = {}): Promise<Outcome> {
  const names: Names = {
    unique: uniqueName(runner.actionDir ? 'bpareal' : 'bpaci'),
    tmp: fs.mkdtempSync(path.join(os.tmpdir(), 'bpaci-')),
    builder: '',
  };
  names.builder = sharedBuilder;
  const config = path.join(names.tmp, 'docker-config');
  fs.cpSync(job.setup === 'buildx' ? configs.buildx : configs.none, config, { recursive: true });
  if (job.malformedConfig) fs.writeFileSync(path.join(config, 'config.json'), 'foo_bar\n');
  const ws = jobWorkspace(job);
  const fix = (v: string) => uniqueNames(evaluate(v, job, names), names);
  let outcome: Outcome['outcome'] = 'success';
  let log = '';
  for (const step of job.steps) {
    const inputs = Object.fromEntries(Object.entries(step.with).map(([k, v]) => [k, fix(v)]));
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, fix(v)]));
    const res = await runJob({
      workspace: ws,
      eventName: 'push',
      ref: 'refs/heads/master',
      inputs,
      env: { ...env, DOCKER_CONFIG: config },
      ...(runner.actionDir ? { actionDir: runner.actionDir, foreignAction: true } : {}),
      ...(runner.git ? { sha: runner.git.sha, github: { GITHUB_SERVER_URL: runner.git.serverUrl } } : {}),
    });
    log += `${res.main.stdout}\n${res.main.stderr}\n${res.post.stdout}\n${res.post.stderr}\n`;
    if (process.env.MULTIARCH_BPA_REPLAY_LOGS)
      fs.appendFileSync(path.join(process.env.MULTIARCH_BPA_REPLAY_LOGS, `${names.unique}.log`), `${job.name}\n${log}`);
    if (res.main.code !== 0) {
      outcome = 'failure';
      break;
    }
  }
  const pushed: string[] = [];
  const platforms: Outcome['platforms'] = {};
  for (const ref of job.bpa.pushed ?? []) {
    const [repo, tag] = uniqueNames(ref, names)
      .replace(/^localhost:5000\//, '')
      .split(':') as [string, string];
    const found = await pushedPlatforms(repo, tag).then(
      (p) => p,
      () => undefined,
    );
    if (found) {
      pushed.push(ref);
      platforms[ref] = found;
    }
  }
  const loaded: string[] = [];
  for (const ref of job.bpa.loaded ?? []) {
    const name = uniqueNames(ref, names);
    if (docker(['image', 'inspect', name]).code === 0) {
      loaded.push(ref);
      docker(['rmi', name]);
    }
  }
  fs.rmSync(ws, { recursive: true, force: true });
  fs.rmSync(names.tmp, { recursive: true, force: true });
  return { outcome, pushed, platforms, loaded, log };
}

/** Run `fn` over `items`, at most `limit` at a time, results in order. */
async function pool<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * A loopback git server (dumb HTTP, read only) holding the stand-in repository as
 * octo-org/octo-repo.git, one commit on master: build-push-action's Git context, offline.
 */
async function gitServer(): Promise<{ git: NonNullable<Runner['git']>; close: () => void; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bpaci-git-'));
  const ws = jobWorkspace(CI_JOBS.find((j) => j.checkoutPath)!);
  const work = path.join(ws, 'action');
  const git = (cwd: string, args: string[]) =>
    execFileSync(
      'git',
      ['-c', 'user.name=replay', '-c', 'user.email=replay@example.com', '-c', 'commit.gpgsign=false', ...args],
      { cwd, encoding: 'utf8', stdio: 'pipe' },
    ).trim();
  git(work, ['init', '-q', '-b', 'master']);
  git(work, ['add', '.']);
  git(work, ['commit', '-q', '-m', 'stand-in repository']);
  const sha = git(work, ['rev-parse', 'HEAD']);
  const bare = path.join(dir, 'octo-org', 'octo-repo.git');
  git(dir, ['clone', '-q', '--bare', work, bare]);
  git(bare, ['update-server-info']);
  fs.rmSync(ws, { recursive: true, force: true });
  const server = http.createServer((req, res) => {
    const file = path.join(dir, path.normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!)));
    if (!file.startsWith(`${dir}${path.sep}`) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200);
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { git: { serverUrl: `http://127.0.0.1:${port}`, sha }, close: () => server.close(), dir };
}

/** What a job's end is compared on: its outcome and which of the references it checks are there. */
const ending = (o: Outcome) => ({ outcome: o.outcome, pushed: o.pushed, platforms: o.platforms, loaded: o.loaded });

let sharedBuilder = '';
const configs = { buildx: '', none: '' };
let root = '';

const dockerWith = (config: string, args: string[]) =>
  execFileSync('docker', args, { env: { ...process.env, DOCKER_CONFIG: config }, encoding: 'utf8', stdio: 'pipe' });

describeBuildkit("build-push-action's CI steps, replayed unchanged", () => {
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'bpaci-root-'));
    configs.buildx = path.join(root, 'buildx');
    configs.none = path.join(root, 'none');
    fs.mkdirSync(configs.none);
    fs.mkdirSync(configs.buildx);
    sharedBuilder = uniqueName('bpaci-builder');
    // setup-buildx-action: a docker-container builder, current (use: true); network=host as most
    // of the jobs ask, so the loopback registry is reachable from it
    dockerWith(configs.buildx, [
      'buildx',
      'create',
      '--name',
      sharedBuilder,
      '--driver',
      'docker-container',
      '--driver-opt',
      `image=${BUILDER_IMAGE}`,
      '--driver-opt',
      'network=host',
      '--use',
      '--bootstrap',
    ]);
  }, 300_000);

  afterAll(() => {
    if (sharedBuilder) dockerWith(configs.buildx, ['buildx', 'rm', '--force', sharedBuilder]);
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  test(`every replayed job (${JOBS.length}) ends as under build-push-action, but the documented differences`, async () => {
    const results = await pool(JOBS, CONCURRENCY, (job) => replay(job, configs));
    const got: Record<string, unknown> = {};
    const want: Record<string, unknown> = {};
    const rows: string[] = [];
    JOBS.forEach((job, i) => {
      const r = results[i]!;
      const doc = DOCUMENTED[job.name];
      const expected = doc?.ours ?? job.bpa.outcome;
      // a documented default-context failure must tell the user why, before any docker command
      const hinted = doc?.why === DEFAULT_CONTEXT ? GIT_CONTEXT_HINT.test(r.log) : undefined;
      got[job.name] = { outcome: r.outcome, pushed: r.pushed, loaded: r.loaded, hinted };
      want[job.name] =
        expected === 'success'
          ? { outcome: 'success', pushed: job.bpa.pushed ?? [], loaded: job.bpa.loaded ?? [], hinted }
          : { outcome: 'failure', pushed: expect.any(Array), loaded: expect.any(Array), hinted: hinted && true };
      rows.push(
        `${job.name}: build-push-action ${job.bpa.outcome}, ours ${r.outcome}${doc ? ` (documented: ${doc.why})` : ''}`,
      );
      if (r.outcome !== expected)
        rows.push(
          r.log
            .split('\n')
            .filter((l) => /::error|error/i.test(l))
            .slice(-5)
            .join('\n'),
        );
    });
    console.log(`replayed ${JOBS.length} jobs of build-push-action's CI:\n${rows.join('\n')}`);
    expect(got).toEqual(want);
  }, 1_800_000);

  (REAL_DIR ? test : test.skip)(
    `every replayed job (${JOBS.length}) ends as under the real build-push-action beside it, but the documented differences`,
    async () => {
      const server = await gitServer();
      const started = Date.now();
      try {
        const results = await pool(JOBS, CONCURRENCY, async (job) => ({
          ours: await replay(job, configs, { git: server.git }),
          real: await replay(job, configs, { actionDir: path.resolve(REAL_DIR), git: server.git }),
        }));
        const got: Record<string, unknown> = {};
        const want: Record<string, unknown> = {};
        const rows: string[] = [];
        JOBS.forEach((job, i) => {
          const { ours, real } = results[i]!;
          const doc = DOCUMENTED[job.name];
          got[job.name] = ending(ours);
          want[job.name] = doc
            ? { outcome: doc.ours, pushed: expect.any(Array), platforms: expect.any(Object), loaded: expect.any(Array) }
            : ending(real);
          const shown = (o: Outcome) =>
            `${o.outcome}${o.pushed.length ? ` pushed ${o.pushed.length} (${[...new Set(Object.values(o.platforms).flat())].join(', ')})` : ''}${o.loaded.length ? ` loaded ${o.loaded.length}` : ''}`;
          rows.push(
            `${job.name}: real build-push-action ${shown(real)}, ours ${shown(ours)}${job.bpa.outcome === real.outcome ? '' : ` (its CI expects ${job.bpa.outcome})`}${doc ? ` (documented: ${doc.why})` : ''}`,
          );
          for (const [who, o] of [
            ['real', real],
            ['ours', ours],
          ] as const)
            if (o.outcome === 'failure')
              rows.push(
                `  ${who}: ${o.log
                  .split('\n')
                  .filter((l) => /::error|error/i.test(l))
                  .slice(-3)
                  .join('\n  ')}`,
              );
        });
        console.log(
          `replayed ${JOBS.length} jobs of build-push-action's CI beside the real action (${Math.round((Date.now() - started) / 1000)} s):\n${rows.join('\n')}`,
        );
        expect(got).toEqual(want);
      } finally {
        server.close();
        fs.rmSync(server.dir, { recursive: true, force: true });
      }
    },
    3_600_000,
  );

  test('a build-push-action step after setup-buildx-action builds on the builder that step left current', async () => {
    const config = path.join(root, uniqueName('current'));
    fs.cpSync(configs.buildx, config, { recursive: true });
    const job = await runJob({
      workspace: makeWorkspace(BASE),
      inputs: { tags: 'name/app:latest' },
      env: { DOCKER_CONFIG: config },
      traceDocker: true,
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    const build = job.main.dockerCalls.find((c) => c[0] === 'buildx' && c[1] === 'build')!;
    expect(build.slice(2, 4)).toEqual(['--builder', sharedBuilder]);
    // a notice naming the builder, its driver and where it builds: this step did not set it up
    expect(job.main.stdout).toContain(`::notice::builder ${sharedBuilder} (driver docker-container, endpoint `);
    expect(job.main.stdout).toMatch(/endpoint \S+\): the current builder, an earlier step's/);
    // nothing of this action's own: post leaves the builder to the step that made it
    expect(docker(['container', 'inspect', `buildx_buildkit_${sharedBuilder}0`]).code).toBe(0);
  }, 300_000);

  test("in build-push-action's form a wrong-architecture file is a warning; arch-check: true fails", async () => {
    // an arm64 busybox in the builder's own (amd64) image
    const ws = makeWorkspace('FROM scratch\nCOPY busybox-arm64 /bin/busybox\n');
    const inputs = { tags: `${uniqueName('bpaci-arch')}:1`, platforms: 'linux/amd64' };
    const warned = await runJob({ workspace: ws, inputs });
    expect(warned.main.errors).toEqual([]);
    expect(warned.main.code).toBe(0);
    expect(warned.main.warnings).toContainEqual(
      expect.stringMatching(/linux\/amd64 holds 1 arm64 binary: \/bin\/busybox.*a warning/),
    );
    const failed = await runJob({ workspace: ws, inputs: { ...inputs, 'arch-check': 'true' } });
    expect(failed.main.code).not.toBe(0);
    expect(failed.main.errors.join('\n')).toMatch(/linux\/amd64 holds 1 arm64 binary: \/bin\/busybox/);
  }, 300_000);
});
