/**
 * The sign stage's decisions, pure: which cosign release asset, what is signed (every pushed
 * repository's index and each platform manifest, by digest, never a tag), the sign and verify
 * argv, the identity a keyless signature is verified against, and the command a consumer pastes.
 * No argv here holds a key, a password or a token: those reach cosign through a file and the
 * environment.
 */
import { StageError } from '../../errors.js';
import { isLoopbackHost, registryHost } from '../../oci/reference.js';
import type { ReleaseAsset, ReleaseWords } from '../../ports/tool-install.js';

export const COSIGN_TOOL = 'cosign';
/** The audience Fulcio accepts for a GitHub Actions token. */
export const SIGSTORE_AUDIENCE = 'sigstore';
export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

export const COSIGN_WORDS: ReleaseWords = {
  stage: 'sign',
  tool: 'cosign',
  versionInput: 'cosign-version',
  urlInput: 'cosign-download-url',
  layout: 'v<version>/cosign-<os>-<arch> and v<version>/cosign_checksums.txt',
};

const ASSET_ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};
const ASSET_OS: Record<string, string> = { linux: 'linux', darwin: 'darwin', win32: 'windows' };

/** Pure: cosign's release asset for an OS (process.platform) and arch (os.arch()), under `base/v<version>/`. */
export function cosignAsset(base: string, version: string, platform: string, arch: string): ReleaseAsset {
  const o = ASSET_OS[platform];
  const a = ASSET_ARCH[arch];
  if (!o || !a)
    throw new StageError('sign', `cosign has no release for ${platform}/${arch}; put a cosign v${version} on PATH`);
  const name = `cosign-${o}-${a}${o === 'windows' ? '.exe' : ''}`;
  const dir = `${base.replace(/\/+$/, '')}/v${version}`;
  return {
    tool: COSIGN_TOOL,
    version,
    name,
    url: `${dir}/${name}`,
    checksumsUrl: `${dir}/cosign_checksums.txt`,
    arch: a,
  };
}

/** Pure: whether `cosign version --json` names release `version` (Debian's build says "devel"). */
export function isCosignVersion(stdout: string, version: string): boolean {
  try {
    const v = (JSON.parse(stdout) as { gitVersion?: unknown }).gitVersion;
    return typeof v === 'string' && v.replace(/^v/, '') === version;
  } catch {
    return false;
  }
}

/** Pure: every reference signed: each repository × (the pushed digest, then each platform manifest's), once each. */
export function signTargets(repos: string[], digest: string, manifests: string[]): string[] {
  const digests = [...new Set([digest, ...manifests])];
  return [...new Set(repos)].flatMap((repo) => digests.map((d) => `${repo}@${d}`));
}

/** How a signature is made and checked: with a key (its files), or keyless (the token's identity). */
export type SignMode =
  { kind: 'key'; keyFile: string; publicKeyFile: string } | { kind: 'keyless'; identity: string; issuer: string };

export interface SignPlanInput {
  cosign: string;
  mode: SignMode;
  tlog: boolean;
  refs: string[];
}

/** Plain-http registries: the loopback ones (the docker engine treats those as insecure too). */
function registryFlags(refs: string[]): string[] {
  return refs.some((r) => isLoopbackHost(registryHost(r))) ? ['--allow-http-registry'] : [];
}

export function planSign(p: SignPlanInput): string[] {
  const argv = [p.cosign, 'sign', '--yes'];
  if (p.mode.kind === 'key') argv.push('--key', p.mode.keyFile);
  if (!p.tlog) argv.push('--tlog-upload=false');
  return [...argv, ...registryFlags(p.refs), '--', ...p.refs];
}

/** What verify checks against: the public key file, or the certificate's identity and issuer. */
function verifyAgainst(mode: SignMode, publicKey: string): string[] {
  return mode.kind === 'key'
    ? ['--key', publicKey]
    : ['--certificate-identity', mode.identity, '--certificate-oidc-issuer', mode.issuer];
}

export function planVerify(p: SignPlanInput): string[] {
  const argv = [p.cosign, 'verify', ...verifyAgainst(p.mode, p.mode.kind === 'key' ? p.mode.publicKeyFile : '')];
  if (!p.tlog) argv.push('--insecure-ignore-tlog');
  return [...argv, ...registryFlags(p.refs), '--', ...p.refs];
}

/** Single-quoted for a POSIX shell. */
function shellWord(v: string): string {
  return /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/** Pure: the `cosign verify` a consumer pastes (the public key is their copy of cosign.pub). */
export function consumerCommand(p: Omit<SignPlanInput, 'cosign'>, ref: string): string {
  const argv = ['cosign', 'verify', ...verifyAgainst(p.mode, 'cosign.pub')];
  if (!p.tlog) argv.push('--insecure-ignore-tlog');
  return [...argv, ...registryFlags([ref]), ref].map(shellWord).join(' ');
}

/** The claims of a JWT (untrusted: each caller checks the one it reads); {} when it is not one. */
function tokenClaims(token: string): Record<string, unknown> {
  try {
    const claims: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The identity Fulcio writes into a GitHub Actions certificate: the token's job_workflow_ref
 * (the reusable workflow's own ref when one runs the job), else this workflow's GITHUB_WORKFLOW_REF.
 */
export function keylessIdentity(token: string, env: NodeJS.ProcessEnv, serverUrl: string): string {
  const claim = tokenClaims(token).job_workflow_ref;
  const ref = typeof claim === 'string' && claim ? claim : (env.GITHUB_WORKFLOW_REF ?? '');
  if (!/^[\w.-]+\/[\w.-]+\/[^\s@]+@[^\s]+$/.test(ref))
    throw new StageError(
      'sign',
      `cannot tell which workflow signs: the token has no job_workflow_ref and GITHUB_WORKFLOW_REF is ${JSON.stringify(ref)}`,
    );
  return `${serverUrl.replace(/\/+$/, '')}/${ref}`;
}

/**
 * The issuer Fulcio writes into the certificate: the token's own `iss` (GitHub Enterprise Server
 * issues from https://HOST/_services/token), else GitHub.com's Actions issuer.
 */
export function keylessIssuer(token: string): string {
  const iss = tokenClaims(token).iss;
  return typeof iss === 'string' && /^https:\/\/[^\s/]+(\/[^\s]*)?$/.test(iss) ? iss : GITHUB_ACTIONS_ISSUER;
}

/** The sigstore services cosign names in its errors, and what each does. */
const SERVICES: [RegExp, string][] = [
  [/https?:\/\/([^/\s"]*rekor[^/\s"]*)/i, 'the Rekor transparency log'],
  [/https?:\/\/([^/\s"]*fulcio[^/\s"]*)/i, 'the Fulcio certificate authority'],
  [/https?:\/\/([^/\s"]*tuf[^/\s"]*)/i, "sigstore's TUF root"],
];
const UNREACHABLE =
  /connection refused|no such host|i\/o timeout|dial tcp|proxyconnect|giving up after|TLS handshake|network is unreachable|context deadline exceeded/i;

/** Pure: cosign's failure in words that name what to change. `what` is "sign" or "verify". */
export function cosignFailure(what: 'sign' | 'verify', stderr: string, mode: SignMode['kind']): string {
  const last =
    stderr
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('Error:'))
      .pop() ?? stderr.trim().split('\n').pop();
  const said = (last ?? '').replace(/^Error:\s*/, '').slice(0, 600);
  if (/decrypt|decryption failed|incorrect passphrase/i.test(stderr))
    return `sign-key-password does not open sign-key (cosign: ${said}); set sign-key-password to the key's password`;
  if (UNREACHABLE.test(stderr)) {
    for (const [re, role] of SERVICES) {
      const host = re.exec(stderr)?.[1];
      if (host)
        return `cosign could not reach the signing service ${host} (${role}) to ${what}: ${said}. Check the runner's network or proxy${
          role.includes('Rekor') ? ', or set sign-tlog: false to sign and verify without the transparency log' : ''
        }`;
    }
  }
  if (what === 'verify')
    return `the signature just made does not verify (${mode === 'key' ? "against sign-key's public key" : "against this workflow's identity"}): ${said}`;
  return `cosign could not sign: ${said}`;
}
