import { planShardOutput, planShardPush, shardAnnotations, shardOutput } from '../../../../src/stages/shard/plan.js';

const A = `sha256:${'a'.repeat(64)}`;
const IMG = 'ghcr.io/org/app';

describe('argv', () => {
  test('shard output: buildx pushes by digest, no tag', () => {
    expect(planShardOutput(IMG, 'docker-container', '/t/oci')).toBe(
      `type=image,name=${IMG},push-by-digest=true,name-canonical=true,push=true`,
    );
    expect(planShardOutput(IMG, 'remote', '/t/oci')).toBe(
      `type=image,name=${IMG},push-by-digest=true,name-canonical=true,push=true`,
    );
    // the docker driver cannot push by digest: an OCI layout, then a copy by digest
    expect(planShardOutput(IMG, 'docker', '/t/oci')).toBe('type=oci,dest=/t/oci,tar=false');
  });
  test('shard push of the OCI layout by digest (plain HTTP only for loopback registries)', () => {
    expect(planShardPush(IMG, A, '/t/oci', '/t/cfg/config.json')).toEqual([
      'skopeo',
      'copy',
      '--all',
      '--preserve-digests',
      '--retry-times',
      '2',
      '--authfile',
      '/t/cfg/config.json',
      'oci:/t/oci',
      `docker://${IMG}@${A}`,
    ]);
    expect(planShardPush('127.0.0.1:5000/e2e/x', A, '/o')).toEqual([
      'skopeo',
      'copy',
      '--all',
      '--preserve-digests',
      '--retry-times',
      '2',
      '--dest-tls-verify=false',
      'oci:/o',
      `docker://127.0.0.1:5000/e2e/x@${A}`,
    ]);
    expect(planShardPush('localhost:5000/x', A, '/o')).toContain('--dest-tls-verify=false');
    expect(planShardPush('localhost/x', A, '/o')).toContain('--dest-tls-verify=false');
    expect(planShardPush('library/localhost', A, '/o')).not.toContain('--dest-tls-verify=false');
  });
  test('shard output JSON, annotations', () => {
    expect(JSON.parse(shardOutput(IMG, 'linux/arm64', A))).toEqual({ image: IMG, platform: 'linux/arm64', digest: A });
    expect(
      shardAnnotations(['manifest:a=1', 'index:b=2', 'index[linux/amd64]:c=3', 'manifest-descriptor:d=4']),
    ).toEqual(['manifest:a=1', 'manifest-descriptor:d=4']);
  });
});

test('shard output by driver: buildx pushes by digest on container drivers, an OCI layout for skopeo on docker', () => {
  for (const driver of ['docker-container', 'remote', 'kubernetes']) {
    expect(planShardOutput('127.0.0.1:5000/app', driver, '/t/oci')).toBe(
      'type=image,name=127.0.0.1:5000/app,push-by-digest=true,name-canonical=true,push=true',
    );
  }
  expect(planShardOutput('127.0.0.1:5000/app', 'docker', '/t/oci')).toBe('type=oci,dest=/t/oci,tar=false');
});
