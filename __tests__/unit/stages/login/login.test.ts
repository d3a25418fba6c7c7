import { Collector } from '../../../../src/inputs/collect.js';
import { loginSecretValues, parseLoginInputs } from '../../../../src/inputs/login.js';
import { withEnv, type ExecRequest } from '../../../../src/ports/exec.js';
import { loginArgv, logoutArgv, planLogin, runLogin } from '../../../../src/stages/login/login.js';

const getter = (inputs: Record<string, string>) => (n: string) => inputs[n] ?? '';
function parse(inputs: Record<string, string>) {
  const c = new Collector();
  const out = parseLoginInputs(getter(inputs), c);
  return { out, errors: c.errors.map((e) => e.message) };
}

describe('login inputs', () => {
  test.each<[string, Record<string, string>, { logins: { registry: string; username: string; password: string }[]; loginsWithoutPassword: string[] }]>([
    ['nothing', {}, { logins: [], loginsWithoutPassword: [] }],
    ['one registry', { registry: 'ghcr.io', username: 'u', password: 'p' }, { logins: [{ registry: 'ghcr.io', username: 'u', password: 'p' }], loginsWithoutPassword: [] }],
    ['Docker Hub (no registry)', { username: 'u', password: 'p' }, { logins: [{ registry: '', username: 'u', password: 'p' }], loginsWithoutPassword: [] }],
    ['fork pull request: username, empty password', { registry: 'ghcr.io', username: 'octocat', password: '' }, { logins: [], loginsWithoutPassword: ['ghcr.io'] }],
    ['registry alone', { registry: 'ghcr.io' }, { logins: [], loginsWithoutPassword: [] }],
    [
      'registry-auth list',
      { 'registry-auth': '- registry: a.io\n  username: ua\n  password: pa\n- registry: b.io:5000\n  username: ub\n  password: "p: b#1"\n- username: hub\n  password: ph\n' },
      { logins: [{ registry: 'a.io', username: 'ua', password: 'pa' }, { registry: 'b.io:5000', username: 'ub', password: 'p: b#1' }, { registry: '', username: 'hub', password: 'ph' }], loginsWithoutPassword: [] },
    ],
    ['registry-auth entry with an empty password', { 'registry-auth': '- registry: ghcr.io\n  username: u\n  password: ""\n' }, { logins: [], loginsWithoutPassword: ['ghcr.io'] }],
    ['registry-auth empty document', { 'registry-auth': '# nothing\n' }, { logins: [], loginsWithoutPassword: [] }],
  ])('%s', (_n, inputs, want) => {
    const { out, errors } = parse(inputs);
    expect(errors).toEqual([]);
    expect(out).toEqual({ ...want, logout: true });
  });

  test.each<[Record<string, string>, RegExp]>([
    [{ password: 'p' }, /^Input "password": a password is given for docker.io but no username/],
    [{ registry: 'https://ghcr.io', username: 'u', password: 'p' }, /^Input "password": registry "https:\/\/ghcr.io" is not a registry host/],
    [{ 'registry-auth': 'registry: x\nusername: u' }, /^Input "registry-auth": must be a YAML list/],
    [{ 'registry-auth': '- [a, b]' }, /^Input "registry-auth": entry 1 must be a mapping/],
    [{ 'registry-auth': '- registry: x\n  password: [unclosed "SECRETVALUE' }, /^Input "registry-auth": is not valid YAML/],
    [{ 'registry-auth': '- registry: x.io\n  password: SECRETVALUE' }, /^Input "registry-auth": entry 1: a password is given for x.io but no username/],
    // as docker/login-action: one form or the other, never both
    [{ registry: 'a.io', username: 'u', password: 'SECRETVALUE', 'registry-auth': '- registry: b.io\n  username: u\n  password: SECRETVALUE' }, /^Input "registry-auth": cannot be combined with registry, username, password/],
  ])('%j is refused without echoing a password', (inputs, want) => {
    const { errors } = parse(inputs);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(want);
    expect(errors[0]).not.toContain('SECRETVALUE');
  });

  test('loginSecretValues: both forms, leniently', () => {
    expect(loginSecretValues(getter({ password: 'p1', 'registry-auth': '- registry: x\n  username: u\n  password: p2\n' }))).toEqual(['p1', 'p2']);
    expect(loginSecretValues(getter({ 'registry-auth': ': : bad [' }))).toEqual([]);
  });
});

describe('login plan', () => {
  const L = { registry: 'ghcr.io', username: 'u', password: 'p' };
  test.each<[string, Parameters<typeof planLogin>, number, RegExp[]]>([
    ['credentials: login, even without a push (private base images)', [{ logins: [L], loginsWithoutPassword: [] }, false, 'push'], 1, []],
    ['no credentials, nothing to push: skipped', [{ logins: [], loginsWithoutPassword: [] }, false, 'pull_request'], 0, [/login skipped/]],
    ['fork pull request', [{ logins: [], loginsWithoutPassword: ['ghcr.io'] }, false, 'pull_request'], 0, [/no password for ghcr.io: not logging in \(secrets are empty in pull requests from forks\)/]],
    ['push without a password warns', [{ logins: [], loginsWithoutPassword: ['ghcr.io'] }, true, 'push'], 0, [/the push may be refused/]],
  ])('%s', (_n, args, count, notes) => {
    const plan = planLogin(...args);
    expect(plan.logins).toHaveLength(count);
    expect(plan.notes.map((n) => n.message)).toEqual(notes.map(() => expect.anything()));
    notes.forEach((re, i) => expect(plan.notes[i]!.message).toMatch(re));
    if (args[1] && args[0].loginsWithoutPassword.length) expect(plan.notes[0]!.level).toBe('warning');
  });

  test('argv: the password is never in it', () => {
    expect(loginArgv({ registry: 'ghcr.io', username: 'u' })).toEqual(['docker', 'login', '--username', 'u', '--password-stdin', '--', 'ghcr.io']);
    expect(loginArgv({ registry: '', username: 'u' })).toEqual(['docker', 'login', '--username', 'u', '--password-stdin']);
    expect(logoutArgv('ghcr.io')).toEqual(['docker', 'logout', '--', 'ghcr.io']);
    expect(logoutArgv('')).toEqual(['docker', 'logout']);
  });
});

describe('login act', () => {
  // issue 15, finding 13: no docker CLI is not a wrong password
  test('runLogin without a docker CLI says so, not "check the username and password"', async () => {
    const exec = async () => ({ code: 127, stdout: '', stderr: 'docker: command not found (not on PATH); cannot run docker login' });
    const err = await runLogin([{ registry: 'r.io', username: 'u', password: 'p' }], '/job', { exec, log: () => undefined, loggedIn: () => undefined }).catch((e: Error) => e);
    expect((err as Error).message).toBe('docker CLI not found on PATH: install Docker (the docker CLI with its buildx plugin) or put it on PATH');
  });

  test('a real exit code 127 (not a missing program) is still a failed login', async () => {
    const exec = async () => ({ code: 127, stdout: '', stderr: 'some error' });
    await expect(runLogin([{ registry: 'r.io', username: 'u', password: 'p' }], '/job', { exec, log: () => undefined, loggedIn: () => undefined })).rejects.toThrow(/Check the username/);
  });

  test('runLogin: password on stdin, DOCKER_CONFIG in env, silent; failure names the registry', async () => {
    const calls: ExecRequest[] = [];
    const exec = async (req: ExecRequest) => {
      calls.push(req);
      return req.argv.includes('bad.io')
        ? { code: 1, stdout: '', stderr: 'Error response from daemon: login attempt to https://bad.io/v2/ failed with status: 401 Unauthorized\n' }
        : { code: 0, stdout: 'Login Succeeded\n', stderr: 'WARNING! Your password will be stored unencrypted\n' };
    };
    const logs: string[] = [];
    const recorded: string[] = [];
    const deps = { exec, log: (m: string) => void logs.push(m), loggedIn: (r: string) => void recorded.push(r) };
    await expect(runLogin([{ registry: 'ok.io', username: 'u', password: 'pw1' }], '/job', deps)).resolves.toEqual(['ok.io']);
    expect(calls[0]).toEqual({ argv: ['docker', 'login', '--username', 'u', '--password-stdin', '--', 'ok.io'], stdin: 'pw1', env: { DOCKER_CONFIG: '/job' }, silent: true });
    expect(logs).toEqual(['logged in to ok.io as u']);
    // a later failure: the earlier login was already recorded, so post logs out of it
    await expect(
      runLogin([{ registry: 'ok.io', username: 'u', password: 'pw1' }, { registry: 'bad.io', username: 'u', password: 'pw2' }], '/job', deps),
    ).rejects.toThrow(/^login to bad.io as u failed: Error response from daemon: .*401 Unauthorized\. Check the username and password/);
    expect(recorded).toEqual(['ok.io', 'ok.io']);
  });

  test('withEnv overlays every request; a request\'s own env wins', async () => {
    const seen: ExecRequest[] = [];
    const exec = withEnv(async (req) => {
      seen.push(req);
      return { code: 0, stdout: '', stderr: '' };
    }, { DOCKER_CONFIG: '/job' });
    await exec({ argv: ['docker', 'info'] });
    await exec({ argv: ['docker', 'x'], env: { A: '1', DOCKER_CONFIG: '/other' } });
    expect(seen.map((r) => r.env)).toEqual([{ DOCKER_CONFIG: '/job' }, { DOCKER_CONFIG: '/other', A: '1' }]);
  });
});
