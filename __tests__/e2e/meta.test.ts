/**
 * Meta stage end to end through the bundled action: dry-run prints the plan and sets the outputs with
 * only read-only docker calls; a pull_request with push: auto builds (labels, annotations) without pushing.
 */
import { isReadOnly } from '../../src/ports/exec-dry-run.js';
import {
  BUSYBOX_DOCKERFILE,
  docker,
  makeWorkspace,
  REGISTRY,
  registryManifest,
  runJob,
  uniqueName,
} from './harness.js';

const REPOSITORY = {
  name: 'octo-repo',
  full_name: 'octo-org/octo-repo',
  html_url: 'https://github.com/octo-org/octo-repo',
  description: 'An octo repo',
  default_branch: 'main',
  license: { spdx_id: 'MIT' },
};
const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('meta: tags, labels and version from git refs (bundled action)', () => {
  test('dry-run on a v1.2.3 tag push: plan printed, outputs set, no docker command that changes anything', async () => {
    const ws = makeWorkspace(BUSYBOX_DOCKERFILE);
    const repo = uniqueName('e2e/meta-dry');
    const image = `${REGISTRY}/${repo}`;
    const job = await runJob({
      workspace: ws,
      eventName: 'push',
      ref: 'refs/tags/v1.2.3',
      sha: SHA,
      payload: {
        ref: 'refs/tags/v1.2.3',
        head_commit: { id: SHA, timestamp: '2020-01-10T00:30:00Z' },
        repository: REPOSITORY,
      },
      env: { SOURCE_DATE_EPOCH: '1577836800' },
      inputs: {
        images: image,
        tags: 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\ntype=sha',
        labels: 'org.opencontainers.image.vendor=Octo',
        'dry-run': 'true',
      },
      traceDocker: true,
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    expect(job.main.outputs.version).toBe('1.2.3');
    expect(job.main.outputs.tags).toBe(
      [`${image}:1.2.3`, `${image}:1.2`, `${image}:sha-0123456`, `${image}:latest`].join('\n'),
    );
    const labels = job.main.outputs.labels!.split('\n');
    expect(labels).toEqual([
      'org.opencontainers.image.created=2020-01-01T00:00:00.000Z',
      'org.opencontainers.image.description=An octo repo',
      'org.opencontainers.image.licenses=MIT',
      `org.opencontainers.image.revision=${SHA}`,
      'org.opencontainers.image.source=https://github.com/octo-org/octo-repo',
      'org.opencontainers.image.title=octo-repo',
      'org.opencontainers.image.url=https://github.com/octo-org/octo-repo',
      'org.opencontainers.image.vendor=Octo',
      'org.opencontainers.image.version=1.2.3',
    ]);
    expect(job.main.outputs.annotations!.split('\n')).toHaveLength(8);
    const json = JSON.parse(job.main.outputs.json!);
    expect(json.tags).toHaveLength(4);
    expect(json.labels['org.opencontainers.image.version']).toBe('1.2.3');
    expect(job.main.outputs.pushed).toBe('false');

    // the plan: push decision and the exact buildx argv, printed but not run
    expect(job.main.stdout).toMatch(/dry-run plan:/);
    expect(job.main.stdout).toMatch(/"pushReason": "push: auto on a push event"/);
    expect(job.main.stdout).toContain(`"${image}:1.2.3"`);
    expect(job.main.stdout).toMatch(/"buildx": \[\s*"docker",\s*"buildx",\s*"build",/);
    expect(job.main.stdout).toMatch(/"--push",/);

    // docker was only probed
    expect(job.main.dockerCalls.length).toBeGreaterThan(0);
    for (const call of job.main.dockerCalls) expect(isReadOnly(['docker', ...call])).toBe(true);
    await expect(registryManifest(repo, '1.2.3')).rejects.toThrow(/404/);
    expect(job.post.code).toBe(0);
  });

  test('pull_request with push: auto builds (with labels and annotations) without pushing', async () => {
    const ws = makeWorkspace(BUSYBOX_DOCKERFILE);
    const repo = uniqueName('e2e/meta-pr');
    const image = `${REGISTRY}/${repo}`;
    const job = await runJob({
      workspace: ws,
      eventName: 'pull_request',
      ref: 'refs/pull/7/merge',
      sha: SHA,
      payload: {
        action: 'opened',
        number: 7,
        pull_request: { number: 7, head: { sha: 'f'.repeat(40), ref: 'feat' }, base: { ref: 'main' } },
        repository: REPOSITORY,
      },
      inputs: {
        images: image,
        tags: 'type=ref,event=pr\ntype=sha',
        platforms: 'linux/amd64,linux/arm64',
        push: 'auto',
      },
      traceDocker: true,
    });
    try {
      expect(job.main.errors).toEqual([]);
      expect(job.main.code).toBe(0);
      expect(job.main.outputs.tags).toBe(`${image}:pr-7\n${image}:sha-0123456`);
      expect(job.main.outputs.version).toBe('pr-7');
      expect(job.main.outputs.pushed).toBe('false');
      const all = job.main.dockerCalls.filter((c) => c[0] === 'buildx' && c[1] === 'build');
      // besides the build: arch-check's cached re-export of the unpushed image (to a stream, no push)
      const builds = all.filter((c) => !c.includes('type=oci,dest=-'));
      expect(builds).toHaveLength(1);
      for (const c of all) expect(c).not.toContain('--push');
      const argv = builds[0]!;
      expect(argv).not.toContain('--push');
      expect(argv).toContain(`${image}:pr-7`);
      expect(argv).toContain('org.opencontainers.image.version=pr-7');
      expect(argv).toContain('manifest:org.opencontainers.image.version=pr-7');
      expect(job.main.dockerCalls.some((c) => c[0] === 'push')).toBe(false);
      await expect(registryManifest(repo, 'pr-7')).rejects.toThrow(/404/);
      expect(job.post.code).toBe(0);
    } finally {
      // the docker driver keeps the built image in the engine's store: remove what we created
      docker(['image', 'rm', '-f', `${image}:pr-7`, `${image}:sha-0123456`]);
    }
  });
});
