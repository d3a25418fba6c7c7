import type { RunContext } from '../context.js';

export interface MetaInput {
  images: string[];
  tags: string[];
}

export interface MetaPlan {
  /** Full references image:tag, every tag on every image. */
  refs: string[];
  /** The tags alone. */
  tags: string[];
}

/**
 * Make a git ref name usable as a tag: characters outside [A-Za-z0-9._-] become '-', a tag never
 * starts with '.' or '-', and is at most 128 characters. Untrusted input never reaches buildx raw.
 */
export function sanitizeTag(name: string): string {
  let t = name.replace(/[^A-Za-z0-9._-]+/g, '-');
  t = t.replace(/^[.-]+/, '');
  t = t.slice(0, 128);
  return t;
}

/** The tag a ref gives when no tags are set: branch name, tag name, or pr-<number>. */
export function defaultTag(ctx: Pick<RunContext, 'ref'>): string | undefined {
  const ref = ctx.ref;
  let m: RegExpExecArray | null;
  if ((m = /^refs\/heads\/(.+)$/.exec(ref))) return sanitizeTag(m[1]!) || undefined;
  if ((m = /^refs\/tags\/(.+)$/.exec(ref))) return sanitizeTag(m[1]!) || undefined;
  if ((m = /^refs\/pull\/(\d+)\//.exec(ref))) return `pr-${m[1]}`;
  return undefined;
}

/** Pure: tags and references for this run. */
export function planMeta(input: MetaInput, ctx: Pick<RunContext, 'ref'>): MetaPlan {
  let tags = input.tags;
  if (tags.length === 0) {
    const t = defaultTag(ctx);
    tags = t ? [t] : [];
  }
  const refs = input.images.flatMap((image) => tags.map((tag) => `${image}:${tag}`));
  return { refs, tags };
}
