import * as path from 'node:path';

import { parse } from 'csv-parse/sync';

import { StageError } from '../../errors.js';
import type { BuildOptionInputs } from '../../inputs/buildopts.js';
import {
  BUILDX_MINIMUM,
  buildxAtLeast,
  DEFAULT_BUILDX_VERSION,
  parseBuildxVersion,
} from '../../inputs/buildx-version.js';
import { buildxCsvField } from '../../lists.js';

/**
 * Build options ready for argv: the inputs with secret values already replaced by file references
 * and `provenance` resolved.
 */
export type BuildOptionsPlan = Omit<
  BuildOptionInputs,
  'secrets' | 'secretFiles' | 'secretEnvs' | 'provenance' | 'inputWarnings'
> & {
  /** `--secret` values: id=X,src=FILE or id=X,env=VAR (never a secret value). */
  secretArgs: string[];
  /** Resolved `--provenance` value, undefined = flag left out. */
  provenance?: string;
  /** Where buildx writes the image ID ('' = none). */
  iidFile: string;
};

/**
 * Pure: the exporter type of each `outputs` entry, as buildx reads it: `type=` in the CSV fields;
 * a bare value is the local exporter into that folder, and `-` the tar exporter to stdout.
 */
export function exporterTypes(outputs: string[]): string[] {
  return outputs.map((o) => {
    const fields = (parse(o, { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][])[0] ?? [];
    const type = fields.find((f) => f.startsWith('type='));
    if (type) return type.slice('type='.length);
    if (fields.length === 1 && !fields[0]!.includes('=')) return fields[0] === '-' ? 'tar' : 'local';
    return '';
  });
}

/**
 * Pure: an `outputs` entry pushes to a registry: type=registry, or type=image with push=true,
 * as buildx reads the CSV fields.
 */
export function outputsPush(outputs: string[]): boolean {
  return outputs.some((o) => {
    const fields = (parse(o, { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][])[0] ?? [];
    const type = fields.find((f) => f.startsWith('type='))?.slice('type='.length);
    return type === 'registry' || (type === 'image' && fields.some((f) => /^push=(?:1|t|true)$/i.test(f)));
  });
}

/**
 * The local and tar exporters write files, no image: buildx refuses --iidfile with them ("local and
 * tar exporters are incompatible with image ID file"); --metadata-file it takes with any exporter.
 */
export function exportsFilesOnly(outputs: string[]): boolean {
  return exporterTypes(outputs).some((t) => t === 'local' || t === 'tar');
}

/** An exporter that cannot carry attestations is in use: only the docker exporter (load); local and tar write them as files. */
export function exportsWithoutAttestations(outputs: string[], load: boolean): boolean {
  // as build-push-action: only the docker exporter (load) cannot carry attestations
  if (load) return true;
  return outputs.some((o) => /(?:^|,)type=docker(?:,|$)/.test(o));
}

export interface ProvenanceContext {
  load: boolean;
  outputs: string[];
  /** repository.private from the event payload; undefined when unknown. */
  repoPrivate?: boolean;
  /** URL of this workflow run (buildx's builder-id). */
  builderId: string;
  /** BUILDX_NO_DEFAULT_ATTESTATIONS is on: no default provenance (buildx adds none either). */
  noDefaultAttestations?: boolean;
}

/** Pure: BUILDX_NO_DEFAULT_ATTESTATIONS read as buildx reads it (Go's ParseBool: 1, t, true in any case). */
export function noDefaultAttestations(env: NodeJS.ProcessEnv): boolean {
  return /^(?:1|t|true)$/i.test((env.BUILDX_NO_DEFAULT_ATTESTATIONS ?? '').trim());
}

/**
 * Pure: build-push-action's provenance rule. Unset: mode=max for a public repository,
 * mode=min (inline only) otherwise, and nothing for the exporter without attestations (load,
 * type=docker) or under BUILDX_NO_DEFAULT_ATTESTATIONS. `false` disables it; `true` or
 * attributes get the run URL as builder-id.
 */
export function resolveProvenance(input: string, ctx: ProvenanceContext): string | undefined {
  const v = input.trim();
  const withId = (attrs: string) =>
    /(?:^|,)builder-id=/.test(attrs) || !ctx.builderId
      ? attrs
      : [attrs, `builder-id=${ctx.builderId}`].filter(Boolean).join(',');
  if (v === '') {
    if (ctx.noDefaultAttestations || exportsWithoutAttestations(ctx.outputs, ctx.load)) return undefined;
    // as build-push-action: max unless the event payload says the repository is private
    return withId(ctx.repoPrivate === true ? 'mode=min,inline-only=true' : 'mode=max');
  }
  if (/^false$/i.test(v)) return 'false';
  if (/^true$/i.test(v)) return withId('');
  return withId(v);
}

/** Pure: the `docker buildx build` flags for the build options, in a stable order. */
export function planBuildOptions(o: BuildOptionsPlan): string[] {
  const argv: string[] = [];
  for (const c of o.buildContexts) argv.push('--build-context', c);
  for (const s of o.secretArgs) argv.push('--secret', s);
  for (const s of o.ssh) argv.push('--ssh', s);
  if (o.target) argv.push('--target', o.target);
  if (o.provenance !== undefined) argv.push('--provenance', o.provenance);
  if (o.sbom) argv.push('--sbom', o.sbom);
  if (o.noCache) argv.push('--no-cache');
  for (const f of o.noCacheFilters) argv.push('--no-cache-filter', f);
  if (o.pull) argv.push('--pull');
  if (o.network) argv.push('--network', o.network);
  if (o.shmSize) argv.push('--shm-size', o.shmSize);
  for (const u of o.ulimit) argv.push('--ulimit', u);
  for (const out of o.outputs) argv.push('--output', out);
  for (const h of o.addHosts) argv.push('--add-host', h);
  for (const a of o.allow) argv.push('--allow', a);
  // as build-push-action: the provenance and sbom inputs win over an attests entry of their type
  for (const a of o.attests) {
    if (o.provenance !== undefined && hasAttestType(a, 'provenance')) continue;
    if (o.sbom && hasAttestType(a, 'sbom')) continue;
    argv.push('--attest', a);
  }
  if (o.call) argv.push('--call', o.call);
  if (o.cgroupParent) argv.push('--cgroup-parent', o.cgroupParent);
  if (o.load) argv.push('--load');
  // no image, no image ID: the imageid (and digest) outputs are then empty
  if (o.iidFile && !exportsFilesOnly(o.outputs)) argv.push('--iidfile', o.iidFile);
  return argv;
}

/** An attests entry of this type (type=provenance,... / type=sbom,...). */
export function hasAttestType(attest: string, type: string): boolean {
  return new RegExp(`(?:^|,)type=${type}(?:,|$)`).test(attest);
}

/** The env variable buildx reads the GIT_AUTH_TOKEN secret from (never argv). */
export const GIT_AUTH_ENV = 'MULTIARCH_GIT_AUTH_TOKEN';

/** Host of an https git URL, or of the github.com/owner/repo shorthand buildx fetches over https. */
function httpsGitHost(url: string): string | undefined {
  if (/^github\.com\//.test(url)) return 'github.com';
  const m = /^https?:\/\/(?:[^@/]*@)?([^/:#?]+)/i.exec(url);
  return m ? m[1]!.toLowerCase() : undefined;
}

export interface GitAuthInput {
  token: string;
  /** The build context and every build-contexts source (name=source). */
  sources: string[];
  /** GITHUB_SERVER_URL (https://github.com, or the GHES server). */
  serverUrl: string;
  /** Ids of the user's own secrets: one named GIT_AUTH_TOKEN* wins, as in build-push-action. */
  secretIds: string[];
}

/**
 * Pure: build-push-action hands github-token to BuildKit as the secret GIT_AUTH_TOKEN.<server host>
 * for a git context on the workflow's own server. Here: when a source is an https git URL on the
 * GITHUB_SERVER_URL host (github.com or the GHES server) and the user set no GIT_AUTH_TOKEN secret.
 * BuildKit sends a host-scoped token only to that host; ssh URLs use keys, not tokens.
 * The value travels in the environment (GIT_AUTH_ENV), never on the command line.
 */
export function planGitAuthSecret(g: GitAuthInput): string | undefined {
  if (!g.token || g.secretIds.some((id) => id === 'GIT_AUTH_TOKEN' || id.startsWith('GIT_AUTH_TOKEN.')))
    return undefined;
  let server: string;
  try {
    server = new URL(g.serverUrl || 'https://github.com').hostname.toLowerCase();
  } catch {
    return undefined;
  }
  // a secret only git sources read: an https URL on the host that is not a git repository never uses it
  const onServer = g.sources.some((s) => httpsGitHost(s) === server);
  return onServer ? `id=GIT_AUTH_TOKEN.${server},env=${GIT_AUTH_ENV}` : undefined;
}

/** A secret value planned to a file of its own (0600, in the run's temp folder, removed by post). */
export interface SecretFile {
  path: string;
  content: string;
}

/**
 * Pure: the --secret references, and the file each `secrets` value is to be written to (the build's
 * act writes them; a dry run writes none); secret-files and secret-envs are referenced as given.
 */
export function planSecrets(
  inputs: Pick<BuildOptionInputs, 'secrets' | 'secretFiles' | 'secretEnvs'>,
  dir: string,
): { args: string[]; files: SecretFile[] } {
  const files = inputs.secrets.map((s, i) => ({ path: path.join(dir, `secret-${i}`), content: s.value }));
  const args = inputs.secrets.map((s, i) => `id=${s.id},${buildxCsvField('src', files[i]!.path)}`);
  for (const s of inputs.secretFiles) args.push(`id=${s.id},${buildxCsvField('src', s.path)}`);
  for (const s of inputs.secretEnvs) args.push(`id=${s.id},env=${s.env}`);
  return { args, files };
}

/** `call` (build checks) needs a newer buildx: an older one fails here, before anything is built. */
export function checkCallSupported(call: string, buildxVersion: string): void {
  if (!call || call === 'build') return;
  if (!buildxAtLeast(buildxVersion, 'call')) {
    const v = parseBuildxVersion(buildxVersion) ?? buildxVersion;
    throw new StageError(
      'builder',
      `call: ${call} needs buildx ${BUILDX_MINIMUM.call} or later, but this buildx is ${v || 'unknown'}: set buildx-version (e.g. ${DEFAULT_BUILDX_VERSION}), or remove call`,
    );
  }
}

/** Where git sources may come from: a remote context and every build-contexts source. */
export function gitSources(i: { context: string; contextIsRemote: boolean; buildContexts: string[] }): string[] {
  return [...(i.contextIsRemote ? [i.context] : []), ...i.buildContexts.map((b) => b.slice(b.indexOf('=') + 1))];
}

/** Ids of every secret the user gave (secrets, secret-files, secret-envs). */
export function secretIds(i: Pick<BuildOptionInputs, 'secrets' | 'secretFiles' | 'secretEnvs'>): string[] {
  return [...i.secrets, ...i.secretFiles, ...i.secretEnvs].map((s) => s.id);
}

/** Exporters that write an image, whose timestamps BuildKit can rewrite to SOURCE_DATE_EPOCH. */
const IMAGE_EXPORTERS = ['image', 'registry', 'oci', 'docker'];

/**
 * Pure: reproducible's exporter: `rewrite-timestamp=true` added to an `outputs` entry that writes an
 * image (image, registry, oci, docker), unless the entry sets rewrite-timestamp itself; local and tar
 * entries (files, no image) are left as they are.
 */
export function withRewriteTimestamp(outputs: string[]): string[] {
  const types = exporterTypes(outputs);
  return outputs.map((o, i) =>
    IMAGE_EXPORTERS.includes(types[i]!) && !/(?:^|,)\s*"?rewrite-timestamp=/.test(o)
      ? `${o},rewrite-timestamp=true`
      : o,
  );
}

/**
 * Pure: the image name on every `outputs` entry that writes an image, as `--tag` would set it (buildx
 * gives the tags to every such exporter, overriding its own name: a build that adds an exporter of
 * another name passes its tags this way instead).
 */
export function withImageName(outputs: string[], refs: string[]): string[] {
  if (!refs.length) return outputs;
  const types = exporterTypes(outputs);
  return outputs.map((o, i) =>
    IMAGE_EXPORTERS.includes(types[i]!) ? `${o},${buildxCsvField('name', refs.join(','))}` : o,
  );
}
