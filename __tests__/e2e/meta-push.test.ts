/** A tag push: the semver tags are pushed, and the OCI annotations land on the index and the manifests. */
import { BUSYBOX_DOCKERFILE, makeWorkspace, REGISTRY, registryManifest, runJob, uniqueName } from './harness.js';

test('v1.2.3 tag push: 1.2.3, 1.2, latest pushed; annotations at manifest and index level', async () => {
  const repo = uniqueName('e2e/meta-push');
  const image = `${REGISTRY}/${repo}`;
  const job = await runJob({
    workspace: makeWorkspace(BUSYBOX_DOCKERFILE),
    eventName: 'push',
    ref: 'refs/tags/v1.2.3',
    payload: {
      ref: 'refs/tags/v1.2.3',
      repository: {
        name: 'octo-repo',
        html_url: 'https://github.com/octo-org/octo-repo',
        default_branch: 'main',
        description: 'd',
        license: { spdx_id: 'MIT' },
      },
    },
    env: { DOCKER_METADATA_ANNOTATIONS_LEVELS: 'manifest,index' },
    inputs: {
      images: image,
      tags: 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}',
      annotations: 'org.opencontainers.image.vendor=Octo',
    },
  });
  expect(job.main.errors).toEqual([]);
  expect(job.main.code).toBe(0);
  expect(job.main.outputs.pushed).toBe('true');
  expect(job.main.outputs.tags).toBe(`${image}:1.2.3\n${image}:1.2\n${image}:latest`);
  const index = await registryManifest(repo, '1.2.3');
  expect(index.digest).toBe(job.main.outputs.digest);
  for (const t of ['1.2', 'latest']) expect((await registryManifest(repo, t)).digest).toBe(index.digest);
  const indexAnn = (index.body as { annotations?: Record<string, string> }).annotations ?? {};
  expect(indexAnn['org.opencontainers.image.version']).toBe('1.2.3');
  expect(indexAnn['org.opencontainers.image.vendor']).toBe('Octo');
  const amd64 = index.body.manifests!.find((m) => m.platform?.architecture === 'amd64')!;
  const manifest = await registryManifest(repo, amd64.digest);
  const mAnn = (manifest.body as { annotations?: Record<string, string> }).annotations ?? {};
  expect(mAnn['org.opencontainers.image.source']).toBe('https://github.com/octo-org/octo-repo');
  expect(job.post.code).toBe(0);
});
