import { parseList } from '../lists.js';
import { type Flavor, type ImageEntry, parseFlavor, parseImages, parseTagRules, type TagRule } from '../meta/rules.js';
import { explainName } from '../reference.js';
import type { Collector, Getter } from './collect.js';

export interface MetaInputs {
  /** Image names (enabled ones), lowercased, without tags. */
  images: string[];
  /** Every images entry with its enable flag (metadata-action's name=...,enable=... form). */
  imageEntries: ImageEntry[];
  /** docker/metadata-action tag rules, highest priority first; the defaults when `tags` is empty. */
  tagRules: TagRule[];
  flavor: Flavor;
  /** User labels/annotations, KEY=VALUE lines (may hold global expressions). */
  labels: string[];
  annotations: string[];
  sepTags: string;
  sepLabels: string;
  sepAnnotations: string;
}

const lines = (v: string) => parseList(v, { ignoreComma: true });

/** A separator input: '' = newline; \n, \t and \r escapes are understood. */
function separator(v: string): string {
  if (v === '') return '\n';
  return v.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\r/g, '\r');
}

export function parseMetaInputs(get: Getter, c: Collector): MetaInputs {
  const imageEntries = c.field(
    'images',
    () =>
      parseImages(lines(get('images'))).map((img) => {
        const why = explainName(img.name);
        if (why) throw new Error(`"${img.name}": ${why}`);
        return img;
      }),
    [],
  );
  const tagRules = c.field('tags', () => parseTagRules(lines(get('tags'))), []);
  const flavor = c.field('flavor', () => parseFlavor(lines(get('flavor'))), parseFlavor([]));
  const kv = (name: string) =>
    c.field(
      name,
      () =>
        lines(get(name)).map((l) => {
          if (!/^[^=\s]+=/.test(l)) throw new Error(`"${l}" is not KEY=VALUE`);
          return l;
        }),
      [],
    );
  const labels = kv('labels');
  const annotations = kv('annotations');
  return {
    images: imageEntries.filter((i) => i.enable).map((i) => i.name),
    imageEntries,
    tagRules,
    flavor,
    labels,
    annotations,
    sepTags: separator(get('sep-tags')),
    sepLabels: separator(get('sep-labels')),
    sepAnnotations: separator(get('sep-annotations')),
  };
}
