/**
 * Pure: the grammars of the builder inputs buildx reads (`endpoint`, `driver-opts`,
 * `buildkitd-flags`), checked in the input pass: a bad value is an input error before QEMU, the
 * builder's boot or the build, not `docker buildx create`'s words after them.
 */
import { parse } from 'shell-quote';
import { parse as parseToml } from 'smol-toml';

import { errorMessage } from '../errors.js';
import { checkOperand } from '../ports/argv.js';
import { checkOneLine } from './grammar.js';

/** A docker context name (docker's own rule). */
const CONTEXT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.+-]*$/;
/** The schemes of a docker host or BuildKit address buildx connects to. */
export const ENDPOINT_SCHEMES = [
  'unix',
  'tcp',
  'ssh',
  'npipe',
  'docker-container',
  'kube-pod',
  'podman-container',
  'nerdctl-container',
] as const;

/** `endpoint` (and an append node's): a docker context name, or scheme://address. */
export function checkEndpoint(v: string): string {
  checkOneLine(v, 'an endpoint');
  checkOperand(v, 'a builder endpoint (a docker context or BuildKit address)');
  const m = /^([a-z][a-z0-9+.-]*):\/\/(\S+)$/i.exec(v);
  if (m ? (ENDPOINT_SCHEMES as readonly string[]).includes(m[1]!.toLowerCase()) : CONTEXT_NAME.test(v)) return v;
  throw new Error(
    `"${v}" is not a docker context name or a builder address: use a context name (e.g. arm64-ctx) or ${ENDPOINT_SCHEMES.map((s) => `${s}://`).join(', ')} (e.g. tcp://buildkitd:1234)`,
  );
}

/** The `--driver-opt` keys buildx documents for each driver it creates (docs.docker.com/build/builders/drivers). */
const DRIVER_OPT_KEYS: Record<string, readonly string[]> = {
  'docker-container': [
    'image',
    'memory',
    'memory-swap',
    'cpu-quota',
    'cpu-period',
    'cpu-shares',
    'cpuset-cpus',
    'cpuset-mems',
    'network',
    'cgroup-parent',
    'restart-policy',
    'default-load',
    'gpus',
  ],
  kubernetes: [
    'image',
    'namespace',
    'default-load',
    'replicas',
    'requests.cpu',
    'requests.memory',
    'requests.ephemeral-storage',
    'limits.cpu',
    'limits.memory',
    'limits.ephemeral-storage',
    'nodeselector',
    'annotations',
    'labels',
    'tolerations',
    'serviceaccount',
    'schedulername',
    'timeout',
    'rootless',
    'loadbalance',
    'qemu.install',
    'qemu.image',
    'buildkit-root-volume-memory',
  ],
  remote: ['key', 'cert', 'cacert', 'servername', 'default-load'],
};
/** Options whose value is true or false. */
const BOOLEAN_OPTS = ['default-load', 'rootless', 'qemu.install'];

/**
 * `driver-opts` for the driver buildx will create (auto creates docker-container when they are
 * set): key=value, one a line, a key the driver knows (env.NAME for docker-container's BuildKit
 * environment). The docker driver takes none (checked with the other own-builder inputs).
 */
export function checkDriverOpts(opts: string[], driver: string): void {
  const keys = DRIVER_OPT_KEYS[driver === 'auto' ? 'docker-container' : driver];
  for (const o of opts) {
    checkOneLine(o, 'each driver option');
    const eq = o.indexOf('=');
    if (eq <= 0) throw new Error(`"${o}" is not key=value: use e.g. image=moby/buildkit:latest or network=host`);
    const key = o.slice(0, eq).trim();
    const value = o.slice(eq + 1).trim();
    if (!keys) continue;
    const known =
      keys.includes(key) || (driver !== 'kubernetes' && driver !== 'remote' && /^env\.[A-Za-z_]\w*$/.test(key));
    if (!known)
      throw new Error(
        `"${key}" is not a ${driver === 'auto' ? 'docker-container (driver auto)' : driver} driver option: use ${keys.join(', ')}${driver === 'kubernetes' || driver === 'remote' ? '' : ', env.NAME'}`,
      );
    if (BOOLEAN_OPTS.includes(key) && !/^(?:true|false)$/i.test(value))
      throw new Error(`${key}=${value}: ${key} must be true or false`);
  }
}

/**
 * `buildkitd-flags`: the BuildKit daemon's arguments, split as buildx splits them (shell words).
 * Each word is a `--flag`, `--flag=value`, or the value after a `--flag`: anything else (a
 * positional argument, a shell operator, a line break) is refused here rather than handed to
 * buildkitd, which would fail to start inside the builder's boot.
 */
export function checkBuildkitdFlags(v: string): string {
  if (/[\r\n]/.test(v))
    throw new Error('must be one line of daemon flags, e.g. --debug --allow-insecure-entitlement network.host');
  checkOneLine(v, 'buildkitd-flags');
  let afterFlag = false;
  for (const word of parse(v, (key: string) => `$${key}`)) {
    if (typeof word !== 'string') {
      throw new Error(
        `"${'op' in word ? word.op : '#'}" is not a buildkitd flag: flags are passed without a shell, e.g. --debug`,
      );
    }
    if (/^--[a-z][a-z0-9-]*(?:=.*)?$/.test(word)) {
      afterFlag = !word.includes('=');
    } else if (afterFlag && !word.startsWith('-')) {
      afterFlag = false;
    } else {
      throw new Error(
        `"${word}" is not a buildkitd flag: use --flag or --flag=value, each value after its flag, e.g. --debug --allow-insecure-entitlement network.host`,
      );
    }
  }
  return v;
}

/**
 * A BuildKit daemon config (`buildkitd-config-inline`, or the `buildkitd-config` file's text): TOML,
 * as buildkitd reads it. Its settings are buildkitd's to judge; a text that is not TOML would only
 * fail the builder's boot.
 */
export function checkBuildkitdToml(text: string): void {
  try {
    parseToml(text);
  } catch (err) {
    const first = errorMessage(err).split('\n')[0] ?? '';
    throw new Error(`is not valid TOML (${first}): give a buildkitd.toml, e.g. debug = true`, { cause: err });
  }
}
