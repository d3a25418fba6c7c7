/**
 * The input pass of the main step: every input parsed and every rule checked (the environment's
 * and the event's too) before any docker command; every secret masked before anything is logged.
 */
import type { RunContext } from '../context/run-context.js';
import { InputError, InputErrors } from '../errors.js';
import { type Inputs, parseInputs, secretInputValues } from '../inputs/index.js';
import { pushCredentialErrors } from '../inputs/login.js';
import { expressionTexts } from '../inputs/meta.js';
import { decidePush, type PushDecision } from '../inputs/push.js';
import { sourceDateEnvError } from '../inputs/reproducible.js';
import { keylessTokenError } from '../inputs/sign.js';
import type { Deps } from '../ports/deps.js';
import type { Host } from '../ports/host.js';
import { refLimitErrors } from '../stages/meta/ref-limit.js';
import { noArtifactServiceError } from '../stages/shard/record.js';
import { dockerfileModule, metaCheckModule } from './preload.js';

/** Mask every credential and secret input (before anything at all is logged). */
export function maskSecretInputs(host: Host): void {
  for (const v of secretInputValues((n) => host.getInput(n))) maskSecret(host, v);
}

/**
 * Parse every input and decide push, then check what the event decides (credentials for a push,
 * the validation render of every expression); on bad input every problem is an ::error and the
 * step fails, before any docker command.
 */
export async function parseRunInputs(
  deps: Deps,
  ctx: RunContext,
): Promise<{ inputs: Inputs; push: PushDecision } | undefined> {
  const { host, files } = deps;
  try {
    const inputs = parseInputs((n, o) => host.getInput(n, o), {
      workspace: ctx.workspace,
      exists: (p) => files.exists(p),
      realPath: (p) => files.realPath?.(p),
      readFile: (p) => files.readFile(p),
      // the Dockerfile reader loads only when a stage is named (it costs the input pass otherwise)
      stageNames:
        host.getInput('target') || host.getInput('no-cache-filters')
          ? (await dockerfileModule()).stageNames
          : undefined,
    });
    const push = decidePush(inputs.push, ctx.eventName, [...inputs.images, ...inputs.literalRefs], {
      load: inputs.load,
      outputs: inputs.outputs,
      call: inputs.call,
    });
    const errors = [
      ...checkRunInputs(inputs, deps.env, deps.artifacts.available),
      ...pushCredentialErrors(inputs, push),
      ...[keylessTokenError(inputs, push.enabled, deps.env), sourceDateEnvError(inputs, deps.env)].filter(
        (e) => e !== undefined,
      ),
      ...(await refLimitErrors(inputs, { meta: ctx.meta, now: deps.now() })),
    ];
    if (expressionTexts(inputs).some((t) => t.includes('{{'))) {
      errors.push(...(await metaCheckModule()).checkMetaExpressions(inputs, { meta: ctx.meta, now: deps.now() }));
    }
    if (errors.length) throw new InputErrors(errors);
    host.debug(`inputs: ${JSON.stringify(inputs, hideSecrets)}`);
    host.debug(`push: ${JSON.stringify(push)}`);
    for (const w of inputs.outsideWorkspace) host.warning(w, { title: 'Outside the workspace' });
    return { inputs, push };
  } catch (err) {
    if (!(err instanceof InputErrors)) throw err;
    for (const e of err.errors) host.error(e.message, { title: `Invalid input: ${e.input}` });
    host.fail();
    return undefined;
  }
}

/** Rules that need the environment; still before any docker command. */
function checkRunInputs(inputs: Inputs, env: NodeJS.ProcessEnv, artifactsAvailable: boolean): InputError[] {
  const errors: InputError[] = [];
  for (const s of inputs.secretEnvs) {
    if (env[s.env] === undefined)
      errors.push(
        new InputError(
          'secret-envs',
          `secret "${s.id}" reads environment variable ${s.env}, which is not set: set it in the step's env`,
        ),
      );
  }
  if (inputs.mode === 'merge' && inputs.digests.length === 0 && !artifactsAvailable)
    errors.push(noArtifactServiceError(env));
  return errors;
}

/**
 * JSON.stringify's replacer for the parsed inputs at the debug tier: every password (registry and
 * registry-auth logins), the GitHub token and each build secret's value are shown as *** (they
 * are masked too; this does not lean on the mask).
 */
function hideSecrets(this: unknown, key: string, value: unknown): unknown {
  if (typeof value !== 'string' || !value) return value;
  if (key === 'password' || key === 'githubToken' || key === 'signKeyPassword' || key === 'signKeyPem') return '***';
  // a build secret is { id, value }; a tag rule's `value` attribute is no secret
  const holder = this as Record<string, unknown> | null;
  return key === 'value' && holder && typeof holder === 'object' && 'id' in holder ? '***' : value;
}

/** Mask a secret (and each of its lines: the runner masks line by line). */
export function maskSecret(host: Host, value: string): void {
  if (!value) return;
  host.setSecret(value);
  for (const line of value.split(/\r?\n/)) if (line.trim() && line !== value) host.setSecret(line);
}
