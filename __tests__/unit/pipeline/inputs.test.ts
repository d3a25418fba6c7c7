import { runMain } from '../../../src/pipeline/main.js';
import { fakeDeps, fakeExec, fakeFiles, fakeHost } from '../fakes.js';

const ws = { '/ws/Dockerfile': 'FROM scratch\n' };
const run = async (inputs: Record<string, string>, env: Record<string, string> = {}) => {
  const host = fakeHost({ platforms: 'linux/amd64', push: 'auto', context: '.', images: 'ghcr.io/o/app', ...inputs });
  const exec = fakeExec();
  await runMain(
    fakeDeps(host, exec, fakeFiles(ws), { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', ...env }),
  );
  return { host, exec };
};

// mistakes in expressions and credentials that the inputs and the event decide: input errors,
// naming the input, before any command (the meta stage found them only after login and the probes)
describe('the validation render and the credential rules run in the input pass', () => {
  test.each<[string, Record<string, string>, string, RegExp]>([
    [
      '{{ unclosed in a tag value',
      { tags: 'type=raw,value={{branch' },
      'tags',
      /"type=raw,value=\{\{branch" \(value\): an expression is not closed/,
    ],
    [
      'unknown global expression',
      { tags: 'type=raw,value={{brnch}}' },
      'tags',
      /unknown expression "brnch" \(known: branch, tag, sha/,
    ],
    [
      'unknown date attribute',
      { tags: "type=raw,value={{date 'YYYY' zone='UTC'}}" },
      'tags',
      /unknown date attribute "zone"/,
    ],
    [
      'unknown time zone',
      { tags: "type=raw,value={{date 'YYYY' tz='Mars/Base'}}" },
      'tags',
      /unknown time zone "Mars\/Base"/,
    ],
    ['a non-text date format', { tags: 'type=raw,value={{date 5}}' }, 'tags', /date format must be quoted text/],
    [
      'enable= that is not true/false after rendering',
      { tags: 'type=raw,value=x,enable={{branch}}' },
      'tags',
      /\(enable\): renders to "main" on this event, must be true or false/,
    ],
    ['a tag prefix expression', { tags: 'type=sha,prefix={{nope}}-' }, 'tags', /\(prefix\): unknown expression "nope"/],
    [
      'a semver pattern with an unknown name',
      { tags: 'type=semver,pattern={{majr}}' },
      'tags',
      /\(pattern\): unknown expression "majr" \(known: raw, version, major, minor, patch\)/,
    ],
    [
      'a schedule pattern',
      { tags: "type=schedule,pattern={{date 'YYYY'" },
      'tags',
      /\(pattern\): an expression is not closed/,
    ],
    [
      'a match pattern that is no regular expression',
      { tags: 'type=match,pattern=v(' },
      'tags',
      /pattern is not a valid regular expression/,
    ],
    [
      'a label',
      { labels: 'org.example.branch={{branch' },
      'labels',
      /"org.example.branch=\{\{branch": an expression is not closed/,
    ],
    ['an annotation', { annotations: 'a={{foo}}' }, 'annotations', /unknown expression "foo"/],
    ['a flavor prefix', { flavor: 'prefix={{bad}}-' }, 'flavor', /prefix: unknown expression "bad"/],
    [
      'both login forms',
      {
        registry: 'ghcr.io',
        username: 'u',
        password: 'p',
        'registry-auth': '- registry: r.io\n  username: a\n  password: b\n',
      },
      'registry-auth',
      /cannot be combined with registry, username, password \(as docker\/login-action\)/,
    ],
    [
      'one registry twice in registry-auth',
      {
        'registry-auth':
          '- registry: r.io\n  username: a\n  password: b\n- registry: r.io\n  username: c\n  password: d\n',
      },
      'registry-auth',
      /entry 2: r.io is already logged in to by entry 1/,
    ],
    [
      'a username without a password on a run that pushes',
      { registry: 'ghcr.io', username: 'u', password: '' },
      'password',
      /for ghcr.io but its password is empty, and this run pushes \(push: auto on a push event\)/,
    ],
  ])('%s', async (_n, inputs, input, why) => {
    const { host, exec } = await run(inputs);
    expect(host.failed).toBe(true);
    expect(host.errors).toEqual([expect.stringMatching(new RegExp(`^Input "${input}": .*${why.source}`))]);
    expect(exec.calls).toEqual([]);
  });

  test('an expression valid on this event passes, and a username without a password is fine when nothing is pushed', async () => {
    const { host } = await run({
      tags: "type=raw,value={{branch}}-{{date 'YYYYMMDD' tz='Europe/Paris'}},enable={{is_default_branch}}\ntype=semver,pattern={{major}}.{{minor}}",
      labels: 'x={{sha}}',
      flavor: 'suffix=-{{branch}}',
      registry: 'ghcr.io',
      username: 'u',
      push: 'false',
      'dry-run': 'true',
    });
    expect(host.errors.filter((e) => e.startsWith('Input'))).toEqual([]);
  });

  test('a fork pull request (empty password, push: auto) builds without logging in', async () => {
    const { host } = await run(
      { registry: 'ghcr.io', username: 'u', 'dry-run': 'true' },
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' },
    );
    expect(host.errors.filter((e) => e.startsWith('Input'))).toEqual([]);
  });
});

describe('the parsed inputs at the debug tier', () => {
  test('every input is shown with passwords, the token and build secret values as ***', async () => {
    const { host } = await run({
      'github-token': 'ghs_token',
      tags: 'type=raw,value=v1',
      secrets: 'npm=s3cr3t\nother=::error::hostile',
      'registry-auth':
        '- registry: ghcr.io\n  username: octo\n  password: pw-123\n- registry: docker.io\n  username: u\n  password: auth-pw',
    });
    const line = host.debugs.find((d) => d.startsWith('inputs: '))!;
    expect(line).toContain('"images":["ghcr.io/o/app"]');
    // a tag rule's value is no secret: it stays readable
    expect(line).toMatch(/"attrs":\{"value":"v1"/);
    expect(line).toContain('"id":"npm","value":"***"');
    for (const secret of ['pw-123', 'ghs_token', 's3cr3t', 'hostile', 'auth-pw']) expect(line).not.toContain(secret);
    expect(host.debugs.find((d) => d.startsWith('push: '))).toMatch(/"enabled":true/);
  });
});
