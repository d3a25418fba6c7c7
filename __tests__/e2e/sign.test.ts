import * as fs from 'node:fs';
import * as path from 'node:path';

import { docker, REGISTRY, runJob, uniqueName } from './harness.js';
import {
  argvSamples,
  consumerVerify,
  cosignReleaseServer,
  filesUnder,
  type KeyPair,
  makeKeyPair,
  signWorkspace,
} from './sign-helpers.js';

const T = 300_000;

let release: Awaited<ReturnType<typeof cosignReleaseServer>>;
let keys: KeyPair;
beforeAll(async () => {
  release = await cosignReleaseServer();
  keys = makeKeyPair();
});
afterAll(async () => {
  await release.close();
  fs.rmSync(keys.dir, { recursive: true, force: true });
});

/** The inputs of a two-platform push signed with the key pair, without the transparency log. */
function signedPush(image: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    images: image,
    tags: 'v1',
    platforms: 'linux/amd64,linux/arm64',
    push: 'true',
    sign: 'true',
    'sign-key': keys.privatePem,
    'sign-key-password': keys.password,
    'sign-tlog': 'false',
    'cosign-download-url': release.url,
    ...extra,
  };
}

describe('sign with a key (real cosign, local registry)', () => {
  test(
    'signs the pushed index and every platform manifest by digest, verifies them, and no password leaves the run',
    async () => {
      const image = `${REGISTRY}/${uniqueName('e2e/sign')}`;
      const {
        result: job,
        hits,
        cosign,
      } = await argvSamples(keys.password, runJob({ workspace: signWorkspace(), inputs: signedPush(image) }));
      expect(job.main.errors).toEqual([]);
      expect(job.main.code).toBe(0);
      const digest = job.main.outputs.digest!;
      const manifests = Object.values(JSON.parse(job.main.outputs.manifests!) as Record<string, string>);
      expect(manifests).toHaveLength(2);
      // the index and each platform manifest, by digest, never a tag
      const signed = JSON.parse(job.main.outputs.signed!) as string[];
      expect(signed.sort()).toEqual([digest, ...manifests].map((d) => `${image}@${d}`).sort());
      expect(job.main.stdout).toMatch(/cosign-linux-amd64/); // installed from the release page
      expect(job.main.stdout).toMatch(/sign: 3 digest\(s\) signed and verified/);
      // the summary's command, pasted by a consumer, passes
      expect(job.main.summary).toContain(
        `cosign verify --key cosign.pub --insecure-ignore-tlog --allow-http-registry ${image}@${digest}`,
      );
      for (const ref of signed) expect(consumerVerify(keys.publicFile, ref)).toMatchObject({ code: 0 });

      // the password: never in argv while cosign ran, nor left in the runner's temp folder
      expect(cosign).toEqual(expect.arrayContaining(['sign', 'verify']));
      expect(hits).toEqual([]);
      expect(filesUnder(job.runnerTemp)).toEqual([]);
      expect(JSON.stringify(job.main.outputs)).not.toContain(keys.password);

      // another image pushed under the same tag afterwards does not verify; the signed digest still does
      const other = signWorkspace('two');
      const pushed = docker(['buildx', 'build', '--platform', 'linux/amd64', '--push', '-t', `${image}:v1`, other]);
      expect(pushed.code).toBe(0);
      const byTag = consumerVerify(keys.publicFile, `${image}:v1`);
      expect(byTag.code).not.toBe(0);
      expect(byTag.stderr).toMatch(/no signatures found/);
      expect(consumerVerify(keys.publicFile, `${image}@${digest}`).code).toBe(0);
    },
    T,
  );
});

describe('sign in scale-out: each shard its manifest, the merge its index', () => {
  test(
    'shards sign what they push by digest; the merge signs the index it creates and its platform manifests',
    async () => {
      const image = `${REGISTRY}/${uniqueName('e2e/sign-shard')}`;
      const ws = signWorkspace('shard');
      const key = {
        sign: 'true',
        'sign-key': keys.privatePem,
        'sign-key-password': keys.password,
        'sign-tlog': 'false',
        'cosign-download-url': release.url,
      };
      const shards: string[] = [];
      // sign-key as a file of the workspace for one shard, as PEM text for the other
      fs.writeFileSync(path.join(ws, 'cosign.key'), keys.privatePem, { mode: 0o600 });
      for (const platform of ['linux/amd64', 'linux/arm64']) {
        const signKey = platform === 'linux/arm64' ? { 'sign-key': 'cosign.key' } : {};
        const job = await runJob({
          workspace: ws,
          inputs: { images: image, mode: 'shard', platforms: platform, ...key, ...signKey },
        });
        expect(job.main.errors).toEqual([]);
        const digest = job.main.outputs.digest!;
        expect(JSON.parse(job.main.outputs.signed!)).toContain(`${image}@${digest}`);
        expect(consumerVerify(keys.publicFile, `${image}@${digest}`).code).toBe(0);
        shards.push(job.main.outputs.shard!);
      }
      const merge = await runJob({
        workspace: ws,
        inputs: { images: image, mode: 'merge', tags: 'v1', digests: shards.join('\n'), ...key },
      });
      expect(merge.main.errors).toEqual([]);
      const index = merge.main.outputs.digest!;
      const manifests = Object.values(JSON.parse(merge.main.outputs.manifests!) as Record<string, string>);
      expect((JSON.parse(merge.main.outputs.signed!) as string[]).sort()).toEqual(
        [index, ...manifests].map((d) => `${image}@${d}`).sort(),
      );
      expect(merge.main.summary).toContain(`--allow-http-registry ${image}@${index}`);
      expect(consumerVerify(keys.publicFile, `${image}@${index}`).code).toBe(0);
      expect(filesUnder(merge.runnerTemp)).toEqual([]);
    },
    T,
  );
});

describe('sign failures: one clear error, nothing left on disk', () => {
  /** A failed signed push: main failed with one ::error; post left the runner's temp folder empty. */
  async function failedSign(inputs: Record<string, string>, env?: Record<string, string>) {
    const image = `${REGISTRY}/${uniqueName('e2e/sign-fail')}`;
    const job = await runJob({ workspace: signWorkspace(), inputs: signedPush(image, inputs), env });
    expect(job.main.code).not.toBe(0);
    expect(job.main.errors).toHaveLength(1);
    expect(filesUnder(job.runnerTemp)).toEqual([]);
    expect(job.main.outputs.signed ?? '').toBe('');
    return { job, error: job.main.errors[0]! };
  }

  test(
    'a wrong key password names sign-key-password',
    async () => {
      const { job, error } = await failedSign({ 'sign-key-password': 'not-the-password' });
      expect(error).toMatch(/sign-key-password does not open sign-key/);
      // found before the build: nothing was pushed unsigned
      expect(job.main.outputs.pushed).toBe('false');
    },
    T,
  );

  test(
    'an unreachable transparency log names the service and sign-tlog',
    async () => {
      // a proxy nobody listens on: every https request cosign makes fails; the loopback registry is not proxied
      const { error } = await failedSign({ 'sign-tlog': 'true' }, { HTTPS_PROXY: 'http://127.0.0.1:9' });
      expect(error).toMatch(/could not reach the signing service rekor\.sigstore\.dev \(the Rekor transparency log\)/);
      expect(error).toMatch(/sign-tlog: false/);
    },
    T,
  );

  test(
    'a cosign release the mirror does not have names cosign-version and cosign-download-url',
    async () => {
      const { job, error } = await failedSign({ 'cosign-version': 'v2.4.9' });
      expect(error).toMatch(
        /could not download the checksums file from http:\/\/127\.0\.0\.1:\d+\/v2\.4\.9\/cosign_checksums\.txt \(HTTP 404\): is 2\.4\.9 a released cosign version\? Check cosign-version and cosign-download-url/,
      );
      expect(filesUnder(`${job.runnerTemp}/../toolcache`).filter((f) => f.includes('cosign'))).toEqual([]);
      expect(job.main.outputs.pushed).toBe('false');
    },
    T,
  );
});
