import * as path from 'node:path';

import { parseBool, parseList } from '../lists.js';
import { formatPlatform, parsePlatform } from '../oci/platforms.js';
import { withheldVariable } from '../ports/exec.js';
import { withheldText } from './buildopts.js';
import type { Collector, Getter, InputEnv } from './collect.js';
import type { StepForm } from './form.js';

export interface BuildInputs {
  /**
   * Canonical platform strings, deduplicated, in the order given. Empty in build-push-action's form
   * when none is given: the builder's own platform (no --platform, as build-push-action).
   */
  platforms: string[];
  /**
   * No platform given in build-push-action's form: the builder's own is built (no --platform) and
   * becomes `platforms` once the builder names it (src/pipeline/builder-platform.ts).
   */
  platformsFromBuilder: boolean;
  /** Local context as an absolute path, or a remote context (git URL) as given. */
  context: string;
  contextIsRemote: boolean;
  /** Absolute Dockerfile path, or '' to let buildx use the default of a remote context. */
  file: string;
  push: 'auto' | boolean;
  buildArgs: string[];
}

const REMOTE_CONTEXT = /^(?:https?:\/\/|git@|ssh:\/\/|git:\/\/|github\.com\/)/;

/** This action's platforms when the input is left unset (its own form). */
export const DEFAULT_PLATFORMS = ['linux/amd64', 'linux/arm64'];

/**
 * The platforms input: canonical, deduplicated. Unset (blank): DEFAULT_PLATFORMS in this action's
 * form, none (the builder's own) in build-push-action's, which also takes a list that holds nothing
 * (a matrix value that evaluated to commas) as unset. Throws on an invalid one.
 */
function parsePlatforms(text: string, form: StepForm = 'multiarch'): string[] {
  const bpa = form === 'build-push-action';
  if (!text.trim()) return bpa ? [] : [...DEFAULT_PLATFORMS];
  const list = parseList(text).map((p) => formatPlatform(parsePlatform(p)));
  if (list.length === 0 && !bpa) throw new Error('at least one platform is required, e.g. linux/amd64,linux/arm64');
  return [...new Set(list)];
}

/** What a mode merge run reads of platforms: a filter on the shards when valid, else none (it builds nothing, so it checks nothing). */
function mergePlatforms(text: string): string[] {
  try {
    return parsePlatforms(text);
  } catch {
    return [];
  }
}

/**
 * build-push-action's default context is the Git context of the event's commit; ours is the
 * workspace (see README, "Two forms"), so a pasted step without a checkout finds no Dockerfile.
 */
const GIT_CONTEXT_HINT =
  '; with "context" unset the context is the workspace, not the Git context build-push-action uses: check the repository out there (actions/checkout) or set "context" to its Git URL';

/**
 * The build inputs. `builds` is false in mode merge: nothing is built there, so no checkout is
 * needed (context and Dockerfile are not checked) and the platforms come from the shards.
 */
export function parseBuildInputs(
  get: Getter,
  c: Collector,
  env: InputEnv,
  builds = true,
  form: StepForm = 'multiarch',
): BuildInputs {
  const platforms = builds
    ? c.field('platforms', () => parsePlatforms(get('platforms'), form), [])
    : mergePlatforms(get('platforms'));

  const push = c.field(
    'push',
    (): 'auto' | boolean => {
      const v = get('push').trim();
      // unset: build-push-action builds only; this action's own form pushes by event
      if (v === '') return form === 'build-push-action' ? false : 'auto';
      if (v.toLowerCase() === 'auto') return 'auto';
      try {
        return parseBool(v) ?? 'auto';
      } catch {
        throw new Error(`"${v}" is not valid: use auto, true or false`);
      }
    },
    'auto' as const,
  );

  const rawContext = get('context').trim() || '.';
  const contextIsRemote = REMOTE_CONTEXT.test(rawContext);
  const context = contextIsRemote ? rawContext : path.resolve(env.workspace, rawContext);
  if (builds && !contextIsRemote && !env.exists(context)) {
    c.fail('context', `"${rawContext}" does not exist (resolved to ${context})`);
  }

  const rawFile = get('file').trim();
  let file = '';
  // with a remote (git) context a relative file is a path inside that repository, as buildx and
  // build-push-action take it: it is passed as given and cannot be checked here
  const fileInRemote = contextIsRemote && rawFile !== '' && !path.isAbsolute(rawFile);
  if (fileInRemote) file = rawFile;
  else if (rawFile) file = path.resolve(env.workspace, rawFile);
  else if (!contextIsRemote) file = path.join(context, 'Dockerfile');
  if (builds && file && !fileInRemote && !env.exists(file) && !c.has('context')) {
    const missing = rawFile
      ? `Dockerfile "${rawFile}" not found (resolved to ${file})`
      : `no Dockerfile in the context (${file}); set "file" to its path`;
    c.fail('file', get('context').trim() === '' && form === 'build-push-action' ? missing + GIT_CONTEXT_HINT : missing);
  }

  const buildArgs = c.field(
    'build-args',
    () =>
      parseList(get('build-args'), { ignoreComma: true }).map((a) => {
        const key = a.split('=', 1)[0] ?? '';
        if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) {
          // name only: a value may be sensitive
          throw new Error(`"${key}" is not a valid build-arg name: use KEY=VALUE, KEY of letters, digits and _`);
        }
        // a bare KEY is read by buildx from its environment
        if (!a.includes('=') && withheldVariable(key)) throw new Error(withheldText(key));
        return a;
      }),
    [],
  );

  const platformsFromBuilder = builds && form === 'build-push-action' && platforms.length === 0;
  return { platforms, platformsFromBuilder, context, contextIsRemote, file, push, buildArgs };
}

/**
 * The Dockerfile as the run names it (the build's failure annotation, the layer cache's key): a
 * workspace file relative to the workspace; a path inside a git-URL context is no workspace path
 * (inWorkspace false) and is named as given, never resolved against the working directory; '' =
 * the remote context's default.
 */
export function dockerfileName(file: string, workspace: string): { path: string; inWorkspace: boolean } {
  return file && path.isAbsolute(file)
    ? { path: path.relative(workspace, file), inWorkspace: true }
    : { path: file, inWorkspace: false };
}
