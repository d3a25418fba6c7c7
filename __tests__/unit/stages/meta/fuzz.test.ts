/**
 * Property test: hostile branch and tag names never give an invalid docker reference, and reach
 * buildx only as single argv elements (no shell). Seeded PRNG: a failure reproduces with its seed.
 */
import { readMetaContext } from '../../../../src/context/run-context.js';
import { isValidReference, isValidTag } from '../../../../src/oci/reference.js';
import { planBuild } from '../../../../src/stages/build/plan.js';
import { REPOSITORY, SHA } from '../../fixtures/events.js';
import { plan } from '../../fixtures/plan.js';

const SEED = 0x5eed2026;

/** mulberry32: small, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '/',
  '//',
  '.',
  '..',
  '-',
  '--',
  '_',
  '__',
  ' ',
  '$(',
  ')',
  '$(id)',
  '`',
  '`rm -rf /`',
  ';',
  '&&',
  '|',
  '>',
  '"',
  "'",
  '\\',
  ':',
  '@',
  '#',
  '%',
  '{{',
  '}}',
  '*',
  '?',
  '~',
  '^',
  '\n',
  '\t',
  'ü',
  'é',
  'ß',
  '中文',
  '🚀',
  '\u202e',
  '\u0000',
  'main',
  'feature',
  'v1.2.3',
  'V2',
  'release',
  'a',
  'Z',
  '0',
  '9',
  'x'.repeat(40),
  'latest',
  '-rc.1',
  '+build.5',
];

function randomName(rnd: () => number): string {
  const kind = rnd();
  let s = '';
  if (kind < 0.1) s = (rnd() < 0.5 ? '.' : '-').repeat(1 + Math.floor(rnd() * 5));
  const n = 1 + Math.floor(rnd() * 12);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(rnd() * PIECES.length)]!;
  if (kind > 0.85) s = s.repeat(Math.ceil(300 / Math.max(1, s.length))).slice(0, 300);
  return s;
}

const CONFIGS: { tags?: string[]; flavor?: string[] }[] = [
  {},
  {
    tags: [
      'type=ref,event=branch',
      'type=ref,event=tag',
      'type=semver,pattern={{version}}',
      'type=pep440,pattern={{version}}',
      'type=match,pattern=.*',
      'type=sha',
    ],
  },
  { tags: ['type=raw,value={{branch}}{{tag}}-x', 'type=sha,prefix={{branch}}{{tag}}-'] },
  { tags: ['type=ref,event=branch', 'type=ref,event=tag'], flavor: ['prefix=..-,onlatest=true', 'suffix=-$(x)'] },
];

test('500 random branch/tag names → every reference valid, passed as single argv elements', () => {
  const rnd = prng(SEED);
  let refsChecked = 0;
  let nonEmpty = 0;
  for (let i = 0; i < 500; i++) {
    const name = randomName(rnd);
    const ref = `${i % 2 ? 'refs/tags/' : 'refs/heads/'}${name}`;
    const meta = readMetaContext(
      { GITHUB_EVENT_NAME: 'push', GITHUB_REF: ref, GITHUB_SHA: SHA, GITHUB_REPOSITORY: 'octocat/Hello-World' },
      { repository: REPOSITORY },
    );
    for (const cfg of CONFIGS) {
      const p = plan(meta, cfg);
      for (const r of p.refs) {
        if (!isValidReference(r))
          throw new Error(`seed ${SEED} name #${i} ${JSON.stringify(name)}: invalid ${JSON.stringify(r)}`);
        refsChecked++;
      }
      for (const t of p.tags) expect(isValidTag(t.slice(t.lastIndexOf(':') + 1))).toBe(true);
      if (p.refs.length) nonEmpty++;
      const argv = planBuild({
        builder: 'b',
        platforms: ['linux/amd64'],
        context: '/ctx',
        file: '',
        buildArgs: [],
        refs: p.refs,
        labels: p.labels,
        push: false,
        metadataFile: '/m.json',
      });
      // each ref is exactly one argv element after --tag
      const tagged = argv.flatMap((a, k) => (argv[k - 1] === '--tag' ? [a] : []));
      expect(tagged).toEqual(p.refs);
    }
  }
  expect(nonEmpty).toBeGreaterThan(500); // most names still give a tag
  expect(refsChecked).toBeGreaterThan(1000);
});
