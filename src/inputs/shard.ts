import { type Mode, parseDigestList, type ShardRef } from '../stages/shard/shard.js';
import type { Collector, Getter } from './collect.js';

export interface ShardInputs {
  /** build (default): one multi-platform build; shard: one platform pushed by digest; merge: join shards. */
  mode: Mode;
  /** mode merge: the shards' digests, parsed; [] = read the shard results from this run's artifacts. */
  digests: ShardRef[];
  /** Tells apart shard sets of one image in one workflow run (part of the artifact names). */
  shardKey: string;
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
  // empty: the merge reads this run's shard artifacts (checked against the environment in the pipeline)
  if (mode === 'merge' && get('digests').trim()) digests = c.field('digests', () => parseDigestList(get('digests')), []);
  else if (mode !== 'merge' && get('digests').trim()) c.fail('digests', `is only used with mode: merge (mode is ${mode}); remove it or set mode: merge`);
  const shardKey = c.field(
    'shard-key',
    () => {
      const v = get('shard-key').trim();
      if (v.length > 40 || /[^A-Za-z0-9._-]/.test(v)) throw new Error(`"${v.slice(0, 60)}" is not valid: use up to 40 letters, digits, ".", "_" or "-" (e.g. debug)`);
      return v;
    },
    '',
  );
  if (shardKey && mode === 'build') c.fail('shard-key', 'is only used with mode: shard or merge; remove it or set mode');
  return { mode, digests, shardKey };
}
