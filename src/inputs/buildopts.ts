import { isIP } from 'node:net';
import * as path from 'node:path';

import { parseList } from '../lists.js';
import { withheldVariable } from '../ports/exec.js';
import type { Collector, Getter, InputEnv } from './collect.js';
import {
  checkAttest,
  checkAttestShorthand,
  checkNetwork,
  checkOutput,
  checkStageExists,
  checkStageName,
} from './grammar.js';

/** build-push-action's build options (labels, annotations and cache belong to other areas). */
export interface BuildOptionInputs {
  buildContexts: string[];
  /** `secrets`: id=value; the value goes to a 0600 file, never to argv. */
  secrets: { id: string; value: string }[];
  /** `secret-files`: id=path, path resolved against the workspace. */
  secretFiles: { id: string; path: string }[];
  /** `secret-envs`: id=ENV_VAR, read by buildx from its environment. */
  secretEnvs: { id: string; env: string }[];
  ssh: string[];
  target: string;
  /** Raw `provenance` input ('' = the default build-push-action applies). */
  provenance: string;
  sbom: string;
  noCache: boolean;
  noCacheFilters: string[];
  pull: boolean;
  network: string;
  shmSize: string;
  ulimit: string[];
  outputs: string[];
  load: boolean;
  /** `add-hosts`: host:ip (or host=ip) entries for /etc/hosts in RUN steps (--add-host). */
  addHosts: string[];
  /** `allow`: extra entitlements, e.g. network.host, security.insecure (--allow). */
  allow: string[];
  /** `attests`: attestation specs, type=... (--attest). */
  attests: string[];
  /** `call`: build (default), check, outline or targets (--call), '' = not set. */
  call: string;
  cgroupParent: string;
  /** Warnings for the log: secret lines skipped (an empty value, as build-push-action skips them). */
  inputWarnings: string[];
}

/** buildx's --call methods (a `check` may carry options: check,error=true). */
export const CALL_METHODS = ['build', 'check', 'outline', 'targets'] as const;
/** Entitlements buildx's --allow knows (device and fs take a value in newer buildx). */
const ENTITLEMENT = /^(?:network\.host|security\.insecure|device(?:=.+)?|fs(?:\.read|\.write)?=.+)$/;

const ID = /^[A-Za-z0-9_.-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Split KEY=VALUE at the first '='. Errors name the key only: a value may be secret. */
function keyValue(item: string, what: string, example: string): [string, string] {
  const eq = item.indexOf('=');
  const key = eq < 0 ? item.trim() : item.slice(0, eq).trim();
  if (eq <= 0 || !ID.test(key)) {
    throw new Error(`${eq <= 0 ? 'an entry has no "="' : `"${key}" is not a valid ${what} id`}: use ${example}`);
  }
  return [key, item.slice(eq + 1)];
}

/**
 * Why a build never reads this variable: the runner's tokens and the action's own inputs stay out
 * of every child process (withheldVariable), so no build step can be handed them by name.
 */
export function withheldText(name: string): string {
  return `${name} is the runner's or the action's own (INPUT_*, STATE_*, ACTIONS_* and the runner's command files never reach a build): put the value in a variable of your own in the step's env, e.g. env: TOKEN: \${{ secrets.TOKEN }}`;
}

/** Raw `secrets` values, leniently, for masking before anything is logged. */
export function buildSecretValues(get: Getter): string[] {
  let items: string[];
  try {
    items = parseList(get('secrets'), { ignoreComma: true });
  } catch {
    return [];
  }
  return items.map((i) => (i.includes('=') ? i.slice(i.indexOf('=') + 1) : '')).filter((v) => v.length > 0);
}

/**
 * An `id=` line (no value) is skipped with a warning naming the input and the id, as
 * build-push-action does ("… is not a valid secret"); the id is checked first (no value is named).
 */
function secretLines(
  get: Getter,
  name: string,
  opts: { ignoreComma?: boolean; example: string },
  warnings: string[],
): [string, string][] {
  const pairs = parseList(get(name), { ignoreComma: opts.ignoreComma }).map((i) => keyValue(i, 'secret', opts.example));
  return pairs.filter(([id, v]) => {
    if (v.trim()) return true;
    const shown = id.length > 200 ? `${id.slice(0, 200)}…` : id;
    warnings.push(
      `${name}: ${shown}= is not a valid secret (no value): the line is skipped, as build-push-action does`,
    );
    return false;
  });
}

/** The three secret inputs: `secrets` (id=value), `secret-files` (id=path), `secret-envs` (id=VAR). */
function parseSecretInputs(get: Getter, c: Collector, env: InputEnv) {
  const inputWarnings: string[] = [];
  const secrets = c.field(
    'secrets',
    () =>
      secretLines(
        get,
        'secrets',
        { ignoreComma: true, example: 'id=value, e.g. GIT_AUTH_TOKEN=${{ secrets.TOKEN }}' },
        inputWarnings,
      ).map(([id, value]) => ({ id, value })),
    [],
  );
  const secretFiles = c.field(
    'secret-files',
    () =>
      secretLines(
        get,
        'secret-files',
        { ignoreComma: true, example: 'id=path, e.g. npmrc=./.npmrc' },
        inputWarnings,
      ).map(([id, p]) => {
        const file = path.resolve(env.workspace, p.trim());
        if (!env.exists(file)) throw new Error(`secret "${id}": file ${file} does not exist`);
        return { id, path: file };
      }),
    [],
  );
  const secretEnvs = c.field(
    'secret-envs',
    () =>
      secretLines(get, 'secret-envs', { example: 'id=ENV_VAR, e.g. token=GITHUB_TOKEN' }, inputWarnings).map(
        ([id, v]) => {
          if (!ENV_NAME.test(v.trim()))
            throw new Error(`secret "${id}": "${v.trim()}" is not an environment variable name`);
          if (withheldVariable(v.trim())) throw new Error(`secret "${id}": ${withheldText(v.trim())}`);
          return { id, env: v.trim() };
        },
      ),
    [],
  );
  return { secrets, secretFiles, secretEnvs, inputWarnings };
}

export function parseBuildOptionInputs(get: Getter, c: Collector, env: InputEnv): BuildOptionInputs {
  const list = (name: string, ignoreComma: boolean, check?: (item: string) => void) =>
    c.field(
      name,
      () => {
        const items = parseList(get(name), { ignoreComma });
        if (check) items.forEach(check);
        return items;
      },
      [] as string[],
    );

  const buildContexts = list('build-contexts', true, (i) => {
    keyValue(i, 'build context', 'name=path-or-url, e.g. alpine=docker-image://alpine:3.20');
  });
  const { secrets, secretFiles, secretEnvs, inputWarnings } = parseSecretInputs(get, c, env);
  const ssh = list('ssh', false);
  const one = (name: string, check: (v: string) => string) =>
    c.field(name, () => (get(name).trim() ? check(get(name).trim()) : ''), '');
  const target = one('target', checkStageName);
  const provenance = one('provenance', (v) => checkAttestShorthand(v, 'provenance'));
  const sbom = one('sbom', (v) => checkAttestShorthand(v, 'sbom'));
  const noCache = c.bool('no-cache', get('no-cache'), false);
  const noCacheFilters = list('no-cache-filters', false, checkStageName);
  const pull = c.bool('pull', get('pull'), false);
  const network = one('network', checkNetwork);
  const shmSize = c.field(
    'shm-size',
    () => {
      const v = get('shm-size').trim();
      if (v && !/^\d+(?:\.\d+)?\s*[bkmgBKMG]?[bB]?$/.test(v))
        throw new Error(`"${v}" is not a size: use a number with an optional unit, e.g. 2g or 512m`);
      return v;
    },
    '',
  );
  const ulimit = list('ulimit', true, (i) => {
    if (!/^[a-z]+=-?\d+(?::-?\d+)?$/.test(i))
      throw new Error(`"${i}" is not a ulimit: use type=soft[:hard], e.g. nofile=1024:1024`);
  });
  const outputs = list('outputs', true, checkOutput);
  const load = c.bool('load', get('load'), false);
  return {
    buildContexts,
    secrets,
    secretFiles,
    secretEnvs,
    ssh,
    target,
    provenance,
    sbom,
    noCache,
    noCacheFilters,
    pull,
    network,
    shmSize,
    ulimit,
    outputs,
    load,
    inputWarnings,
    ...parseBuildPushExtras(get, c),
  };
}

/**
 * `target` and `no-cache-filters` name stages of the Dockerfile: with a readable local Dockerfile,
 * a name it does not have is an input error listing the ones it has (buildx would say "target
 * stage not found" after QEMU and the builder's boot). `file` is absolute for a workspace file;
 * `read` is the workspace rule's reader (readInWorkspace).
 */
export function checkStagesExist(
  c: Collector,
  env: InputEnv,
  file: string,
  o: Pick<BuildOptionInputs, 'target' | 'noCacheFilters'>,
  read: (file: string) => string | undefined,
): void {
  if (!env.stageNames || !path.isAbsolute(file) || (!o.target && o.noCacheFilters.length === 0)) return;
  const text = read(file);
  if (text === undefined) return;
  const stages = env.stageNames(text);
  const shown = path.relative(env.workspace, file) || file;
  if (o.target && !c.has('target')) c.field('target', () => checkStageExists(o.target, stages, shown), undefined);
  if (!c.has('no-cache-filters'))
    c.field('no-cache-filters', () => o.noCacheFilters.forEach((f) => checkStageExists(f, stages, shown)), undefined);
}

/** Pure: a `call` value is a known method, with options only on check. */
export function checkCall(v: string): void {
  const method = v.split(',', 1)[0]!.trim();
  if (!(CALL_METHODS as readonly string[]).includes(method))
    throw new Error(`"${v}" is not a build method: use ${CALL_METHODS.join(', ')} (e.g. check, or check,error=true)`);
}

/** add-hosts, allow, attests, call, cgroup-parent: as build-push-action lists and passes them. */
function parseBuildPushExtras(
  get: Getter,
  c: Collector,
): Pick<BuildOptionInputs, 'addHosts' | 'allow' | 'attests' | 'call' | 'cgroupParent'> {
  const addHosts = c.field('add-hosts', () => parseList(get('add-hosts')).map(checkAddHost), []);
  const allow = c.field(
    'allow',
    () =>
      parseList(get('allow')).map((e) => {
        if (!ENTITLEMENT.test(e))
          throw new Error(
            `"${e}" is not an entitlement: use network.host, security.insecure, device[=name] or fs[.read|.write]=path`,
          );
        return e;
      }),
    [],
  );
  const attests = c.field('attests', () => parseList(get('attests'), { ignoreComma: true }).map(checkAttest), []);
  const call = c.field(
    'call',
    () => {
      const v = get('call').trim();
      if (v) checkCall(v);
      return v;
    },
    '',
  );
  const cgroupParent = c.field(
    'cgroup-parent',
    () => {
      const v = get('cgroup-parent').trim();
      if (/[\s,]/.test(v)) throw new Error(`"${v}" is not a cgroup path: no spaces or commas, e.g. /docker-build`);
      return v;
    },
    '',
  );
  return { addHosts, allow, attests, call, cgroupParent };
}

/** host:ip or host=ip, the ip an IPv4/IPv6 address or host-gateway (as docker's --add-host). */
function checkAddHost(entry: string): string {
  // the first ':' or '=' splits (an IPv6 address has colons of its own)
  const m = /^([^:=\s]+)[:=](.+)$/.exec(entry);
  const ip = m?.[2]?.replace(/^\[(.*)\]$/, '$1');
  if (
    !m ||
    !/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(m[1]!) ||
    !ip ||
    (ip !== 'host-gateway' && isIP(ip) === 0)
  ) {
    throw new Error(`"${entry}" is not host:ip: use e.g. docker:10.180.0.1 or db=192.168.0.2 (ip may be host-gateway)`);
  }
  return entry;
}
