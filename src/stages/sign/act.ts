/**
 * The sign stage's effects, through the run's gateway: which cosign runs, what the pushed digest
 * holds, the signature, and its verification. Secrets travel in `env` (COSIGN_PASSWORD,
 * SIGSTORE_ID_TOKEN), never in argv.
 */
import * as os from 'node:os';

import { commandProblem, StageError } from '../../errors.js';
import { inspectManifestArgv, manifestDigest, parseManifest } from '../../oci/manifests.js';
import { isSha256Digest } from '../../oci/reference.js';
import { type ActDeps, PULL_TIMEOUT_MS } from '../../ports/exec.js';
import type { ToolCache } from '../../ports/tool-cache.js';
import { installRelease } from '../../ports/tool-install.js';
import { COSIGN_WORDS, cosignAsset, cosignFailure, isCosignVersion, type SignMode } from './plan.js';

export interface CosignSource {
  version: string;
  baseUrl: string;
  auth: string;
  tempDir: string;
  cache: boolean;
}

/** Act: the cosign on PATH when it is the pinned release, else the release installed (checked) from the tool cache. */
export async function resolveCosign(src: CosignSource, deps: ActDeps & { tc: ToolCache }): Promise<string> {
  const onPath = await deps.exec({ argv: ['cosign', 'version', '--json'], silent: true });
  if (onPath.code === 0 && isCosignVersion(onPath.stdout, src.version)) {
    deps.log(`cosign v${src.version}: the one on PATH`);
    return 'cosign';
  }
  const asset = cosignAsset(src.baseUrl, src.version, process.platform, os.arch());
  const got = await installRelease(
    asset,
    asset.name.endsWith('.exe') ? 'cosign.exe' : 'cosign',
    COSIGN_WORDS,
    { auth: src.auth, tempDir: src.tempDir, cache: src.cache },
    { tc: deps.tc, log: deps.log },
  );
  return got.file;
}

/**
 * Act: the platform manifests' digests of the pushed index `repo@digest` (attestations left out);
 * none for a single manifest. What the registry answers is checked before anything is signed with
 * the user's key or identity: its bytes must hash to the pushed digest, and each entry must be a
 * sha256 digest, so a registry or proxy cannot choose what gets signed.
 */
export async function platformDigests(repo: string, digest: string, deps: ActDeps): Promise<string[]> {
  const ref = `${repo}@${digest}`;
  const argv = inspectManifestArgv(ref);
  const res = await deps.exec({ argv, silent: true });
  if (res.code !== 0) throw new StageError('sign', `cannot read ${ref} back to sign it: ${commandProblem(argv, res)}`);
  if (manifestDigest(res.stdout) !== digest)
    throw new StageError(
      'sign',
      `${ref}: the registry answered with other content than the pushed digest; nothing was signed`,
    );
  const parsed = parseManifest(res.stdout);
  if (parsed.kind !== 'index') return [];
  const digests = parsed.entries.map((e) => e.digest);
  const bad = digests.find((d) => !isSha256Digest(d));
  if (bad !== undefined)
    throw new StageError(
      'sign',
      `${ref}: the index lists an entry whose digest is not sha256:<64 hex>; nothing was signed`,
    );
  return digests;
}

/** Act: the public half of a key file (cosign public-key), for verify. */
export async function publicKey(
  cosign: string,
  keyFile: string,
  env: Record<string, string>,
  deps: ActDeps,
): Promise<string> {
  const res = await deps.exec({ argv: [cosign, 'public-key', '--key', keyFile], env, silent: true });
  if (res.code !== 0) throw new StageError('sign', cosignFailure('sign', res.stderr, 'key'));
  return res.stdout;
}

/** Act: run cosign sign or verify; a failure is one StageError naming the input or service to fix. */
export async function runCosign(
  what: 'sign' | 'verify',
  argv: string[],
  env: Record<string, string>,
  mode: SignMode['kind'],
  deps: ActDeps,
): Promise<void> {
  const res = await deps.exec({ argv, env, timeoutMs: PULL_TIMEOUT_MS });
  if (res.code !== 0) throw new StageError('sign', cosignFailure(what, res.stderr, mode));
}
