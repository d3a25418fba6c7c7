import { docker, makeWorkspace, REGISTRY, registryManifest, runJob, uniqueName } from './harness.js';

/**
 * A docker/build-push-action step pasted in as it is (no images, full references in tags, nothing
 * added) behaves as build-push-action: its defaults for every input left unset. The cases are
 * build-push-action's own CI steps.
 */
const DOCKERFILE = 'FROM scratch\nARG TARGETARCH\nCOPY busybox-$TARGETARCH /bin/busybox\nCOPY id /id\n';
const SECRET_DOCKERFILE = `${DOCKERFILE}RUN --mount=type=secret,id=GIT_AUTH_TOKEN ["/bin/busybox", "test", "-s", "/run/secrets/GIT_AUTH_TOKEN"]\n`;

const workspace = (prefix: string, dockerfile = DOCKERFILE) => makeWorkspace(dockerfile, { id: uniqueName(prefix) });
const buildCall = (calls: string[][]) => calls.find((c) => c[0] === 'buildx' && c[1] === 'build')!;
/** The engine's own platform (what the builder builds without --platform). */
const enginePlatform = () => {
  const arch = docker(['version', '--format', '{{.Server.Arch}}']).stdout.trim();
  return `linux/${arch}`;
};
const platformOf = (p?: { os: string; architecture: string; variant?: string }) =>
  p ? [p.os, p.architecture, p.variant].filter(Boolean).join('/') : '';

describe("build-push-action's form: unset inputs take build-push-action's defaults", () => {
  test('no push: on a push event it builds only (nothing pushed), and a notice names the form', async () => {
    const repo = `${uniqueName('bpa-nopush')}/app`;
    const job = await runJob({
      workspace: workspace('nopush'),
      eventName: 'push',
      inputs: { tags: `${REGISTRY}/${repo}:latest` },
      traceDocker: true,
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    expect(buildCall(job.main.dockerCalls)).not.toContain('--push');
    expect(job.main.outputs.pushed).toBe('false');
    expect(job.main.stdout).toMatch(/^::notice::build-push-action form/m);
    await expect(registryManifest(repo, 'latest')).rejects.toThrow(/404/);
    // no generated OCI labels: only those given (none)
    expect(buildCall(job.main.dockerCalls)).not.toContain('--label');
  }, 300_000);

  test("load: true with no platforms loads the builder's own platform (no --platform)", async () => {
    const tag = `h7-bpa/${uniqueName('load')}:1`;
    try {
      const job = await runJob({
        workspace: workspace('load'),
        inputs: { tags: tag, load: 'true' },
        traceDocker: true,
      });
      expect(job.main.errors).toEqual([]);
      expect(job.main.code).toBe(0);
      const build = buildCall(job.main.dockerCalls);
      expect(build).not.toContain('--platform');
      expect(build).toContain('--load');
      const inspect = docker(['image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', tag]);
      expect(inspect.stdout.trim()).toBe(enginePlatform());
      expect(job.main.outputs.platforms).toBe(enginePlatform());
    } finally {
      docker(['rmi', tag]);
    }
  }, 300_000);

  test("an empty platforms (a matrix value that evaluated to nothing) builds the builder's own platform", async () => {
    const repo = `${uniqueName('bpa-empty')}/app`;
    const job = await runJob({
      workspace: workspace('empty'),
      inputs: { tags: `${REGISTRY}/${repo}:v1`, platforms: '', push: 'true' },
      traceDocker: true,
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    expect(buildCall(job.main.dockerCalls)).not.toContain('--platform');
    const { body } = await registryManifest(repo, 'v1');
    const platforms = (body.manifests ?? []).map((m) => platformOf(m.platform)).filter((p) => !p.startsWith('unknown'));
    expect(platforms).toEqual([enginePlatform()]);
    expect(job.main.outputs).toMatchObject({ pushed: 'true', platforms: enginePlatform() });
  }, 300_000);

  test('load and push with two platforms: loaded into the containerd image store and pushed', async () => {
    const repo = `${uniqueName('bpa-loadpush')}/app`;
    const tag = `${REGISTRY}/${repo}:v1`;
    try {
      const job = await runJob({
        workspace: workspace('loadpush'),
        inputs: { tags: tag, platforms: 'linux/amd64,linux/arm64', load: 'true', push: 'true' },
      });
      expect(job.main.errors).toEqual([]);
      expect(job.main.code).toBe(0);
      expect(job.main.outputs.pushed).toBe('true');
      const { body } = await registryManifest(repo, 'v1');
      const platforms = (body.manifests ?? [])
        .map((m) => platformOf(m.platform))
        .filter((p) => !p.startsWith('unknown'));
      expect(platforms.sort()).toEqual(['linux/amd64', 'linux/arm64']);
      // the local image store holds both platforms of the loaded tag
      const arm = docker(['run', '--rm', '--platform', 'linux/arm64', tag, '/bin/busybox', 'uname', '-m']);
      expect(arm.stdout.trim()).toBe('aarch64');
    } finally {
      docker(['rmi', tag]);
    }
  }, 300_000);

  test('index: and manifest: annotations land on the index and on each manifest, as written', async () => {
    const repo = `${uniqueName('bpa-annot')}/app`;
    const job = await runJob({
      workspace: workspace('annot'),
      inputs: {
        tags: `${REGISTRY}/${repo}:v1`,
        platforms: 'linux/amd64,linux/arm64',
        push: 'true',
        annotations: 'index:com.example.index=on-the-index\nmanifest:com.example.manifest=on-each-manifest',
      },
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    const raw = JSON.parse(docker(['buildx', 'imagetools', 'inspect', '--raw', `${REGISTRY}/${repo}:v1`]).stdout) as {
      annotations?: Record<string, string>;
      manifests: { digest: string; platform?: { os: string } }[];
    };
    expect(raw.annotations).toMatchObject({ 'com.example.index': 'on-the-index' });
    const images = raw.manifests.filter((m) => m.platform?.os !== 'unknown');
    expect(images).toHaveLength(2);
    for (const m of images) {
      const manifest = JSON.parse(
        docker(['buildx', 'imagetools', 'inspect', '--raw', `${REGISTRY}/${repo}@${m.digest}`]).stdout,
      ) as { annotations?: Record<string, string> };
      expect(manifest.annotations).toMatchObject({ 'com.example.manifest': 'on-each-manifest' });
      expect(Object.keys(manifest.annotations ?? {}).filter((k) => k.includes(':'))).toEqual([]);
    }
  }, 300_000);

  test('an empty secret line (INVALID_SECRET=) in secrets, secret-files and secret-envs warns and builds', async () => {
    const ws = makeWorkspace(SECRET_DOCKERFILE, { id: uniqueName('secret'), 'token.txt': 'abcd' });
    const job = await runJob({
      workspace: ws,
      inputs: {
        tags: `h7-bpa/${uniqueName('secret')}:1`,
        platforms: 'linux/amd64',
        secrets: 'GIT_AUTH_TOKEN=abcdef\nINVALID_SECRET=',
        'secret-files': 'FILE_SECRET=./token.txt\nINVALID_SECRET=',
        'secret-envs': 'ENV_SECRET=MY_TOKEN\nINVALID_SECRET=',
      },
      env: { MY_TOKEN: 'xyz' },
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    for (const input of ['secrets', 'secret-files', 'secret-envs']) {
      expect(job.main.warnings).toContainEqual(
        expect.stringMatching(new RegExp(`^${input}: INVALID_SECRET= is not a valid secret`)),
      );
    }
  }, 300_000);

  test('BUILDX_NO_DEFAULT_ATTESTATIONS=1: no --provenance and no attestation manifest pushed', async () => {
    const repo = `${uniqueName('bpa-noattest')}/app`;
    const job = await runJob({
      workspace: workspace('noattest'),
      inputs: { tags: `${REGISTRY}/${repo}:v1`, platforms: 'linux/amd64,linux/arm64', push: 'true' },
      env: { BUILDX_NO_DEFAULT_ATTESTATIONS: '1' },
      traceDocker: true,
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    expect(buildCall(job.main.dockerCalls)).not.toContain('--provenance');
    const { body } = await registryManifest(repo, 'v1');
    expect((body.manifests ?? []).map((m) => platformOf(m.platform)).sort()).toEqual(['linux/amd64', 'linux/arm64']);
  }, 300_000);

  test('outputs: type=image,…,push=true gives pushed=true, in the output and the summary', async () => {
    const repo = `${uniqueName('bpa-outpush')}/app`;
    const job = await runJob({
      workspace: workspace('outpush'),
      inputs: {
        tags: `${REGISTRY}/${repo}:v1`,
        platforms: 'linux/amd64',
        outputs: `type=image,name=${REGISTRY}/${repo}:v1,push=true`,
      },
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    await expect(registryManifest(repo, 'v1')).resolves.toBeTruthy();
    expect(job.main.outputs.pushed).toBe('true');
    expect(job.main.summary).toMatch(/\| pushed \| yes \|/);
  }, 300_000);
});
