/**
 * Each event fixture × tag configuration → tags and version, hand-derived from docker/metadata-action's
 * documented rules (README tables: ref, semver, pep440, match, edge, sha, priorities, latest=auto).
 */
import { type FixtureName, FIXTURES, MERGE_SHA, metaContext, SHA } from '../../fixtures/events.js';
import { bare, plan } from '../../fixtures/plan.js';

const S = `sha-${SHA.slice(0, 7)}`;
const SL = `sha-${SHA}`;
type Row = [FixtureName, string[]];

function table(name: string, tags: string[], rows: Row[]) {
  describe(name, () => {
    test.each(rows)('%s → %j', (fixture, expected) => {
      const p = plan(metaContext(fixture), { tags });
      expect(bare(p)).toEqual(expected);
      expect(p.version).toBe(expected[0] ?? '');
      expect(p.refs).toEqual(expected.map((t) => `name/app:${t}`));
    });
  });
}

test('every fixture is covered by the default table', () => {
  expect(Object.keys(FIXTURES).sort()).toEqual(DEFAULT_ROWS.map((r) => r[0]).sort());
});

const DEFAULT_ROWS: Row[] = [
  ['push default branch', ['master']],
  ['push other branch', ['feature-new-ui']],
  ['tag v1.2.3', ['v1.2.3', 'latest']],
  ['tag v2.0.8-beta.67', ['v2.0.8-beta.67', 'latest']],
  ['tag 1.2', ['1.2', 'latest']],
  ['tag 20200110-RC2', ['20200110-RC2', 'latest']],
  ['tag 1.2.3rc2', ['1.2.3rc2', 'latest']],
  ['tag sometag', ['sometag', 'latest']],
  ['pull_request', ['pr-15']],
  ['pull_request_target', ['pr-15']],
  // type=schedule (1000) gives nightly; type=ref,event=branch still tags the branch
  ['schedule', ['nightly', 'master']],
  ['workflow_dispatch', ['master']],
  ['release created', ['v1.1.0', 'latest']],
  // metadata-action would give "..fix-ber-id-" (invalid: starts with '.'); we drop the leading dots
  ['branch with invalid tag characters', ['fix-ber-id-']],
];
table('default tags (tags input empty)', [], DEFAULT_ROWS);

table(
  'semver set',
  [
    'type=ref,event=branch',
    'type=ref,event=pr',
    'type=semver,pattern={{version}}',
    'type=semver,pattern={{major}}.{{minor}}',
    'type=semver,pattern={{major}}',
    'type=sha',
  ],
  [
    ['push default branch', ['master', S]],
    ['push other branch', ['feature-new-ui', S]],
    ['tag v1.2.3', ['1.2.3', '1.2', '1', S, 'latest']],
    // pre-release: only {{version}}, no latest
    ['tag v2.0.8-beta.67', ['2.0.8-beta.67', S]],
    // not semver: the semver rules give nothing
    ['tag 1.2', [S]],
    ['tag 20200110-RC2', [S]],
    ['tag 1.2.3rc2', [S]],
    ['tag sometag', [S]],
    ['pull_request', ['pr-15', `sha-${MERGE_SHA.slice(0, 7)}`]],
    ['pull_request_target', ['pr-15', S]],
    ['schedule', ['master', S]],
    ['workflow_dispatch', ['master', S]],
    ['release created', ['1.1.0', '1.1', '1', S, 'latest']],
    ['branch with invalid tag characters', ['fix-ber-id-', S]],
  ],
);

table(
  'semver {{raw}} keeps a pre-release as tagged',
  ['type=semver,pattern={{raw}}'],
  [
    ['tag v1.2.3', ['v1.2.3', 'latest']],
    ['tag v2.0.8-beta.67', ['v2.0.8-beta.67']],
  ],
);

table(
  'pep440 set',
  ['type=pep440,pattern={{version}}', 'type=pep440,pattern={{major}}.{{minor}}'],
  [
    ['push default branch', []],
    ['tag v1.2.3', ['1.2.3', '1.2', 'latest']],
    // pre/dev/post releases: only the cleaned version
    ['tag v2.0.8-beta.67', ['2.0.8b67']],
    ['tag 1.2', ['1.2', 'latest']],
    ['tag 20200110-RC2', ['20200110rc2']],
    ['tag 1.2.3rc2', ['1.2.3rc2']],
    ['tag sometag', []],
    ['release created', ['1.1.0', '1.1', 'latest']],
    ['pull_request', []],
  ],
);

table(
  'match \\d+ (group 0)',
  ['type=match,pattern=\\d+'],
  [
    ['tag v1.2.3', ['1', 'latest']],
    ['tag 20200110-RC2', ['20200110', 'latest']],
    ['tag 1.2.3rc2', ['1', 'latest']],
    ['tag sometag', []],
    ['push default branch', []],
  ],
);

table(
  'match v(\\d.\\d) group 1 and /regex/flags',
  ['type=match,pattern=v(\\d.\\d),group=1', 'type=match,pattern=/^V(\\d+)/i,group=1'],
  [
    ['tag v1.2.3', ['1.2', '1', 'latest']],
    ['tag v2.0.8-beta.67', ['2.0', '2', 'latest']],
    ['tag 1.2', []],
  ],
);

table(
  'edge, latest on the default branch, long sha',
  ['type=edge', 'type=raw,value=latest,enable={{is_default_branch}}', 'type=sha,format=long'],
  [
    ['push default branch', ['edge', 'latest', SL]],
    ['push other branch', [SL]],
    ['tag v1.2.3', [SL]],
    ['workflow_dispatch', ['edge', 'latest', SL]],
    // the schedule payload has no repository: without the API the default branch is unknown (no edge),
    // but a schedule always runs on the default branch (is_default_branch = true)
    ['schedule', ['latest', SL]],
    ['pull_request', [`sha-${MERGE_SHA}`]],
  ],
);

table(
  'schedule patterns with moment formats and tz',
  ["type=schedule,pattern={{date 'YYYYMMDD'}}", "type=schedule,pattern={{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}"],
  [
    ['schedule', ['20200110', '20200110-093000']],
    ['push default branch', []],
  ],
);

table(
  'bare lines are literal tags (type=raw)',
  ['v1', 'latest'],
  [
    ['push other branch', ['v1', 'latest']],
    ['pull_request', ['v1', 'latest']],
  ],
);

table(
  'global expressions in value and prefix',
  [
    'type=raw,value=mytag-{{branch}}-{{sha}}',
    'type=sha,prefix={{branch}}-,priority=300',
    'type=raw,value={{tag}},priority=250',
    'type=raw,value=base-{{base_ref}},priority=150',
  ],
  [
    ['push other branch', ['feature-new-ui-860c190', 'mytag-feature-new-ui-860c190', 'base-']],
    // {{branch}} is empty on tags; {{base_ref}} comes from the push payload's base_ref
    ['tag v1.2.3', ['860c190', 'v1.2.3', 'mytag--860c190', 'base-master']],
    ['pull_request', ['a1b2c3d', 'mytag--a1b2c3d', 'base-master']],
  ],
);

describe('schedule with repository data from the API', () => {
  test('the default branch known: edge applies', () => {
    const meta = metaContext('schedule');
    meta.repo.defaultBranch = 'master';
    expect(bare(plan(meta, { tags: ['type=edge', 'type=raw,value=latest,enable={{is_default_branch}}'] }))).toEqual([
      'edge',
      'latest',
    ]);
  });
});
