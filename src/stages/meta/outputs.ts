import * as path from 'node:path';

import type { MetaInputs } from '../../inputs/meta.js';
import { labelObject } from './labels.js';
import type { MetaPlan } from './plan.js';

/** What the meta outputs need besides the plan. */
/** The meta inputs the outputs read; `images` are bake's DOCKER_META_IMAGES. */
export interface MetaOutputInput extends Pick<
  MetaInputs,
  'images' | 'sepTags' | 'sepLabels' | 'sepAnnotations' | 'bakeTarget'
> {
  plan: MetaPlan;
  /** Folder the bake files are written to (the run's temp folder, removed by post). */
  dir: string;
}

export interface MetaOutputs {
  /** [output name, value], in metadata-action's order. */
  outputs: [string, string][];
  /** Bake definition files to write: path → JSON text. */
  files: [string, string][];
}

/**
 * Pure: docker/metadata-action's outputs: version, tags, tag-names, labels, annotations, json and the
 * bake files (its JSON form: {"target": {"<bake-target>": {...}}}, two-space indented), whose
 * paths are the bake-file* outputs. tag-names are the tags without the image name.
 */
export function planMetaOutputs(o: MetaOutputInput): MetaOutputs {
  const p = o.plan;
  // a version that is not there is left out of the args, as JSON.stringify drops metadata-action's undefined
  const args = { DOCKER_META_IMAGES: o.images.join(','), ...(p.version ? { DOCKER_META_VERSION: p.version } : {}) };
  const bake = (name: string, body: Record<string, unknown>): [string, string] => [
    path.join(o.dir, `docker-metadata-action-bake${name ? `-${name}` : ''}.json`),
    JSON.stringify({ target: { [o.bakeTarget]: body } }, null, 2),
  ];
  const files: [string, string][] = [
    bake('tags', { tags: p.tags, args }),
    bake('labels', { labels: labelObject(p.labels) }),
    bake('annotations', { annotations: p.annotations }),
    bake('', { tags: p.tags, labels: labelObject(p.labels), args }),
  ];
  const outputs: [string, string][] = [
    ['version', p.version],
    ['tags', p.tags.join(o.sepTags)],
    ['tag-names', p.tagNames.join(o.sepTags)],
    ['labels', p.labels.join(o.sepLabels)],
    ['annotations', p.annotations.join(o.sepAnnotations)],
    ['json', JSON.stringify(p.json)],
    ['bake-file-tags', files[0]![0]],
    ['bake-file-labels', files[1]![0]],
    ['bake-file-annotations', files[2]![0]],
    ['bake-file', files[3]![0]],
  ];
  return { outputs, files };
}

/** The environment variable metadata-action exports an output as: DOCKER_METADATA_OUTPUT_TAG_NAMES. */
export const metaEnvName = (output: string) => `DOCKER_METADATA_OUTPUT_${output.replace(/\W/g, '_').toUpperCase()}`;

/** DOCKER_METADATA_SET_OUTPUT_ENV: exported unless set to false (as metadata-action). */
export function exportsMetaEnv(env: NodeJS.ProcessEnv): boolean {
  return !/^(?:false|0)$/i.test((env.DOCKER_METADATA_SET_OUTPUT_ENV ?? '').trim());
}
