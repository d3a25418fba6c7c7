import {
  type FoundShard,
  jobRunId,
  parseShardRecord,
  selectShards,
  shardArtifactName,
  type ShardRecord,
  shardSet,
  shardSetPrefix,
} from '../../../../src/stages/shard/record.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const IMG = 'ghcr.io/org/app';
const token = (run: string, job: string) =>
  `x.${Buffer.from(JSON.stringify({ scp: `Actions.GenericRead:${run} Actions.Results:${run}:${job}` })).toString('base64url')}.sig`;
// the characters @actions/artifact refuses in an artifact name
const INVALID = /["<>:|*?\r\n\\/]/;

describe('shard artifact names: per run (the service scopes them), per shard set, platform and job', () => {
  test('the set is the image name, readable, plus the optional shard-key', () => {
    expect(shardSet(IMG)).toBe('ghcr.io-org-app');
    expect(shardSet('docker.io/library/nginx')).toBe(shardSet('nginx'));
    expect(shardSet('Docker.io/Org/App')).toBe(shardSet('org/app'));
    expect(shardSet(IMG, 'debug')).toBe('ghcr.io-org-app+debug');
    expect(shardSet(IMG, '  ')).toBe(shardSet(IMG));
  });

  test('two images, or one image with two shard-keys, never share a set or a name', () => {
    const names = [shardSet(IMG), shardSet('ghcr.io/org/web'), shardSet(IMG, 'debug'), shardSet(IMG, 'slim')].map((s) =>
      shardArtifactName(s, 'linux/amd64', 1, 'job-1'),
    );
    expect(new Set(names).size).toBe(4);
    // one set's prefix matches none of another set's names (app vs app+debug vs app-debug)
    const sets = [shardSet(IMG), shardSet(IMG, 'debug'), shardSet('ghcr.io/org/app-debug')];
    for (const s of sets)
      for (const t of sets)
        if (s !== t) expect(shardArtifactName(t, 'linux/amd64', 1, 'j').startsWith(shardSetPrefix(s))).toBe(false);
  });

  test('a name holds platform, attempt and a hash of the job: two legs of one platform, and a re-run, get their own', () => {
    const set = shardSet(IMG);
    const name = shardArtifactName(set, 'linux/arm/v7', 2, 'job-1');
    expect(name).toMatch(/^multiarch-shard~ghcr\.io-org-app~linux-arm-v7~a2~[0-9a-f]{8}$/);
    expect(name).not.toMatch(INVALID);
    expect(shardArtifactName(set, 'linux/arm/v7', 2, 'job-2')).not.toBe(name);
    expect(shardArtifactName(set, 'linux/arm/v7', 3, 'job-1')).not.toBe(name);
    expect(shardArtifactName(set, 'linux/arm64', 2, 'job-1')).not.toBe(name);
    // the same job, platform and attempt: the same name
    expect(shardArtifactName(set, 'linux/arm/v7', 2, 'job-1')).toBe(name);
  });

  test('long image names are capped with a hash, so two long names stay apart', () => {
    const long = `registry.example.com:5000/${'team/'.repeat(30)}`;
    const a = shardSet(`${long}a`);
    const b = shardSet(`${long}b`);
    expect(a.length).toBeLessThanOrEqual(90);
    expect(a).not.toBe(b);
    expect(shardArtifactName(a, 'linux/amd64', 1, 'j')).not.toMatch(INVALID);
  });

  test('the job run id comes from the runtime token; undefined when it has none', () => {
    expect(jobRunId(token('run-1', 'job-9'))).toBe('job-9');
    expect(jobRunId('not-a-jwt')).toBeUndefined();
    expect(jobRunId('')).toBeUndefined();
  });
});

const rec = (platform: string, digest: string, more: Partial<ShardRecord> = {}): ShardRecord => ({
  schema: 1,
  set: shardSet(IMG),
  image: IMG,
  platform,
  digest,
  attempt: 1,
  job: 'shard',
  ...more,
});
const found = (...records: ShardRecord[]): FoundShard[] =>
  records.map((record, i) => ({ artifact: `art-${i}`, record }));
const want = { set: shardSet(IMG), image: IMG, platforms: ['linux/amd64', 'linux/arm64'] };

describe('selectShards: exactly the platforms asked for, one shard each, of this image', () => {
  test('one shard per platform, in the order of platforms', () => {
    expect(selectShards(found(rec('linux/arm64', B), rec('linux/amd64', A)), want)).toEqual([
      { image: IMG, platform: 'linux/amd64', digest: A },
      { image: IMG, platform: 'linux/arm64', digest: B },
    ]);
  });

  test("a re-run's shard replaces the earlier attempt's", () => {
    const C = `sha256:${'c'.repeat(64)}`;
    const got = selectShards(
      found(rec('linux/amd64', A), rec('linux/arm64', B), rec('linux/arm64', C, { attempt: 2 })),
      want,
    );
    expect(got[1]!.digest).toBe(C);
  });

  test.each<[string, ShardRecord[], RegExp]>([
    ['a missing platform', [rec('linux/amd64', A)], /no shard for linux\/arm64 in this run \(found: linux\/amd64\)/],
    [
      'two shards of one platform in one attempt',
      [rec('linux/amd64', A), rec('linux/amd64', B), rec('linux/arm64', B)],
      /duplicate platform linux\/amd64: art-0 \(sha256:a+\) and art-1/,
    ],
    [
      'a platform not asked for',
      [rec('linux/amd64', A), rec('linux/arm64', B), rec('linux/riscv64', B)],
      /shards for linux\/riscv64, which platforms .* does not list/,
    ],
    [
      'a shard of another image',
      [rec('linux/amd64', A), rec('linux/arm64', B, { image: 'ghcr.io/org-app' })],
      /art-1 holds a shard of ghcr.io\/org-app .*shard-key/,
    ],
  ])('refuses %s (nothing created)', (_n, records, why) => {
    expect(() => selectShards(found(...records), want)).toThrow(why);
    expect(() => selectShards(found(...records), want)).toThrow(/Nothing was created$/);
  });

  test('an artifact that is not a shard result is named', () => {
    expect(() => parseShardRecord(undefined, 'x')).toThrow(/artifact x is not a shard result \(no shard.json\)/);
    expect(() => parseShardRecord('{"schema":2}', 'x')).toThrow(/schema 2/);
    expect(() => parseShardRecord(JSON.stringify({ ...rec('linux/amd64', A), digest: 'sha256:1' }), 'x')).toThrow(
      /digest/,
    );
    expect(parseShardRecord(JSON.stringify(rec('linux/arm64/v8', A)), 'x').platform).toBe('linux/arm64');
  });
});
