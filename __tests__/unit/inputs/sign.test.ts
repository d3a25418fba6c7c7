import { Collector } from '../../../src/inputs/collect.js';
import { parseSignInputs, signSecretValues } from '../../../src/inputs/sign.js';

const PEM = '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAA\nBBBB\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----';
const env = { workspace: '/ws', exists: (p: string) => p === '/ws/keys/cosign.key' };
const parse = (inputs: Record<string, string>) => {
  const c = new Collector();
  const parsed = parseSignInputs((n) => inputs[n] ?? '', c, env);
  return { parsed, errors: c.errors.map((e) => e.message) };
};

test('defaults: not signing, the transparency log on, the pinned cosign from its releases', () => {
  expect(parse({}).parsed).toEqual({
    sign: false,
    signKeyPem: '',
    signKeyFile: '',
    signKeyPassword: '',
    signTlog: true,
    cosignVersion: '2.5.0',
    cosignDownloadUrl: 'https://github.com/sigstore/cosign/releases/download',
    cosignDownloadAuth: '',
  });
});

test('sign-key: PEM text as given, or a workspace path made absolute', () => {
  expect(parse({ sign: 'true', 'sign-key': `  ${PEM}\n` }).parsed.signKeyPem).toBe(`${PEM}\n`);
  expect(parse({ sign: 'true', 'sign-key': 'keys/cosign.key' }).parsed).toMatchObject({
    signKeyPem: '',
    signKeyFile: '/ws/keys/cosign.key',
  });
});

test('cosign-version takes v or not; cosign-download-url keeps its credentials out of the URL', () => {
  const { parsed, errors } = parse({
    'cosign-version': 'v2.6.1',
    'cosign-download-url': 'https://bob:pw@mirror.example/cosign/',
  });
  expect(errors).toEqual([]);
  expect(parsed).toMatchObject({
    cosignVersion: '2.6.1',
    cosignDownloadUrl: 'https://mirror.example/cosign',
    cosignDownloadAuth: `Basic ${Buffer.from('bob:pw').toString('base64')}`,
  });
});

test('masked before anything is logged: the password, a PEM key, the mirror password; never a path', () => {
  const get = (i: Record<string, string>) => (n: string) => i[n] ?? '';
  expect(
    signSecretValues(
      get({ 'sign-key': PEM, 'sign-key-password': 'hunter22', 'cosign-download-url': 'https://u:mirrorpw@m/' }),
    ),
  ).toEqual(expect.arrayContaining(['hunter22', PEM, 'mirrorpw']));
  expect(signSecretValues(get({ 'sign-key': 'keys/cosign.key' }))).toEqual([]);
});
