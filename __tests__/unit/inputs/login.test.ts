import { Collector } from '../../../src/inputs/collect.js';
import { loginSecretValues, parseLoginInputs } from '../../../src/inputs/login.js';

const getter = (inputs: Record<string, string>) => (n: string) => inputs[n] ?? '';
function parse(inputs: Record<string, string>) {
  const c = new Collector();
  const out = parseLoginInputs(getter(inputs), c);
  return { out, errors: c.errors.map((e) => e.message) };
}

describe('login inputs', () => {
  test.each<
    [
      string,
      Record<string, string>,
      { logins: { registry: string; username: string; password: string }[]; loginsWithoutPassword: string[] },
    ]
  >([
    ['nothing', {}, { logins: [], loginsWithoutPassword: [] }],
    [
      'one registry',
      { registry: 'ghcr.io', username: 'u', password: 'p' },
      { logins: [{ registry: 'ghcr.io', username: 'u', password: 'p' }], loginsWithoutPassword: [] },
    ],
    [
      'Docker Hub (no registry)',
      { username: 'u', password: 'p' },
      { logins: [{ registry: '', username: 'u', password: 'p' }], loginsWithoutPassword: [] },
    ],
    [
      'fork pull request: username, empty password',
      { registry: 'ghcr.io', username: 'octocat', password: '' },
      { logins: [], loginsWithoutPassword: ['ghcr.io'] },
    ],
    ['registry alone', { registry: 'ghcr.io' }, { logins: [], loginsWithoutPassword: [] }],
    [
      'registry-auth list',
      {
        'registry-auth':
          '- registry: a.io\n  username: ua\n  password: pa\n- registry: b.io:5000\n  username: ub\n  password: "p: b#1"\n- username: hub\n  password: ph\n',
      },
      {
        logins: [
          { registry: 'a.io', username: 'ua', password: 'pa' },
          { registry: 'b.io:5000', username: 'ub', password: 'p: b#1' },
          { registry: '', username: 'hub', password: 'ph' },
        ],
        loginsWithoutPassword: [],
      },
    ],
    [
      'registry-auth entry with an empty password',
      { 'registry-auth': '- registry: ghcr.io\n  username: u\n  password: ""\n' },
      { logins: [], loginsWithoutPassword: ['ghcr.io'] },
    ],
    ['registry-auth empty document', { 'registry-auth': '# nothing\n' }, { logins: [], loginsWithoutPassword: [] }],
  ])('%s', (_n, inputs, want) => {
    const { out, errors } = parse(inputs);
    expect(errors).toEqual([]);
    expect(out).toEqual({ ...want, logout: true });
  });

  test.each<[Record<string, string>, RegExp]>([
    [{ password: 'p' }, /^Input "password": a password is given for docker.io but no username/],
    [
      { registry: 'https://ghcr.io', username: 'u', password: 'p' },
      /^Input "password": registry "https:\/\/ghcr.io" is not a registry host/,
    ],
    [{ 'registry-auth': 'registry: x\nusername: u' }, /^Input "registry-auth": must be a YAML list/],
    [{ 'registry-auth': '- [a, b]' }, /^Input "registry-auth": entry 1 must be a mapping/],
    [
      { 'registry-auth': '- registry: x\n  password: [unclosed "SECRETVALUE' },
      /^Input "registry-auth": is not valid YAML/,
    ],
    [
      { 'registry-auth': '- registry: x.io\n  password: SECRETVALUE' },
      /^Input "registry-auth": entry 1: a password is given for x.io but no username/,
    ],
    // as docker/login-action: one form or the other, never both
    [
      {
        registry: 'a.io',
        username: 'u',
        password: 'SECRETVALUE',
        'registry-auth': '- registry: b.io\n  username: u\n  password: SECRETVALUE',
      },
      /^Input "registry-auth": cannot be combined with registry, username, password/,
    ],
  ])('%j is refused without echoing a password', (inputs, want) => {
    const { errors } = parse(inputs);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(want);
    expect(errors[0]).not.toContain('SECRETVALUE');
  });

  test('loginSecretValues: both forms, leniently', () => {
    expect(
      loginSecretValues(getter({ password: 'p1', 'registry-auth': '- registry: x\n  username: u\n  password: p2\n' })),
    ).toEqual(['p1', 'p2']);
    expect(loginSecretValues(getter({ 'registry-auth': ': : bad [' }))).toEqual([]);
  });
});
