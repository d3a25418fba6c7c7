import { runLogin } from '../../../../src/stages/login/act.js';
import { fakeExec } from '../../fakes.js';

describe('login act', () => {
  // no docker CLI is not a wrong password
  test('runLogin without a docker CLI says so, not "check the username and password"', async () => {
    const exec = async () => ({
      code: 127,
      stdout: '',
      stderr: 'docker: command not found (not on PATH); cannot run docker login',
    });
    const err = await runLogin([{ registry: 'r.io', username: 'u', password: 'p' }], '/job', {
      exec,
      log: () => undefined,
      warn: () => undefined,
      loggedIn: () => undefined,
    }).catch((e: Error) => e);
    expect((err as Error).message).toBe(
      'docker CLI not found on PATH: install Docker (the docker CLI with its buildx plugin) or put it on PATH',
    );
  });

  test('a real exit code 127 (not a missing program) is still a failed login', async () => {
    const exec = async () => ({ code: 127, stdout: '', stderr: 'some error' });
    await expect(
      runLogin([{ registry: 'r.io', username: 'u', password: 'p' }], '/job', {
        exec,
        log: () => undefined,
        warn: () => undefined,
        loggedIn: () => undefined,
      }),
    ).rejects.toThrow(/Check the username/);
  });

  test('runLogin: password on stdin, DOCKER_CONFIG in env, silent; failure names the registry', async () => {
    const exec = fakeExec((req) =>
      req.argv.includes('bad.io')
        ? {
            code: 1,
            stdout: '',
            stderr:
              'Error response from daemon: login attempt to https://bad.io/v2/ failed with status: 401 Unauthorized\n',
          }
        : { code: 0, stdout: 'Login Succeeded\n', stderr: 'WARNING! Your password will be stored unencrypted\n' },
    );
    const { calls } = exec;
    const logs: string[] = [];
    const recorded: string[] = [];
    const deps = {
      exec,
      log: (m: string) => void logs.push(m),
      warn: () => undefined,
      loggedIn: (r: string) => void recorded.push(r),
    };
    await expect(runLogin([{ registry: 'ok.io', username: 'u', password: 'pw1' }], '/job', deps)).resolves.toEqual([
      'ok.io',
    ]);
    expect(calls[0]).toEqual({
      argv: ['docker', 'login', '--username', 'u', '--password-stdin', '--', 'ok.io'],
      stdin: 'pw1',
      env: { DOCKER_CONFIG: '/job' },
      silent: true,
    });
    expect(logs).toEqual(['logged in to ok.io as u']);
    // a later failure: the earlier login was already recorded, so post logs out of it
    await expect(
      runLogin(
        [
          { registry: 'ok.io', username: 'u', password: 'pw1' },
          { registry: 'bad.io', username: 'u', password: 'pw2' },
        ],
        '/job',
        deps,
      ),
    ).rejects.toThrow(
      /^login to bad.io as u failed: Error response from daemon: .*401 Unauthorized\. Check the username and password/,
    );
    expect(recorded).toEqual(['ok.io', 'ok.io']);
  });
});
