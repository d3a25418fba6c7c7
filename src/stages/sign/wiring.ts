/**
 * The sign stage over the Run, after the push and before verify: cosign signs the pushed digest
 * (the index and each platform manifest, in every pushed repository), then verifies what it
 * signed; the step fails when that does not verify. The key (as a 0600 file), the public key and
 * cosign's TUF cache live in a folder of the run's own temp folder, removed here and by post.
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
  GITHUB_ACTIONS_ISSUER,
  keylessIdentity,
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

export async function signStage(run: Run, pushed: Pushed): Promise<void> {
  const { inputs, host } = run;
  if (!inputs.sign) return;
  if (!run.push.push || !pushed.digest || !pushed.repos.length) {
    (host.notice ?? host.info).call(host, `sign: nothing was pushed (${run.push.reason}), so nothing is signed`);
    return;
  }
  if (inputs.dryRun) {
    host.info(`dry-run: would sign ${pushed.repos.map((r) => `${r}@${pushed.digest}`).join(', ')} with cosign`);
    return;
  }
  await run.timed('sign', async () => {
    const work = run.files.makeTempDir(run.tempDir, 'sign-');
    try {
      await signAndVerify(run, pushed, work);
    } finally {
      run.files.remove(work);
    }
  });
}

async function signAndVerify(run: Run, pushed: Pushed, work: string): Promise<void> {
  const { inputs, host } = run;
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
  const mode = await signMode(run, { cosign, work, env }, deps);
  const manifests = await platformDigests(`${pushed.repos[0]}@${pushed.digest}`, deps);
  const refs = signTargets(pushed.repos, pushed.digest, manifests);
  const plan: SignPlanInput = { cosign, mode, tlog: inputs.signTlog, refs };
  await runCosign('sign', planSign(plan), env, mode.kind, deps);
  await runCosign('verify', planVerify(plan), env, mode.kind, deps);
  host.info(`sign: ${refs.length} digest(s) signed and verified`);
  host.setOutput('signed', JSON.stringify(refs));
  run.report.verification += signSummary(plan, refs);
}

/** The key's files (the password in env), or the job's OIDC token (in env) and the identity to verify. */
async function signMode(
  run: Run,
  at: { cosign: string; work: string; env: Record<string, string> },
  deps: ActDeps,
): Promise<SignMode> {
  const { inputs, host } = run;
  if (inputs.signKeyPem || inputs.signKeyFile) {
    let keyFile = inputs.signKeyFile;
    if (inputs.signKeyPem) {
      keyFile = path.join(at.work, 'cosign.key');
      run.files.writeFile(keyFile, inputs.signKeyPem, 0o600);
    }
    // set even when empty: cosign would otherwise ask for the password on a terminal it does not have
    at.env.COSIGN_PASSWORD = inputs.signKeyPassword;
    const publicKeyFile = path.join(at.work, 'cosign.pub');
    run.files.writeFile(publicKeyFile, await publicKey(at.cosign, keyFile, at.env, deps), 0o600);
    return { kind: 'key', keyFile, publicKeyFile };
  }
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
  at.env.SIGSTORE_ID_TOKEN = token;
  return {
    kind: 'keyless',
    identity: keylessIdentity(token, run.env, run.ctx.serverUrl),
    issuer: GITHUB_ACTIONS_ISSUER,
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
