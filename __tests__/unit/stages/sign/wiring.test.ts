import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { jest } from '@jest/globals';

import { readRunContext } from '../../../../src/context/run-context.js';
import { parseInputs } from '../../../../src/inputs/index.js';
import { keylessTokenError } from '../../../../src/inputs/sign.js';
import type { ExecRequest } from '../../../../src/ports/exec.js';
import { createActionsHost } from '../../../../src/ports/host-actions.js';
import type { ToolCache } from '../../../../src/ports/tool-cache.js';
import type { Run } from '../../../../src/run/run.js';
import { StateStore } from '../../../../src/run/state.js';
import { resolveCosign } from '../../../../src/stages/sign/act.js';
import { prepareSign, signStage } from '../../../../src/stages/sign/wiring.js';
import { fakeDeps, fakeExec, fakeFiles, fakeHost } from '../../fakes.js';

const IMAGE = '127.0.0.1:5000/o/app';
const AMD64 = `sha256:${'2'.repeat(64)}`;
const ARM64 = `sha256:${'3'.repeat(64)}`;
const INDEX_JSON = JSON.stringify({
  manifests: [
    { digest: AMD64, platform: { os: 'linux', architecture: 'amd64' } },
    { digest: ARM64, platform: { os: 'linux', architecture: 'arm64' } },
    {
      digest: `sha256:${'4'.repeat(64)}`,
      platform: { os: 'unknown', architecture: 'unknown' },
      annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
    },
  ],
});
/** The pushed index's digest: what its bytes hash to, as the registry serves them. */
const INDEX = `sha256:${createHash('sha256').update(INDEX_JSON).digest('hex')}`;

/** A gateway standing in for the pinned cosign on PATH and the registry's index. */
function cosignExec() {
  return fakeExec((req) => {
    if (req.argv[1] === 'version') return { stdout: JSON.stringify({ gitVersion: 'v2.5.0' }) };
    if (req.argv.includes('imagetools')) return { stdout: INDEX_JSON };
    if (req.argv[1] === 'public-key') return { stdout: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n' };
    return { code: 0 };
  });
}

function runOf(inputs: Record<string, string>, exec = cosignExec(), env: Record<string, string> = {}) {
  const host = fakeHost({ images: IMAGE, platforms: 'linux/amd64,linux/arm64', sign: 'true', ...inputs });
  const files = fakeFiles({ '/ws/Dockerfile': 'FROM scratch\n' });
  const deps = fakeDeps(host, exec, files, env);
  const ctx = readRunContext(deps.env, deps.cwd);
  const parsed = parseInputs((n, o) => host.getInput(n, o), { workspace: ctx.workspace, exists: () => true });
  const run = {
    ...deps,
    ctx,
    inputs: parsed,
    push: { enabled: true, reason: 'push event' },
    state: new StateStore(host),
    tempDir: '/tmp/rt/multiarch-x',
    dockerConfig: '/tmp/rt/dc',
    timings: [],
    report: { refs: [], pushed: true, verification: '' },
    timed: (_n: string, fn: () => Promise<unknown>) => fn(),
  } as unknown as Run;
  return { run, host, files, exec };
}

const cosignCalls = (calls: ExecRequest[], sub: string) => calls.filter((c) => c.argv[1] === sub);

/** A JWT as the runner's token service issues it (unsigned here: only its claims are read). */
function jwt(claims: Record<string, string>): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part(claims)}.c2ln`;
}

describe('keyless signing with the job OIDC token (loopback token service)', () => {
  const WORKFLOW_REF = 'octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main';
  const token = jwt({ aud: 'sigstore', job_workflow_ref: WORKFLOW_REF });
  let server: http.Server;
  let requests: { url: string; auth: string }[];
  const saved = { ...process.env };
  beforeAll(async () => {
    requests = [];
    server = http.createServer((req, res) => {
      requests.push({ url: req.url ?? '', auth: String(req.headers.authorization ?? '') });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: token }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    // @actions/core reads the request URL and token from the process environment, as on a runner
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = `http://127.0.0.1:${port}/token?api-version=2.0`;
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'request-bearer';
  });
  afterAll(async () => {
    process.env = saved;
    await new Promise((resolve) => server.close(resolve));
  });

  test('the token is requested for sigstore, reaches cosign through its environment, and verify checks the workflow identity', async () => {
    const { run, host, exec } = runOf({ tags: 'v1' });
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      host.idToken = createActionsHost(process.env).idToken!;
      await signStage(run, await prepareSign(run), { digest: INDEX, repos: [IMAGE] });
    } finally {
      stdout.mockRestore();
    }
    expect(requests).toEqual([{ url: '/token?api-version=2.0&audience=sigstore', auth: 'Bearer request-bearer' }]);
    const [sign] = cosignCalls(exec.calls, 'sign');
    const [verify] = cosignCalls(exec.calls, 'verify');
    expect(sign!.env?.SIGSTORE_ID_TOKEN).toBe(token);
    for (const c of exec.calls) expect(c.argv.join(' ')).not.toContain(token);
    expect(sign!.argv).toEqual([
      'cosign',
      'sign',
      '--yes',
      '--allow-http-registry',
      '--',
      `${IMAGE}@${INDEX}`,
      `${IMAGE}@${AMD64}`,
      `${IMAGE}@${ARM64}`,
    ]);
    expect(verify!.argv).toEqual(
      expect.arrayContaining([
        '--certificate-identity',
        `https://github.com/${WORKFLOW_REF}`,
        '--certificate-oidc-issuer',
        'https://token.actions.githubusercontent.com',
      ]),
    );
    expect(verify!.argv).not.toContain('--insecure-ignore-tlog');
    expect(host.secrets).toContain(token);
    expect(JSON.parse(host.outputs.signed!)).toEqual([INDEX, AMD64, ARM64].map((d) => `${IMAGE}@${d}`));
    expect(run.report.verification).toContain(
      `cosign verify --certificate-identity https://github.com/${WORKFLOW_REF} --certificate-oidc-issuer https://token.actions.githubusercontent.com --allow-http-registry ${IMAGE}@${INDEX}`,
    );
  });

  test('a token the runner refuses fails naming the id-token: write permission', async () => {
    const { run, host } = runOf({ tags: 'v1' });
    host.idToken = () => Promise.reject(new Error('Failed to get ID Token. Error Code: 403'));
    await expect(signStage(run, await prepareSign(run), { digest: INDEX, repos: [IMAGE] })).rejects.toThrow(
      /OIDC token .*403.*permissions: id-token: write/,
    );
  });

  test('a job that cannot request a token is an input error naming id-token: write; a key or no push needs none', () => {
    const { run } = runOf({ tags: 'v1' });
    const none = { GITHUB_ACTIONS: 'true' };
    expect(keylessTokenError(run.inputs, true, none)?.message).toMatch(/^Input "sign": .*permissions: id-token: write/);
    expect(keylessTokenError(run.inputs, false, none)).toBeUndefined();
    expect(keylessTokenError({ ...run.inputs, signKeyFile: '/ws/cosign.key' }, true, none)).toBeUndefined();
    expect(
      keylessTokenError(run.inputs, true, { ACTIONS_ID_TOKEN_REQUEST_URL: 'u', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' }),
    ).toBeUndefined();
  });
});

describe('signing with a key', () => {
  const PEM =
    '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nc2VjcmV0LWtleQ==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----';
  test('the key is a 0600 file of the run, its password only in the environment; both gone afterwards', async () => {
    const { run, files, exec } = runOf({ 'sign-key': PEM, 'sign-key-password': 'hunter22', 'sign-tlog': 'false' });
    const writes: [string, number | undefined][] = [];
    const write = files.writeFile;
    files.writeFile = (p, c, mode) => (writes.push([p, mode]), write(p, c, mode));
    await signStage(run, await prepareSign(run), { digest: INDEX, repos: [IMAGE] });
    const keyFile = '/tmp/rt/multiarch-x/sign-XXXX/cosign.key';
    expect(writes).toEqual([
      [keyFile, 0o600],
      ['/tmp/rt/multiarch-x/sign-XXXX/cosign.pub', 0o600],
    ]);
    expect(files.written[keyFile]).toBe(`${PEM}\n`);
    expect(files.removed).toEqual(['/tmp/rt/multiarch-x/sign-XXXX']);
    for (const c of exec.calls) expect(c.argv.join(' ')).not.toContain('hunter22');
    const [sign] = cosignCalls(exec.calls, 'sign');
    expect(sign!.env).toMatchObject({ COSIGN_PASSWORD: 'hunter22', TUF_ROOT: '/tmp/rt/multiarch-x/sign-XXXX/tuf' });
    expect(sign!.argv).toEqual(expect.arrayContaining(['--key', keyFile, '--tlog-upload=false']));
    const [verify] = cosignCalls(exec.calls, 'verify');
    expect(verify!.argv).toEqual(
      expect.arrayContaining(['--key', '/tmp/rt/multiarch-x/sign-XXXX/cosign.pub', '--insecure-ignore-tlog']),
    );
  });

  test('nothing pushed (a pull request): a notice, and cosign never runs', async () => {
    const { run, host, exec } = runOf({ 'sign-key': PEM });
    (run as { push: Run['push'] }).push = { enabled: false, reason: 'pull request' };
    const notices: string[] = [];
    host.notice = (m) => void notices.push(m);
    await signStage(run, await prepareSign(run), { digest: '', repos: [IMAGE] });
    expect(notices).toEqual(['sign: nothing is pushed (pull request), so nothing is signed']);
    expect(exec.calls).toEqual([]);
  });

  test('a signature that does not verify fails the step', async () => {
    const exec = fakeExec((req) => {
      if (req.argv[1] === 'version') return { stdout: JSON.stringify({ gitVersion: 'v2.5.0' }) };
      if (req.argv.includes('imagetools')) return { stdout: INDEX_JSON };
      if (req.argv[1] === 'verify') return { code: 1, stderr: 'Error: no matching signatures: invalid signature' };
      return { stdout: 'pub' };
    });
    const { run } = runOf({ 'sign-key': PEM }, exec);
    await expect(signStage(run, await prepareSign(run), { digest: INDEX, repos: [IMAGE] })).rejects.toThrow(
      /the signature just made does not verify .*no matching signatures/,
    );
  });
});

describe('what the registry answers is checked before signing', () => {
  const PEM =
    '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nc2VjcmV0LWtleQ==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----';
  const answering = (index: string) =>
    fakeExec((req) => {
      if (req.argv[1] === 'version') return { stdout: JSON.stringify({ gitVersion: 'v2.5.0' }) };
      if (req.argv.includes('imagetools')) return { stdout: index };
      return { stdout: 'pub' };
    });

  const hostile = JSON.stringify({
    manifests: [{ digest: 'x`\n## injected', platform: { os: 'linux', architecture: 'amd64' } }],
  });
  test.each([
    [
      'an index that is not the pushed one',
      INDEX_JSON.replace(AMD64, `sha256:${'e'.repeat(64)}`),
      INDEX,
      /other content than the pushed digest/,
    ],
    [
      'an entry whose digest is not sha256',
      hostile,
      `sha256:${createHash('sha256').update(hostile).digest('hex')}`,
      /not sha256:<64 hex>/,
    ],
  ])('%s: refused, and cosign signs nothing', async (_name, index, digest, message) => {
    const exec = answering(index);
    const { run } = runOf({ 'sign-key': PEM }, exec);
    await expect(signStage(run, await prepareSign(run), { digest, repos: [IMAGE] })).rejects.toThrow(message);
    expect(cosignCalls(exec.calls, 'sign')).toEqual([]);
  });
});

describe('cosign install', () => {
  let root: string;
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('a checksum mismatch is refused: nothing cached, nothing left in the run folder', async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cosign-i-'));
    const bin = 'not the real cosign';
    const served: Record<string, string> = {
      'http://m/v2.5.0/cosign_checksums.txt': `${createHash('sha256').update('the real cosign').digest('hex')}  cosign-linux-amd64\n`,
      'http://m/v2.5.0/cosign-linux-amd64': bin,
    };
    const cached: string[] = [];
    const tc: ToolCache = {
      find: () => '',
      downloadTool: async (url, dest) => (fs.writeFileSync(dest, served[url]!), dest),
      cacheFile: async (src) => (cached.push(src), root),
    };
    // Debian's build on PATH says "devel": not the pinned release, so the release is downloaded
    const exec = fakeExec(() => ({ stdout: JSON.stringify({ gitVersion: 'devel' }) }));
    const deps = { exec, log: () => undefined, warn: () => undefined, tc };
    await expect(
      resolveCosign({ version: '2.5.0', baseUrl: 'http://m', auth: '', tempDir: root, cache: true }, deps),
    ).rejects.toThrow(/checksum mismatch for cosign-linux-amd64 .*\(cosign_checksums\.txt\).*cosign-download-url/);
    expect(cached).toEqual([]);
    expect(fs.readdirSync(root)).toEqual([]);
  });
});
