import { StageError } from '../errors.js';
import { formNotice } from '../inputs/form.js';
import { formatPlatform, parsePlatform } from '../oci/platforms.js';
import type { Run } from '../run/run.js';

/**
 * build-push-action's form without platforms builds the builder's own platform (buildx gets no
 * --platform). The first platform the builder lists is its node's own: it becomes the run's
 * platforms, so what reads them after the build (verify, arch check, smoke test, the outputs)
 * checks that platform. Nothing is read when platforms were given.
 */
export async function resolveBuilderPlatform(run: Run, readPlatforms: () => Promise<string[]>): Promise<void> {
  if (!run.inputs.platformsFromBuilder) return;
  const first = (await readPlatforms())[0];
  let own: string | undefined;
  try {
    own = first ? formatPlatform(parsePlatform(first)) : undefined;
  } catch {
    own = undefined;
  }
  if (!own) {
    throw new StageError(
      'builder',
      `no platforms given and the builder ${run.inputs.builder || ''} names no platform of its own: set platforms (e.g. linux/amd64)`,
    );
  }
  run.inputs = { ...run.inputs, platforms: [own] };
  run.report.platforms = run.inputs.platforms;
  run.host.info(
    `platforms: none given; building the builder's own platform, ${own}, without --platform (as build-push-action)`,
  );
}

/** Say once which form the step is in: a notice when build-push-action's defaults apply, a log line otherwise. */
export function announceForm(host: Run['host'], inputs: Pick<Run['inputs'], 'form' | 'mode'>): void {
  if (inputs.mode !== 'build') return;
  const text = formNotice(inputs.form);
  if (inputs.form === 'build-push-action') (host.notice ?? host.info).call(host, text);
  else host.info(text);
}
