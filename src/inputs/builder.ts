import * as path from 'node:path';

import { parse as parseYaml } from 'yaml';

import { errorMessage } from '../errors.js';
import { parseList } from '../lists.js';
import { formatPlatform, parsePlatform } from '../oci/platforms.js';
import { checkOperand } from '../ports/argv.js';
import { checkBuildkitdFlags, checkBuildkitdToml, checkDriverOpts, checkEndpoint } from './builder-grammar.js';
import { type BuildxInstallInputs, parseBuildxInputs } from './buildx-url.js';
import type { Collector, Getter, InputEnv } from './collect.js';

export { DEFAULT_BUILDX_DOWNLOAD_URL } from './buildx-url.js';

/**
 * The pinned emulator installer. `latest` has shipped a QEMU that segfaults (docker/setup-qemu-action
 * #198, tonistiigi/binfmt #240), so the default is a fixed release at a fixed digest.
 */
export const DEFAULT_QEMU_IMAGE =
  'docker.io/tonistiigi/binfmt:qemu-v9.2.2@sha256:1b804311fe87047a4c96d38b4b3ef6f62fca8cd125265917a9e3dc3c996c39e6';

/** A builder (or node) name buildx accepts. */
const BUILDER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

export const DRIVERS = ['auto', 'docker', 'docker-container', 'remote', 'kubernetes'] as const;
export type DriverInput = (typeof DRIVERS)[number];

/** The qemu input: auto installs only missing emulators, true (re)installs them all, false never. */
export type QemuMode = 'auto' | 'true' | 'false';

/** One extra node of the builder, in docker/setup-buildx-action's `append` YAML form. */
export interface AppendNode {
  name?: string;
  endpoint?: string;
  driverOpts: string[];
  buildkitdFlags?: string;
  platforms: string[];
}

export interface BuilderInputs extends BuildxInstallInputs {
  /** auto: install emulators only for what is missing; true: (re)install for every emulated platform; false: never. */
  qemu: QemuMode;
  qemuImage: string;
  driver: DriverInput;
  driverOpts: string[];
  buildkitdFlags: string;
  /** Absolute path of a BuildKit daemon config file, ''. */
  buildkitdConfig: string;
  buildkitdConfigInline: string;
  endpoint: string;
  append: AppendNode[];
  /** An existing builder to use (never removed). */
  builder: string;
  cleanup: boolean;
  /** setup-buildx-action's name: the builder to reuse when it exists, else to create under that name ('' = generated). */
  name: string;
  /** setup-buildx-action's use: make the builder the job's current one (`docker buildx use`); post restores the previous. */
  use: boolean;
  /** setup-buildx-action's keep-state: post removes the builder with --keep-state (its state volume stays). */
  keepState: boolean;
}

const APPEND_KEYS = ['name', 'endpoint', 'driver-opts', 'buildkitd-flags', 'platforms'];

function stringList(v: unknown, what: string, ignoreComma: boolean): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map((x) => String(x).trim()).filter(Boolean);
  if (typeof v === 'string') return parseList(v, { ignoreComma });
  throw new Error(`${what} must be a string or a list of strings`);
}

/** Parse `append`: a YAML list of nodes, as docker/setup-buildx-action takes it. */
export function parseAppend(raw: string, driver = 'auto'): AppendNode[] {
  if (!raw.trim()) return [];
  let doc: unknown;
  try {
    // failsafe: every scalar stays a string, as the user wrote it
    doc = parseYaml(raw, { schema: 'failsafe' });
  } catch (err) {
    throw new Error(
      `is not valid YAML (${errorMessage(err).split('\n')[0]}); use a list like "- name: arm64\\n  endpoint: arm64-ctx\\n  platforms: linux/arm64"`,
      { cause: err },
    );
  }
  if (!Array.isArray(doc)) throw new Error('must be a YAML list of nodes ("- name: …", "  endpoint: …")');
  return doc.map((item, i): AppendNode => {
    const where = `node ${i + 1}`;
    if (!item || typeof item !== 'object' || Array.isArray(item))
      throw new Error(`${where} must be a mapping with ${APPEND_KEYS.join(', ')}`);
    const rec = item as Record<string, unknown>;
    for (const k of Object.keys(rec)) {
      if (!APPEND_KEYS.includes(k))
        throw new Error(`${where}: unknown key "${k}"; valid keys: ${APPEND_KEYS.join(', ')}`);
    }
    const str = (k: string): string | undefined => {
      const v = rec[k];
      if (v === undefined || v === null || v === '') return undefined;
      if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`${where}: ${k} must be a string`);
      return String(v).trim();
    };
    const name = str('name');
    if (name !== undefined && !BUILDER_NAME.test(name)) {
      throw new Error(`${where}: name "${name}" may only use letters, digits, ".", "_" and "-"`);
    }
    const platforms = stringList(rec.platforms, `${where}: platforms`, false).map((p) => {
      try {
        return formatPlatform(parsePlatform(p));
      } catch (err) {
        throw new Error(`${where}: ${errorMessage(err)}`, { cause: err });
      }
    });
    const node = {
      name,
      endpoint: str('endpoint'),
      driverOpts: stringList(rec['driver-opts'], `${where}: driver-opts`, true),
      buildkitdFlags: str('buildkitd-flags'),
      platforms,
    };
    return checkAppendNode(node, driver, where);
  });
}

/** An append node's endpoint, driver options and daemon flags, by the builder's own grammars. */
function checkAppendNode(node: AppendNode, driver: string, where: string): AppendNode {
  try {
    if (node.endpoint) checkEndpoint(node.endpoint);
    checkDriverOpts(node.driverOpts, driver);
    if (node.buildkitdFlags) checkBuildkitdFlags(node.buildkitdFlags);
  } catch (err) {
    throw new Error(`${where}: ${errorMessage(err)}`, { cause: err });
  }
  return node;
}

/** The builder settings ownBuilderInputs looks at. */
export type OwnBuilderSettings = Pick<
  BuilderInputs,
  'driverOpts' | 'buildkitdFlags' | 'buildkitdConfig' | 'endpoint' | 'append'
> & { buildkitdConfigInline?: string; reproducible?: boolean } & Partial<
    Pick<BuilderInputs, 'keepState' | 'cleanup' | 'name'>
  >;

/**
 * Pure: the inputs set that only a builder this action creates honours (the engine's own builder
 * has no driver options, daemon flags, config, endpoint, extra nodes, state volume or name of its
 * own, and is never removed). With any of them set,
 * `driver: auto` creates a docker-container builder rather than drop them; with `builder:` or
 * `driver: docker` they are input errors (endpoint aside: there it names the docker context).
 */
export function ownBuilderInputs(i: OwnBuilderSettings): string[] {
  const inline = (i.buildkitdConfigInline ?? '').trim() !== '';
  const set: [string, boolean][] = [
    ['driver-opts', i.driverOpts.length > 0],
    ['buildkitd-flags', i.buildkitdFlags !== ''],
    // the inline config reaches the builder as a file: name the input the user set
    ['buildkitd-config', i.buildkitdConfig !== '' && !inline],
    ['buildkitd-config-inline', inline],
    ['endpoint', i.endpoint !== ''],
    ['append', i.append.length > 0],
    // a state volume, a builder left for later steps, a builder by name: only a container builder has them
    ['keep-state', i.keepState === true],
    ['cleanup', i.cleanup === false],
    ['name', (i.name ?? '') !== ''],
    // rewrite-timestamp: the engine's own image exporter refuses it (it conflicts with unpack)
    ['reproducible', i.reproducible === true],
  ];
  return set.filter(([, on]) => on).map(([name]) => name);
}

/** qemu and qemu-image: whether to install emulators, and from which image. */
function parseQemuInputs(get: Getter, c: Collector): Pick<BuilderInputs, 'qemu' | 'qemuImage'> {
  const qemu = c.oneOf<QemuMode>('qemu', get('qemu'), ['auto', 'true', 'false'], 'auto', {
    meaning: 'auto (install only missing emulators), true (always install) or false (never)',
  });
  const qemuImage = get('qemu-image').trim() || DEFAULT_QEMU_IMAGE;
  c.field('qemu-image', () => checkOperand(qemuImage, 'an image reference'), undefined);
  if (/\s/.test(qemuImage))
    c.fail('qemu-image', `"${qemuImage}" is not an image reference (no spaces), e.g. ${DEFAULT_QEMU_IMAGE}`);
  return { qemu, qemuImage };
}

/** Cross-input rules: the settings that only apply to a builder this action creates. */
function checkBuilderChoice(
  c: Collector,
  i: Pick<
    BuilderInputs,
    | 'builder'
    | 'driver'
    | 'driverOpts'
    | 'buildkitdFlags'
    | 'buildkitdConfigInline'
    | 'endpoint'
    | 'append'
    | 'keepState'
    | 'cleanup'
    | 'name'
  >,
  rawConfig: string,
): void {
  const { builder, driver, endpoint } = i;
  const creating = ownBuilderInputs({ ...i, buildkitdConfig: rawConfig });
  if (builder) {
    // cleanup never touches an existing builder: harmless beside builder
    for (const name of [...creating.filter((n) => n !== 'cleanup'), ...(driver !== 'auto' ? ['driver'] : [])]) {
      c.fail(
        name,
        `only applies to a builder this action creates, but "builder: ${builder}" names an existing one: remove ${name} or builder`,
      );
    }
  } else if (driver === 'docker') {
    // endpoint names the docker context whose own builder to use
    for (const name of creating.filter((n) => n !== 'endpoint')) {
      c.fail(
        name,
        `${DOCKER_DRIVER_VALUE[name] ?? ''}is not supported by the docker driver (driver: docker, the engine's built-in BuildKit): use driver docker-container (or auto), remote or kubernetes, or remove ${name}`,
      );
    }
  } else if (driver === 'remote' && !endpoint && !c.has('endpoint')) {
    c.fail('endpoint', 'is required with driver remote: the BuildKit address, e.g. tcp://buildkitd:1234');
  }
  if (builder && !BUILDER_NAME.test(builder))
    c.fail('builder', `"${builder}" is not a builder name (letters, digits, ".", "_", "-")`);
}

/** The value that makes an input need a container builder, for the message (setup-buildx-action: "Cannot use keep-state with docker driver"). */
const DOCKER_DRIVER_VALUE: Record<string, string> = { 'keep-state': 'true ', cleanup: 'false ' };

/** setup-buildx-action's name: a builder name buildx accepts, of a bounded length. */
function parseBuilderName(get: Getter, c: Collector): string {
  return c.field(
    'name',
    () => {
      const v = get('name').trim();
      if (!v) return '';
      if (v.length > MAX_BUILDER_NAME || !BUILDER_NAME.test(v))
        throw new Error(
          `is not a builder name: up to ${MAX_BUILDER_NAME} letters, digits, ".", "_" and "-", starting with a letter or digit`,
        );
      return v;
    },
    '',
  );
}

/** buildx names the builder's container buildx_buildkit_<name><n> and its volume …_state: keep them short. */
const MAX_BUILDER_NAME = 100;

export function parseBuilderInputs(get: Getter, c: Collector, env: InputEnv): BuilderInputs {
  const { qemu, qemuImage } = parseQemuInputs(get, c);
  const buildx = parseBuildxInputs(get, c);
  const driver = c.oneOf('driver', get('driver'), DRIVERS, 'auto', { notA: 'not a buildx driver', exact: true });
  const driverOpts = c.field(
    'driver-opts',
    () => {
      const opts = parseList(get('driver-opts'), { ignoreComma: true });
      checkDriverOpts(opts, driver);
      return opts;
    },
    [],
  );
  const buildkitdFlags = c.field('buildkitd-flags', () => checkBuildkitdFlags(get('buildkitd-flags').trim()), '');
  const rawConfig = get('buildkitd-config').trim();
  const buildkitdConfig = rawConfig ? path.resolve(env.workspace, rawConfig) : '';
  if (buildkitdConfig && !env.exists(buildkitdConfig))
    c.fail('buildkitd-config', `"${rawConfig}" not found (resolved to ${buildkitdConfig})`);
  const buildkitdConfigInline = get('buildkitd-config-inline');
  if (buildkitdConfigInline.trim())
    c.field('buildkitd-config-inline', () => checkBuildkitdToml(buildkitdConfigInline), undefined);
  if (buildkitdConfig && buildkitdConfigInline.trim()) {
    c.fail(
      'buildkitd-config-inline',
      'cannot be used together with buildkitd-config: give the config as a file or inline, not both',
    );
  }
  const endpoint = c.field('endpoint', () => (get('endpoint').trim() ? checkEndpoint(get('endpoint').trim()) : ''), '');
  const append = c.field('append', () => parseAppend(get('append'), driver), []);
  const builder = get('builder').trim();
  const cleanup = c.bool(
    'cleanup',
    get('cleanup'),
    true,
    'true (remove the builder in the post step) or false (keep it)',
  );
  const name = parseBuilderName(get, c);
  const use = c.bool('use', get('use'), false, "true (make the builder the job's current one) or false");
  const keepState = c.bool('keep-state', get('keep-state'), false);
  checkBuilderChoice(
    c,
    { builder, driver, driverOpts, buildkitdFlags, buildkitdConfigInline, endpoint, append, keepState, cleanup, name },
    rawConfig,
  );
  return {
    qemu,
    qemuImage,
    ...buildx,
    driver,
    driverOpts,
    buildkitdFlags,
    buildkitdConfig,
    buildkitdConfigInline,
    endpoint,
    append,
    builder,
    cleanup,
    name,
    use,
    keepState,
  };
}

/**
 * The buildkitd-config file's text must be TOML. Read only after the workspace path rule passed
 * (parseInputs calls it then): a link out of the workspace is refused unread.
 */
export function checkBuildkitdConfigFile(c: Collector, env: InputEnv, file: string): void {
  const text = file && !c.has('buildkitd-config') ? env.readFile?.(file) : undefined;
  if (text !== undefined) c.field('buildkitd-config', () => checkBuildkitdToml(text), undefined);
}
