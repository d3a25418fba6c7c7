/**
 * The real exec gateway on small real processes (node itself): the echoed command and streamed
 * output are safe log lines, a synchronous spawn failure (E2BIG) and a missing tool are results,
 * a timeout kills the whole process tree and names the command, an abort stops every process.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { EXIT_NOT_FOUND } from '../../../src/errors.js';
import {
  childEnv,
  COMMAND_LOG_MAX,
  commandLine,
  commandName,
  createExec,
  type ExecRequest,
  EXIT_CANNOT_RUN,
  EXIT_TIMED_OUT,
  withDebug,
  withEnv,
  withheldVariable,
} from '../../../src/ports/exec.js';
import { HOSTILE, runnerCommands } from '../runner-log.js';

const node = process.execPath;
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('exec gateway', () => {
  test('the echoed [command] line and streamed output start no runner command', async () => {
    let log = '';
    const exec = createExec(process.env, { write: (t) => (log += t) });
    const script = `for (const v of ${JSON.stringify(HOSTILE)}) { process.stdout.write(v + '\\n'); process.stderr.write(v + '\\n'); }`;
    const res = await exec({ argv: [node, '-e', script, ...HOSTILE] });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('::error::injected-lf');
    expect(log).toContain('[command]');
    expect(log).toContain('injected-legacy');
    expect(runnerCommands(log)).toEqual([]);
  });

  test('silent: nothing is printed, output is returned', async () => {
    let log = '';
    const exec = createExec(process.env, { write: (t) => (log += t) });
    const res = await exec({ argv: [node, '-e', 'console.log("hi"); process.exit(3)'], silent: true });
    expect(res).toMatchObject({ code: 3, stdout: 'hi\n' });
    expect(log).toBe('');
  });

  test('stdin reaches the process; a process that does not read it is fine', async () => {
    const exec = createExec();
    const res = await exec({ argv: [node, '-e', 'process.stdin.pipe(process.stdout)'], stdin: 'pw', silent: true });
    expect(res.stdout).toBe('pw');
    expect((await exec({ argv: [node, '-e', ''], stdin: 'x'.repeat(1 << 20), silent: true })).code).toBe(0);
  });

  test('a 300 kB argument (spawn E2BIG, thrown synchronously) is a failed result naming the command', async () => {
    const exec = createExec();
    const res = await exec({
      argv: ['docker', 'buildx', 'build', '--label', `x=${'a'.repeat(300_000)}`, '.'],
      silent: true,
    });
    expect(res.code).toBe(EXIT_CANNOT_RUN);
    expect(res.stderr).toMatch(
      /cannot start docker buildx build: its command line is too long .*E2BIG.*300002 characters/,
    );
    expect(res.stderr.length).toBeLessThan(400);
  });

  test('180k arguments (spawn E2BIG): a failed result with counts, no stack overflow, a capped [command] line', async () => {
    let log = '';
    const exec = createExec(process.env, { write: (t) => (log += t) });
    const tags = Array.from({ length: 90_000 }, (_, i) => ['--tag', `r.example/a:\n::error::x-${i}`]).flat();
    const res = await exec({ argv: ['docker', 'buildx', 'build', ...tags, '.'], timeoutMs: 5000 });
    expect(res.code).toBe(EXIT_CANNOT_RUN);
    expect(res.stderr).toMatch(/too long for the system \(spawn E2BIG; 180004 arguments, \d+ characters in all/);
    expect(log.length).toBeLessThan(COMMAND_LOG_MAX + 200);
    expect(log).toMatch(/… \(\d+ more argument\(s\), \d+ characters, not shown\)/);
    expect(runnerCommands(log)).toEqual([]);
  });

  test('an environment variable over 128 KiB (spawn E2BIG) is named as the cause', async () => {
    const exec = createExec({ ...process.env, BIG_VALUE: 'v'.repeat(200_000) });
    const res = await exec({ argv: [node, '-e', ''], silent: true });
    expect(res.code).toBe(EXIT_CANNOT_RUN);
    expect(res.stderr).toMatch(/the environment variable BIG_VALUE alone has 200010 characters/);
  });

  test('commandLine: short argv as given, long ones cut at COMMAND_LOG_MAX with what was left out', () => {
    expect(commandLine(['docker', 'buildx', '-t', 'a'])).toBe('docker buildx -t a');
    const line = commandLine(['docker', 'x'.repeat(100_000), 'y']);
    expect(line).toBe('docker … (2 more argument(s), 100003 characters, not shown)');
  });

  test('a missing tool is exit 127 with a message naming it', async () => {
    const res = await createExec()({ argv: ['no-such-tool-xyz', 'login'], silent: true });
    expect(res.code).toBe(EXIT_NOT_FOUND);
    expect(res.stderr).toMatch(/no-such-tool-xyz: command not found/);
  });

  test('timeoutMs: the process and its children are killed, the result names the command', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exec-timeout-'));
    const pidFile = path.join(dir, 'pid');
    // a child that starts a grandchild which would sleep for an hour
    const script = `const c = require('child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 3600e3)'], { stdio: 'inherit' }); require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(c.pid)); setTimeout(() => {}, 3600e3);`;
    const res = await createExec()({ argv: [node, '-e', script, 'image', 'rm'], timeoutMs: 1500, silent: true });
    expect(res).toMatchObject({ code: EXIT_TIMED_OUT, timedOut: true });
    expect(res.stderr).toMatch(/did not answer within 2 s and was stopped/);
    const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
    for (let i = 0; i < 50 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(grandchild)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('MULTIARCH_COMMAND_TIMEOUT bounds a request that sets none; timeoutMs 0 is unbounded', async () => {
    const exec = createExec({ ...process.env, MULTIARCH_COMMAND_TIMEOUT: '1' });
    expect((await exec({ argv: [node, '-e', 'setTimeout(() => {}, 60e3)'], silent: true })).timedOut).toBe(true);
    expect((await exec({ argv: [node, '-e', 'setTimeout(() => {}, 1500)'], silent: true, timeoutMs: 0 })).code).toBe(0);
  });

  test('abort: every running process is stopped, none starts after', async () => {
    const stop = new AbortController();
    const exec = createExec(process.env, { signal: stop.signal });
    const running = exec({ argv: [node, '-e', 'setTimeout(() => {}, 60e3)'], silent: true, timeoutMs: 0 });
    setTimeout(() => stop.abort(), 300);
    expect((await running).code).toBe(137);
    expect((await exec({ argv: [node, '-e', ''], silent: true })).code).toBe(130);
  });

  test('commandName: the first words, not the values', () => {
    expect(commandName(['docker', 'buildx', 'imagetools', 'inspect', '--raw', 'x'])).toBe(
      'docker buildx imagetools inspect',
    );
    expect(commandName(['docker', 'login', '--username', 'u'])).toBe('docker login');
    expect(commandName(['docker', 'image', 'rm', 'a'.repeat(100)])).toBe('docker image rm');
  });
});

test('a NUL byte in an argument (e.g. from an event field) is a failed result naming the argument', async () => {
  const res = await createExec()({
    argv: ['docker', 'buildx', 'build', '--label', 'org.opencontainers.image.description=a\0b', '.'],
    silent: true,
  });
  expect(res.code).toBe(EXIT_CANNOT_RUN);
  expect(res.stderr).toMatch(/argument 4 \("org\.opencontainers\.image\.description=a\\0b"…\) contains a NUL byte/);
});

describe('withEnv', () => {
  test("withEnv overlays every request; a request's own env wins", async () => {
    const seen: ExecRequest[] = [];
    const exec = withEnv(
      async (req) => {
        seen.push(req);
        return { code: 0, stdout: '', stderr: '' };
      },
      { DOCKER_CONFIG: '/job' },
    );
    await exec({ argv: ['docker', 'info'] });
    await exec({ argv: ['docker', 'x'], env: { A: '1', DOCKER_CONFIG: '/other' } });
    expect(seen.map((r) => r.env)).toEqual([{ DOCKER_CONFIG: '/job' }, { DOCKER_CONFIG: '/other', A: '1' }]);
  });
});

describe('the debug tier of the gateway', () => {
  test("argv as JSON, the names of set variables, the exit code and a probe's answer; never stdin or env values", async () => {
    const lines: string[] = [];
    const inner = async () => ({ code: 3, stdout: 'probe says\n::error::x\n', stderr: '' });
    const exec = withDebug(inner, (m) => lines.push(m));
    await exec({
      argv: ['docker', 'login', '--password-stdin', '-u', 'me'],
      stdin: 'pw-secret',
      env: { TOKEN: 'tok' },
      silent: true,
    });
    expect(lines[0]).toBe('exec: ["docker","login","--password-stdin","-u","me"] with TOKEN set');
    expect(lines[1]).toMatch(/^exec: docker login: exit 3, answered: probe says\n::error::x$/);
    expect(lines.join('\n')).not.toMatch(/pw-secret|tok\b/);
  });

  test("a 100 kB argument is clipped with its length; a loud command's output is not repeated", async () => {
    const lines: string[] = [];
    const exec = withDebug(
      async () => ({ code: 0, stdout: 'x'.repeat(10), stderr: '' }),
      (m) => lines.push(m),
    );
    await exec({ argv: ['docker', 'x'.repeat(100_000)] });
    expect(lines[0]!.length).toBeLessThan(4100);
    expect(lines[0]).toMatch(/… \(100\d{3} characters\)$/);
    expect(lines[1]).toBe('exec: docker: exit 0');
  });
});

describe('what a child process inherits', () => {
  const runner = {
    PATH: '/usr/bin:/bin',
    HOME: '/home/runner',
    DOCKER_HOST: 'unix:///run/docker.sock',
    BUILDX_BUILDER: 'b',
    BUILDKIT_PROGRESS: 'plain',
    HTTPS_PROXY: 'http://proxy:3128',
    no_proxy: 'localhost',
    SSH_AUTH_SOCK: '/tmp/agent.sock',
    SOURCE_DATE_EPOCH: '0',
    TMPDIR: '/tmp',
    KUBECONFIG: '/k',
    AWS_REGION: 'eu-west-1',
    MY_NPM_TOKEN: 'user-secret-env',
    RUNNER_TEMP: '/rt',
    GITHUB_WORKSPACE: '/ws',
    'INPUT_GITHUB-TOKEN': 'marker-input-token',
    INPUT_PASSWORD: 'marker-input-password',
    STATE_dockerConfig: '/dc',
    ACTIONS_RUNTIME_TOKEN: 'marker-runtime',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'marker-oidc',
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc',
    ACTIONS_CACHE_URL: 'https://cache',
    ACTIONS_RESULTS_URL: 'https://results',
    ACTIONS_CACHE_SERVICE_V2: 'True',
    GITHUB_ENV: '/f/env',
    GITHUB_OUTPUT: '/f/out',
    GITHUB_PATH: '/f/path',
    GITHUB_STATE: '/f/state',
    GITHUB_STEP_SUMMARY: '/f/summary',
    input_lower: 'marker-lower',
  };

  test('withheldVariable: the inputs, state, ACTIONS_* and the command files; nothing docker, proxies, ssh or user env', () => {
    const withheld = Object.keys(runner).filter(withheldVariable);
    expect(withheld.sort()).toEqual(
      [
        'INPUT_GITHUB-TOKEN',
        'INPUT_PASSWORD',
        'STATE_dockerConfig',
        'ACTIONS_RUNTIME_TOKEN',
        'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
        'ACTIONS_ID_TOKEN_REQUEST_URL',
        'ACTIONS_CACHE_URL',
        'ACTIONS_RESULTS_URL',
        'ACTIONS_CACHE_SERVICE_V2',
        'GITHUB_ENV',
        'GITHUB_OUTPUT',
        'GITHUB_PATH',
        'GITHUB_STATE',
        'GITHUB_STEP_SUMMARY',
        'input_lower',
      ].sort(),
    );
  });

  test("childEnv: the runner's environment less the withheld; a request's own env passes, the gha token too", () => {
    const env = childEnv(runner, { ACTIONS_RUNTIME_TOKEN: 'given-for-gha', DOCKER_CONFIG: '/job' });
    expect(Object.keys(env).filter(withheldVariable)).toEqual(['ACTIONS_RUNTIME_TOKEN']);
    expect(env.ACTIONS_RUNTIME_TOKEN).toBe('given-for-gha');
    for (const k of [
      'PATH',
      'HOME',
      'DOCKER_HOST',
      'HTTPS_PROXY',
      'no_proxy',
      'SSH_AUTH_SOCK',
      'MY_NPM_TOKEN',
      'KUBECONFIG',
    ])
      expect(env[k]).toBe(runner[k as keyof typeof runner]);
    expect(JSON.stringify(childEnv(runner, undefined))).not.toMatch(/marker-/);
  });

  test('a real process started through the gateway sees no INPUT_*, ACTIONS_* or STATE_* of the runner', async () => {
    const exec = createExec({ ...runner, PATH: process.env.PATH }, { write: () => undefined });
    const res = await exec({
      argv: [node, '-e', 'process.stdout.write(JSON.stringify(process.env))'],
      env: { ACTIONS_CACHE_URL: 'https://given' },
      silent: true,
    });
    const seen = JSON.parse(res.stdout) as Record<string, string>;
    expect(res.stdout).not.toMatch(/marker-/);
    expect(Object.keys(seen).filter(withheldVariable)).toEqual(['ACTIONS_CACHE_URL']);
    expect(seen.MY_NPM_TOKEN).toBe('user-secret-env');
  });
});
