import { DEFAULT_BUILDX_VERSION } from './buildx-version.js';
import type { Collector, Getter } from './collect.js';

/**
 * Inputs of setup-buildx-action, setup-qemu-action and login-action that a pasted workflow carries
 * and that mean little or something narrower here: each is honoured where it can be, accepted with
 * a notice where it has no meaning, and an error where doing nothing would change the build.
 */
export interface ParityInputs {
  /** setup-buildx-action cache-binary: false installs buildx for this run only, not in the tool cache. */
  cacheBinary: boolean;
  /** Lines for the log about inputs accepted without effect. */
  inputNotes: string[];
}

/** Amazon ECR registry hosts (login-action's auto detection). */
const ECR_HOST = /^\d{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/;
/** AWS access key ids (long-term AKIA, temporary ASIA). */
const AWS_KEY_ID = /^(?:AKIA|ASIA)[A-Z0-9]{12,}$/;

export function parseParityInputs(get: Getter, c: Collector): ParityInputs {
  const inputNotes: string[] = [];
  const cacheBinary = c.bool('cache-binary', get('cache-binary'), true);
  if (get('cache-image')) {
    c.bool('cache-image', get('cache-image'), true);
    inputNotes.push(
      'cache-image (setup-qemu-action) has no effect here: emulators already registered are used as they are, and the qemu-image is run only when one is missing',
    );
  }
  checkEcr(get, c);
  if (get('scope').trim()) {
    c.fail(
      'scope',
      `"${get('scope').trim()}" cannot be honoured: a scoped token (login-action's per-scope docker config) is not supported here; log in with a token that already has the access the build needs, and remove scope`,
    );
  }
  if (get('version').trim() === 'latest') {
    inputNotes.push(
      `version: latest (setup-buildx-action) uses the buildx found on the runner, or installs this action's default release when there is none: nothing is downloaded to find the newest; set an exact version (e.g. ${DEFAULT_BUILDX_VERSION}) to install one`,
    );
  }
  return { cacheBinary, inputNotes };
}

/**
 * login-action's ecr: with AWS keys as username/password it trades them for a registry password
 * through the AWS SDK, which this action does not carry. Doing a plain docker login with AWS keys
 * would only fail later, so say what works instead, before any docker command.
 */
function checkEcr(get: Getter, c: Collector): void {
  const ecr = c.oneOf('ecr', get('ecr'), ['auto', 'true', 'false'], 'auto', { meaning: 'auto, true or false' });
  if (c.has('ecr')) return;
  const registry = get('registry').trim();
  const keys = AWS_KEY_ID.test(get('username').trim());
  if (ecr === 'true' || (ecr === 'auto' && ECR_HOST.test(registry) && keys)) {
    c.fail(
      'ecr',
      `${ecr === 'true' ? 'true' : `auto (${registry} is Amazon ECR and the username is an AWS access key id)`}: exchanging AWS keys for a registry password needs the AWS SDK, which this action does not carry. ` +
        'Instead run `aws ecr get-login-password --region <region>` in a step before (after aws-actions/configure-aws-credentials) and pass its output as password with username AWS; set ecr: false to use the username and password as they are',
    );
  }
}
