import { loginArgv, logoutArgv, planLogin } from '../../../../src/stages/login/plan.js';

describe('login plan', () => {
  const L = { registry: 'ghcr.io', username: 'u', password: 'p' };
  test.each<[string, Parameters<typeof planLogin>, number, RegExp[]]>([
    [
      'credentials: login, even without a push (private base images)',
      [{ logins: [L], loginsWithoutPassword: [] }, false, 'push'],
      1,
      [],
    ],
    [
      'no credentials, nothing to push: skipped',
      [{ logins: [], loginsWithoutPassword: [] }, false, 'pull_request'],
      0,
      [/login skipped/],
    ],
    [
      'fork pull request',
      [{ logins: [], loginsWithoutPassword: ['ghcr.io'] }, false, 'pull_request'],
      0,
      [/no password for ghcr.io: not logging in \(secrets are empty in pull requests from forks\)/],
    ],
    [
      'push without a password warns',
      [{ logins: [], loginsWithoutPassword: ['ghcr.io'] }, true, 'push'],
      0,
      [/the push may be refused/],
    ],
  ])('%s', (_n, args, count, notes) => {
    const plan = planLogin(...args);
    expect(plan.logins).toHaveLength(count);
    expect(plan.notes.map((n) => n.message)).toEqual(notes.map(() => expect.anything()));
    notes.forEach((re, i) => expect(plan.notes[i]!.message).toMatch(re));
    if (args[1] && args[0].loginsWithoutPassword.length) expect(plan.notes[0]!.level).toBe('warning');
  });

  test('argv: the password is never in it', () => {
    expect(loginArgv({ registry: 'ghcr.io', username: 'u' })).toEqual([
      'docker',
      'login',
      '--username',
      'u',
      '--password-stdin',
      '--',
      'ghcr.io',
    ]);
    expect(loginArgv({ registry: '', username: 'u' })).toEqual([
      'docker',
      'login',
      '--username',
      'u',
      '--password-stdin',
    ]);
    expect(logoutArgv('ghcr.io')).toEqual(['docker', 'logout', '--', 'ghcr.io']);
    expect(logoutArgv('')).toEqual(['docker', 'logout']);
  });
});
