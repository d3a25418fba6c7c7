import {
  consumerCommand,
  cosignAsset,
  cosignFailure,
  isCosignVersion,
  keylessIdentity,
  keylessIssuer,
  signTargets,
} from '../../../../src/stages/sign/plan.js';

test('cosignAsset: the release asset and its checksums file, per OS and arch', () => {
  expect(cosignAsset('https://m/', '2.5.0', 'linux', 'arm64')).toMatchObject({
    name: 'cosign-linux-arm64',
    url: 'https://m/v2.5.0/cosign-linux-arm64',
    checksumsUrl: 'https://m/v2.5.0/cosign_checksums.txt',
  });
  expect(cosignAsset('https://m', '2.5.0', 'win32', 'x64').name).toBe('cosign-windows-amd64.exe');
  expect(() => cosignAsset('https://m', '2.5.0', 'aix', 'ppc')).toThrow(/no release for aix\/ppc/);
});

test("isCosignVersion: only the pinned release, never Debian's devel build", () => {
  expect(isCosignVersion('{"gitVersion":"v2.5.0"}', '2.5.0')).toBe(true);
  expect(isCosignVersion('{"gitVersion":"devel"}', '2.5.0')).toBe(false);
  expect(isCosignVersion('not json', '2.5.0')).toBe(false);
});

test('signTargets: every repository × each digest, once', () => {
  expect(signTargets(['r/a', 'r/b', 'r/a'], 'sha256:i', ['sha256:m', 'sha256:i'])).toEqual([
    'r/a@sha256:i',
    'r/a@sha256:m',
    'r/b@sha256:i',
    'r/b@sha256:m',
  ]);
});

test('keylessIdentity: the token job_workflow_ref, else GITHUB_WORKFLOW_REF; anything else refused', () => {
  const claims = Buffer.from(JSON.stringify({ job_workflow_ref: 'o/r/.github/workflows/w.yml@refs/heads/x' })).toString(
    'base64url',
  );
  expect(keylessIdentity(`h.${claims}.s`, {}, 'https://github.com/')).toBe(
    'https://github.com/o/r/.github/workflows/w.yml@refs/heads/x',
  );
  expect(
    keylessIdentity('opaque', { GITHUB_WORKFLOW_REF: 'o/r/.github/workflows/a.yml@refs/tags/v1' }, 'https://g'),
  ).toBe('https://g/o/r/.github/workflows/a.yml@refs/tags/v1');
  expect(() => keylessIdentity('opaque', { GITHUB_WORKFLOW_REF: 'x y' }, 'https://g')).toThrow(
    /cannot tell which workflow/,
  );
});

test('keylessIssuer: the token iss when it is an https URL, else the GitHub Actions issuer', () => {
  const jwt = (claims: object) => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;
  expect(keylessIssuer(jwt({ iss: 'https://ghes.example/_services/token' }))).toBe(
    'https://ghes.example/_services/token',
  );
  expect(keylessIssuer(jwt({}))).toBe('https://token.actions.githubusercontent.com');
  expect(keylessIssuer(jwt({ iss: 'http://evil.example' }))).toBe('https://token.actions.githubusercontent.com');
  expect(keylessIssuer(jwt({ iss: 'https://a b' }))).toBe('https://token.actions.githubusercontent.com');
  expect(keylessIssuer('opaque')).toBe('https://token.actions.githubusercontent.com');
});

test('consumerCommand: a word a shell would split is quoted', () => {
  const cmd = consumerCommand(
    {
      mode: {
        kind: 'keyless',
        identity: "https://g/o/r/.github/workflows/it's.yml@refs/heads/main",
        issuer: 'https://i',
      },
      tlog: true,
      refs: [],
    },
    'ghcr.io/o/app@sha256:1',
  );
  expect(cmd).toBe(
    "cosign verify --certificate-identity 'https://g/o/r/.github/workflows/it'\\''s.yml@refs/heads/main' --certificate-oidc-issuer https://i ghcr.io/o/app@sha256:1",
  );
});

describe('cosignFailure: what to change', () => {
  test.each([
    [
      'Error: signing [x]: getting signer: reading key: decrypt: encrypted: decryption failed',
      /sign-key-password does not open sign-key/,
    ],
    [
      'Error: signing digest: Post "https://rekor.sigstore.dev/api/v1/log/entries": dial tcp: connection refused',
      /signing service rekor\.sigstore\.dev \(the Rekor transparency log\).*sign-tlog: false/,
    ],
    [
      'Error: getting cert: Post "https://fulcio.sigstore.dev/api/v2/signingCert": dial tcp: i/o timeout',
      /signing service fulcio\.sigstore\.dev \(the Fulcio certificate authority\)/,
    ],
    ['Error: PUT http://r/v2/x: 403 denied', /cosign could not sign: PUT http:\/\/r\/v2\/x: 403 denied/],
  ])('%s', (stderr, want) => {
    expect(cosignFailure('sign', stderr, 'key')).toMatch(want);
  });
});
