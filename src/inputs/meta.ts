import { parseList } from '../lists.js';
import { explainName, isValidTag } from '../reference.js';
import type { Collector, Getter } from './collect.js';

export interface MetaInputs {
  /** Image names, lowercased, without tags. */
  images: string[];
  /** Literal tags (the tag rule language arrives with the meta stage's own issue). */
  tags: string[];
}

export function parseMetaInputs(get: Getter, c: Collector): MetaInputs {
  const images = c.field(
    'images',
    () =>
      parseList(get('images')).map((raw) => {
        const name = raw.toLowerCase();
        const why = explainName(name);
        if (why) throw new Error(`"${raw}": ${why}`);
        return name;
      }),
    [],
  );
  const tags = c.field(
    'tags',
    () =>
      parseList(get('tags')).map((t) => {
        if (!isValidTag(t)) {
          throw new Error(`"${t}" is not a valid tag: use 1 to 128 characters from [A-Za-z0-9_.-], starting with a letter, digit or _`);
        }
        return t;
      }),
    [],
  );
  return { images, tags };
}
