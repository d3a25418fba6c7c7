/**
 * The sign stage over the Run: cosign and the key made ready before the build (prepareSign), then
 * after the push and before verify cosign signs the pushed digest (the index and each platform
 * manifest, in every pushed repository) and verifies what it signed; the step fails when that does
 * not verify. The key (as a 0600 file), the public key and cosign's TUF cache live in a folder of
 * the run's own temp folder, removed after signing, and by post when the run stops before.
 */
import * as path from 'node:path';

import { StageError } from '../../errors.js';
import { referenceParts } from '../../oci/reference.js';
import type { ActDeps } from '../../ports/exec.js';
import { toolCacheModule } from '../../ports/lazy.js';
import { actDeps, type Run } from '../../run/run.js';
import { platformDigests, publicKey, resolveCosign, runCosign } from './act.js';
import {
  consumerCommand,
  keylessIdentity,
  keylessIssuer,
  planSign,
  planVerify,
  type SignMode,
  type SignPlanInput,
  signTargets,
  SIGSTORE_AUDIENCE,
} from './plan.js';

/** What was pushed: its digest (an index, or a shard's one manifest) and the repositories holding it. */
export interface Pushed {
  digest: string;
  repos: string[];
}

/** The repositories the tags name, each once (a signature is stored beside the image, per repository). */
export function pushedRepos(refs: string[]): string[] {
  return [...new Set(refs.map((r) => referenceParts(r).name))];
}

/** cosign and the key, made ready before the build. */
export interface Signer {
  cosign: string;
  /** The run's folder for the key, the public key and cosign's TUF cache, removed after signing. */
  work: string;
  env: Record<string, string>;
  key?: { keyFile: string; publicKeyFile: string };
}

/**
 * Before the build: cosign installed and the key opened, so a cosign that cannot be had or a
 * password that does not open the key fails the step before anything is pushed unsigned. The
 * keyless token is not asked for here: it is short-lived, and a build can take longer.
 */
export async function prepareSign(run: Run): Promise<Signer | undefined> {
  const { inputs, host } = run;
  if (!inputs.sign) return undefined;
  if (!run.push.enabled) {
    (host.notice ?? host.info).call(host, `sign: nothing is pushed (${run.push.reason}), so nothing is signed`);
    return undefined;
  }
  if (inputs.dryRun) {
    host.info('dry-run: would sign what is pushed with cosign');
    return undefined;
  }
  return run.timed('cosign', async () => {
    const work = run.files.makeTempDir(run.tempDir, 'sign-');
    try {
      const deps = actDeps(run);
      const { createToolCache } = await toolCacheModule();
      const cosign = await resolveCosign(
        {
          version: inputs.cosignVersion,
          baseUrl: inputs.cosignDownloadUrl,
          auth: inputs.cosignDownloadAuth,
          tempDir: run.tempDir,
          cache: inputs.cacheBinary,
        },
        { ...deps, tc: createToolCache() },
      );
      // cosign keeps sigstore's TUF root in ~/.sigstore unless told: here it stays in the run's folder
      const env: Record<string, string> = { TUF_ROOT: path.join(work, 'tuf') };
      const key = inputs.signKeyPem || inputs.signKeyFile ? await openKey(run, { cosign, work, env }, deps) : undefined;
      return { cosign, work, env, key };
    } catch (err) {
      run.files.remove(work);
      throw err;
    }
  });
}

/** After the push: sign the pushed digest and its platform manifests, then verify them. */
export async function signStage(run: Run, signer: Signer | undefined, pushed: Pushed): Promise<void> {
  if (!signer) return;
  await run.timed('sign', async () => {
    try {
      if (!pushed.digest || !pushed.repos.length)
        throw new StageError('sign', 'the push gave no digest to sign (nothing is signed by tag)');
      await signAndVerify(run, signer, pushed);
    } finally {
      run.files.remove(signer.work);
    }
  });
}

async function signAndVerify(run: Run, signer: Signer, pushed: Pushed): Promise<void> {
  const { inputs, host } = run;
  const deps = actDeps(run);
  const { cosign, env } = signer;
  const mode: SignMode = signer.key ? { kind: 'key', ...signer.key } : await keyless(run, env);
  const manifests = await platformDigests(pushed.repos[0]!, pushed.digest, deps);
  const refs = signTargets(pushed.repos, pushed.digest, manifests);
  const plan: SignPlanInput = { cosign, mode, tlog: inputs.signTlog, refs };
  await runCosign('sign', planSign(plan), env, mode.kind, deps);
  await runCosign('verify', planVerify(plan), env, mode.kind, deps);
  host.info(`sign: ${refs.length} digest(s) signed and verified`);
  host.setOutput('signed', JSON.stringify(refs));
  run.report.verification += signSummary(plan, refs);
}

/** The key as a 0600 file of the run (a PEM) or the user's file, its password in env; its public half for verify. */
async function openKey(
  run: Run,
  at: { cosign: string; work: string; env: Record<string, string> },
  deps: ActDeps,
): Promise<{ keyFile: string; publicKeyFile: string }> {
  const { inputs } = run;
  let keyFile = inputs.signKeyFile;
  if (inputs.signKeyPem) {
    keyFile = path.join(at.work, 'cosign.key');
    run.files.writeFile(keyFile, inputs.signKeyPem, 0o600);
  }
  // set even when empty: cosign would otherwise ask for the password on a terminal it does not have
  at.env.COSIGN_PASSWORD = inputs.signKeyPassword;
  const publicKeyFile = path.join(at.work, 'cosign.pub');
  run.files.writeFile(publicKeyFile, await publicKey(at.cosign, keyFile, at.env, deps), 0o600);
  return { keyFile, publicKeyFile };
}

/** Keyless: the job's OIDC token for sigstore (in env, masked) and the identity verify expects. */
async function keyless(run: Run, env: Record<string, string>): Promise<SignMode> {
  const { host } = run;
  if (!host.idToken)
    throw new StageError('sign', 'sign without sign-key needs a GitHub Actions OIDC token; here set sign-key');
  let token: string;
  try {
    token = await host.idToken(SIGSTORE_AUDIENCE);
  } catch (err) {
    throw new StageError(
      'sign',
      `could not get the job's OIDC token for keyless signing (${err instanceof Error ? err.message : String(err)}): the job needs "permissions: id-token: write"`,
    );
  }
  host.setSecret(token);
  env.SIGSTORE_ID_TOKEN = token;
  return {
    kind: 'keyless',
    identity: keylessIdentity(token, run.env, run.ctx.serverUrl),
    issuer: keylessIssuer(token),
  };
}

/** The summary section: what was signed, and the command a consumer pastes to check it. */
function signSummary(plan: SignPlanInput, refs: string[]): string {
  const how = plan.mode.kind === 'key' ? 'with sign-key (verify with its public key, cosign.pub)' : 'keyless';
  return [
    '### Signatures',
    '',
    `Signed ${how} and verified: ${refs.map((r) => `\`${r}\``).join(', ')}.`,
    '',
    'To verify:',
    '',
    '```sh',
    consumerCommand(plan, refs[0]!),
    '```',
    '',
  ].join('\n');
}
