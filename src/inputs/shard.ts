import { type Mode, parseDigestList, type ShardRef } from '../stages/shard.js';
import type { Collector, Getter } from './collect.js';

export interface ShardInputs {
  /** build (default): one multi-platform build; shard: one platform pushed by digest; merge: join shards. */
  mode: Mode;
  /** mode merge: the shards' digests, parsed ([] otherwise). */
  digests: ShardRef[];
}

const MODES: Mode[] = ['build', 'shard', 'merge'];

export function parseShardInputs(get: Getter, c: Collector): ShardInputs {
  const mode = c.field(
    'mode',
    (): Mode => {
      const v = get('mode').trim().toLowerCase() || 'build';
      if (!(MODES as string[]).includes(v)) throw new Error(`"${get('mode').trim()}" is not valid: use build, shard or merge`);
      return v as Mode;
    },
    'build',
  );
  let digests: ShardRef[] = [];
  if (mode === 'merge') digests = c.field('digests', () => parseDigestList(get('digests')), []);
  else if (get('digests').trim()) c.fail('digests', `is only used with mode: merge (mode is ${mode}); remove it or set mode: merge`);
  return { mode, digests };
}
