/**
 * The reusable workflow (.github/workflows/multiarch.yml) as GitHub reads it: a caller workflow
 * in a repository that holds this action calls it with `uses: ./.github/workflows/multiarch.yml`,
 * and the test workflow runner (workflow/runner.ts: GitHub's own parser and expression engine)
 * runs plan → one shard per platform → merge → a caller job that reads the outputs, against a
 * registry that wants a password, with the shards' results travelling as artifacts.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { type ArtifactStandIn, startArtifactStandIn } from './artifact-standin.js';
import { type AuthRegistry, startAuthRegistry } from './auth-registry.js';
import { docker, ROOT, uniqueName } from './harness.js';
import type { Json } from './workflow/expressions.js';
import { type RunResult, runWorkflow } from './workflow/runner.js';

const APP_DOCKERFILE = `FROM scratch
ARG TARGETARCH
COPY busybox-$TARGETARCH /bin/busybox
RUN --mount=type=secret,id=token --mount=type=secret,id=npmrc ["/bin/busybox", "sh", "-c", "/bin/busybox test -s /run/secrets/token && /bin/busybox test -s /run/secrets/npmrc && /bin/busybox uname -m > /built-on"]
CMD ["/bin/busybox", "uname", "-m"]
`;
/** The same app, whose RUN step fails on arm64 only. */
const ARM_FAILS = APP_DOCKERFILE.replace(
  '&& /bin/busybox uname -m',
  '&& /bin/busybox test $(/bin/busybox uname -m) != aarch64 && /bin/busybox uname -m',
);

function callerWorkflow(registry: string, image: string, more = ''): string {
  return `name: release
on: [push, pull_request]
jobs:
  image:
    uses: ./.github/workflows/multiarch.yml
    with:
      images: ${image}
      platforms: linux/amd64,linux/arm64
      context: app
      tags: |
        type=raw,value=v1
        type=sha
      registry: ${registry}
      cache: none
      secret-files: npmrc=app/npmrc
${more}    secrets:
      registry-username: \${{ secrets.REGISTRY_USER }}
      registry-password: \${{ secrets.REGISTRY_PASSWORD }}
      build-secrets: token=\${{ secrets.BUILD_TOKEN }}
  report:
    needs: image
    runs-on: ubuntu-24.04
    steps:
      - id: seen
        run: |
          echo "digest=\${{ needs.image.outputs.digest }}" >> "$GITHUB_OUTPUT"
          echo "platforms=\${{ join(fromJSON(needs.image.outputs.digests || '{}').*, ',') }}" >> "$GITHUB_OUTPUT"
    outputs:
      digest: \${{ steps.seen.outputs.digest }}
`;
}

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@e',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@e',
    },
  });

/** A repository holding this action (action.yml, dist/, the workflow and its script), an app and a caller. */
function makeRepo(files: Record<string, string>, workflowEdit?: (text: string) => string): string {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'wfrepo-'));
  for (const p of ['action.yml', 'dist', 'scripts/shard-matrix.mjs'])
    fs.cpSync(path.join(ROOT, p), path.join(repo, p), { recursive: true });
  const workflow = fs.readFileSync(path.join(ROOT, '.github/workflows/multiarch.yml'), 'utf8');
  const edited = workflowEdit ? workflowEdit(workflow) : workflow;
  if (workflowEdit && edited === workflow) throw new Error('the workflow edit changed nothing');
  files['.github/workflows/multiarch.yml'] = edited;
  for (const [p, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(repo, p)), { recursive: true });
    fs.writeFileSync(path.join(repo, p), body);
  }
  // static busybox binaries, executable (git keeps the mode)
  const bb = execFileSync('bash', [path.join(ROOT, 'scripts/busybox.sh')], { encoding: 'utf8' }).trim();
  for (const arch of ['amd64', 'arm64'])
    fs.copyFileSync(path.join(bb, `busybox-${arch}`), path.join(repo, `app/busybox-${arch}`));
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'app');
  return repo;
}

describe('the reusable workflow, run as GitHub reads it', () => {
  let registry: AuthRegistry;
  let artifacts: ArtifactStandIn;
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const buildToken = `tok-${Math.random().toString(36).slice(2)}`;
  beforeAll(async () => {
    registry = await startAuthRegistry('ci-user', password);
    artifacts = await startArtifactStandIn();
  });
  afterAll(async () => {
    await artifacts?.close();
    await registry?.stop();
  });

  function run(repo: string, event = 'push', extra: Record<string, Json> = {}): Promise<RunResult> {
    const runId = uniqueName('run');
    const payload: Record<string, Json> =
      event === 'pull_request'
        ? {
            pull_request: {
              number: 7,
              head: { ref: 'feature', sha: git(repo, 'rev-parse', 'HEAD').trim() },
              base: { ref: 'main' },
            },
          }
        : extra;
    return runWorkflow({
      repos: { 'octo-org/octo-repo': repo },
      repository: 'octo-org/octo-repo',
      workflow: '.github/workflows/release.yml',
      event: {
        name: event,
        payload: {
          ...payload,
          repository: { full_name: 'octo-org/octo-repo', name: 'octo-repo', default_branch: 'main' },
        },
        ref: event === 'pull_request' ? 'refs/pull/7/merge' : 'refs/heads/main',
      },
      secrets: { REGISTRY_USER: 'ci-user', REGISTRY_PASSWORD: password, BUILD_TOKEN: buildToken },
      runId,
      jobEnv: (job) => ({ ...artifacts.env(runId, job), GITHUB_RUN_ATTEMPT: '1' }),
    });
  }

  const byName = (r: RunResult) => Object.fromEntries(r.jobs.map((j) => [j.name, j]));
  const failures = (r: RunResult) =>
    r.jobs.flatMap((j) =>
      j.steps.filter((s) => s.outcome === 'failure').map((s) => `${s.name}:\n${s.log.slice(-3000)}`),
    );

  test('push: plan → two shards → merge; one index with both platforms; the caller sees the outputs', async () => {
    const repo_ = uniqueName('e2e/wf');
    const image = `${registry.host}/${repo_}`;
    const repo = makeRepo({
      '.github/workflows/release.yml': callerWorkflow(registry.host, image),
      'app/Dockerfile': APP_DOCKERFILE,
      'app/npmrc': 'registry=http://127.0.0.1:9/\n',
    });
    const result = await run(repo);
    expect(failures(result)).toEqual([]);
    const jobs = byName(result);
    expect(Object.keys(jobs)).toEqual([
      'image/plan',
      'image/shard linux/amd64',
      'image/shard linux/arm64',
      'image/merge',
      'report',
    ]);
    expect(result.jobs.map((j) => j.result)).toEqual(Array(5).fill('success'));
    // runs-on is recorded, not obeyed: each shard asked for its own architecture's runner
    expect(result.jobs.filter((j) => j.id === 'shard').map((j) => j.runsOn)).toEqual([
      'ubuntu-24.04',
      'ubuntu-24.04-arm',
    ]);

    const res = await registry.get(`/v2/${repo_}/manifests/v1`, 'application/vnd.oci.image.index.v1+json');
    expect(res.status).toBe(200);
    const digest = res.headers.get('docker-content-digest');
    const index = (await res.json()) as {
      manifests: { digest: string; platform?: { os: string; architecture: string } }[];
    };
    const platforms = index.manifests
      .filter((m) => m.platform && m.platform.os !== 'unknown')
      .map((m) => `${m.platform!.os}/${m.platform!.architecture}`);
    expect(platforms.sort()).toEqual(['linux/amd64', 'linux/arm64']);

    const image_ = result.needs.image!;
    expect(image_.result).toBe('success');
    expect(image_.outputs.digest).toBe(digest);
    expect(image_.outputs.tags!.split('\n')).toEqual(expect.arrayContaining([`${image}:v1`]));
    const digests = JSON.parse(image_.outputs.digests!) as Record<string, string>;
    for (const m of index.manifests.filter((x) => x.platform?.os === 'linux'))
      expect(digests[`linux/${m.platform!.architecture}`]).toBe(m.digest);
    expect(result.needs.report!.outputs.digest).toBe(digest);

    // each shard built its own platform: the arm64 image's binary is an arm64 one
    const config = fs.mkdtempSync(path.join(os.tmpdir(), 'wfcfg-'));
    execFileSync('docker', ['--config', config, 'login', '-u', 'ci-user', '--password-stdin', registry.host], {
      input: password,
    });
    try {
      for (const [platform, arch] of [
        ['linux/arm64', 'aarch64'],
        ['linux/amd64', 'x86_64'],
      ] as const) {
        const out = execFileSync(
          'docker',
          ['--config', config, 'run', '--rm', '--pull', 'always', '--platform', platform, `${image}@${digest}`],
          {
            encoding: 'utf8',
          },
        );
        expect(out.trim()).toBe(arch);
      }
    } finally {
      docker(['rmi', '-f', `${image}@${digest}`]);
      fs.rmSync(config, { recursive: true, force: true });
    }
    // the shard step got the build secret (the RUN step checks it is there) and masked it: the
    // runner's ::add-mask:: is the only line that names it (the harness scans every action step too)
    const shardLog = jobs['image/shard linux/arm64']!.steps.at(-1)!.action!.main.stdout.split('\n');
    expect(shardLog.filter((l) => l.includes(buildToken) || l.includes(password))).toEqual([
      `::add-mask::${password}`,
      `::add-mask::${buildToken}`,
    ]);
  });

  test('reproducible: true reaches every shard: two runs of one commit push the same platform digests', async () => {
    const repo_ = uniqueName('e2e/wf-repro');
    const image = `${registry.host}/${repo_}`;
    const repo = makeRepo({
      '.github/workflows/release.yml': callerWorkflow(registry.host, image, `      reproducible: 'true'\n`),
      'app/Dockerfile': APP_DOCKERFILE,
      'app/npmrc': 'registry=http://127.0.0.1:9/\n',
    });
    // the workflow runner's checkout is a copy without .git: the push event's head_commit says when
    const sha = git(repo, 'rev-parse', 'HEAD').trim();
    const headCommit = { head_commit: { id: sha, timestamp: '2023-11-14T22:13:20Z' } };
    const runs = [await run(repo, 'push', headCommit), await run(repo, 'push', headCommit)];
    const digests = runs.map((r) => {
      expect(failures(r)).toEqual([]);
      const shard = byName(r)['image/shard linux/arm64']!.steps.at(-1)!.action!.main;
      expect(shard.outputs.driver).toBe('docker-container');
      expect(shard.stdout).toContain('reproducible: SOURCE_DATE_EPOCH=1700000000 (2023-11-14T22:13:20.000Z');
      return JSON.parse(r.needs.image!.outputs.digests!) as Record<string, string>;
    });
    expect(Object.keys(digests[0]!).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    expect(digests[1]).toEqual(digests[0]);
  });

  test('pull_request: the shards build, nothing is pushed, no job fails', async () => {
    const repo_ = uniqueName('e2e/wf-pr');
    const repo = makeRepo({
      '.github/workflows/release.yml': callerWorkflow(
        registry.host,
        `${registry.host}/${repo_}`,
        `      runners: '{"linux/arm64": ["self-hosted", "arm64"]}'\n`,
      ),
      'app/Dockerfile': APP_DOCKERFILE,
      'app/npmrc': 'registry=http://127.0.0.1:9/\n',
    });
    const result = await run(repo, 'pull_request');
    expect(failures(result)).toEqual([]);
    expect(result.jobs.map((j) => j.result)).toEqual(Array(5).fill('success'));
    // the caller's runner map decides the labels each shard asks for
    expect(result.jobs.filter((j) => j.id === 'shard').map((j) => j.runsOn)).toEqual([
      'ubuntu-24.04',
      ['self-hosted', 'arm64'],
    ]);
    const tags = await registry.get(`/v2/${repo_}/tags/list`);
    expect(tags.status).toBe(404);
    expect(result.needs.image!.outputs.digest).toBe('');
  });

  test('a shard that fails: the merge job still runs and refuses, naming the platform', async () => {
    const repo = makeRepo({
      '.github/workflows/release.yml': callerWorkflow(registry.host, `${registry.host}/${uniqueName('e2e/wf-fail')}`),
      'app/Dockerfile': ARM_FAILS,
      'app/npmrc': 'registry=http://127.0.0.1:9/\n',
    });
    const result = await run(repo);
    const jobs = byName(result);
    expect(jobs['image/shard linux/amd64']!.result).toBe('success');
    expect(jobs['image/shard linux/arm64']!.result).toBe('failure');
    const merge = jobs['image/merge']!;
    expect(merge.result).toBe('failure');
    expect(merge.steps.at(-1)!.action!.main.errors.join('\n')).toMatch(/linux\/arm64/);
    expect(jobs.report!.result).toBe('skipped');
  });

  test.each([
    [
      'a wrong matrix property in the shard step',
      (t: string) => t.replace('platforms: ${{ matrix.platform }}', 'platforms: ${{ matrix.platfrom }}'),
      /image\/shard .*with.*matrix\.platfrom.*'platfrom' is not a property/s,
    ],
    [
      'a wrong needs output name',
      (t: string) =>
        t.replace('shard-key: ${{ needs.plan.outputs.shard-key }}', 'shard-key: ${{ needs.plan.outputs.shardkey }}'),
      /image\/shard .*with.*needs\.plan\.outputs\.shardkey.*'shardkey' is not a property/s,
    ],
  ])('a broken copy of the workflow fails the runner, naming the expression: %s', async (_name, edit, message) => {
    const repo = makeRepo(
      {
        '.github/workflows/release.yml': callerWorkflow(
          registry.host,
          `${registry.host}/${uniqueName('e2e/wf-broken')}`,
        ),
        'app/Dockerfile': APP_DOCKERFILE,
        'app/npmrc': 'x\n',
      },
      edit,
    );
    await expect(run(repo)).rejects.toThrow(message);
  });
});
