/**
 * The one signal path (src/ports/signals.ts) and the CLI on it: SIGINT/SIGTERM/SIGHUP stop the run's processes,
 * the post step's cleanup runs (credentials and secret files gone), and the exit code is 130/143/129.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { runCli } from '../../../src/cli/run.js';
import { parseActionSpec } from '../../../src/inputs/action-spec.js';
import { realFiles } from '../../../src/ports/files.js';
import { onStopSignals, type SignalSource, type StopSignal } from '../../../src/ports/signals.js';
import { fakeEngine } from '../fakes.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
const spec = parseActionSpec(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));

function fakeSource() {
  const handlers = new Map<StopSignal, (() => void)[]>();
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((r) => (resolveExit = r));
  const source: SignalSource & { emit(s: StopSignal): void; exited: Promise<number>; count(): number } = {
    on: (s, h) => void handlers.set(s, [...(handlers.get(s) ?? []), h]),
    off: (s, h) =>
      void handlers.set(
        s,
        (handlers.get(s) ?? []).filter((x) => x !== h),
      ),
    exit: (code) => resolveExit(code),
    emit: (s) => (handlers.get(s) ?? []).forEach((h) => h()),
    exited,
    count: () => [...handlers.values()].flat().length,
  };
  return source;
}

describe('onStopSignals', () => {
  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s: abort, then cleanup, then exit %d', async (signal, code) => {
    const source = fakeSource();
    const order: string[] = [];
    onStopSignals(source, {
      abort: () => order.push('abort'),
      cleanup: async () => void order.push('cleanup'),
      removeNow: () => order.push('removeNow'),
      log: () => undefined,
    });
    source.emit(signal);
    expect(await source.exited).toBe(code);
    expect(order).toEqual(['abort', 'cleanup']);
  });

  test('a second signal during the cleanup removes the files at once and exits', async () => {
    const source = fakeSource();
    const order: string[] = [];
    onStopSignals(source, {
      abort: () => undefined,
      cleanup: () => new Promise(() => undefined),
      removeNow: () => order.push('removeNow'),
      log: () => undefined,
    });
    source.emit('SIGINT');
    source.emit('SIGTERM');
    expect(await source.exited).toBe(143);
    expect(order).toEqual(['removeNow']);
  });

  test('removing it leaves no handler', () => {
    const source = fakeSource();
    onStopSignals(source, {
      abort: () => undefined,
      cleanup: async () => undefined,
      removeNow: () => undefined,
      log: () => undefined,
    })();
    expect(source.count()).toBe(0);
  });
});

describe('the CLI on the signal path', () => {
  test.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)(
    '%s during the build: the build is stopped, post cleanup removes the docker config and secret files, exit %d',
    async (signal, code) => {
      const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'clisig-'));
      fs.writeFileSync(path.join(ws, 'Dockerfile'), 'FROM scratch\n');
      const tempParent = fs.mkdtempSync(path.join(os.tmpdir(), 'clisig-tmp-'));
      const source = fakeSource();
      let aborted!: () => void;
      const abortedP = new Promise<void>((r) => (aborted = r));
      let seen: { config?: string; secrets: string[] } = { secrets: [] };
      // the build answers only once the signal has stopped the run's commands
      const exec = fakeEngine(async (req) => {
        if (req.argv[0] === 'git') return { code: 1 };
        if (req.argv.slice(1, 3).join(' ') !== 'buildx build') return {};
        const secretFiles = req.argv
          .filter((a) => a.startsWith('id=tok,src='))
          .map((a) => a.slice('id=tok,src='.length));
        seen = { config: req.env?.DOCKER_CONFIG, secrets: secretFiles };
        source.emit(signal);
        await abortedP;
        return { code: 143, stderr: 'terminated' };
      });
      const term = {
        stdout: '',
        stderr: '',
        out: (t: string) => void (term.stdout += t),
        err: (t: string) => void (term.stderr += t),
      };
      const run = runCli(
        [
          'build',
          '--images',
          '127.0.0.1:5000/app',
          '--push',
          'false',
          '--platforms',
          'linux/amd64',
          '--secrets',
          'tok=s3cret-value',
          '--registry',
          'r.io',
          '--username',
          'u',
          '--password',
          'pw-123456',
        ],
        {
          spec,
          term,
          exec,
          files: realFiles,
          env: { PATH: process.env.PATH },
          cwd: ws,
          now: () => 0,
          tempParent,
          signals: { source, abort: () => aborted(), cleanupExec: exec },
        },
      );
      expect(await source.exited).toBe(code);
      await run;
      expect(seen.config).toBeTruthy();
      expect(seen.secrets).toHaveLength(1);
      expect(fs.existsSync(seen.config!)).toBe(false);
      expect(fs.existsSync(seen.secrets[0]!)).toBe(false);
      expect(fs.readdirSync(tempParent)).toEqual([]);
      expect(exec.calls.some((c) => c.argv.join(' ') === 'docker logout -- r.io')).toBe(true);
      expect(term.stderr).toMatch(new RegExp(`${signal}: stopping the run's docker commands`));
    },
  );
});
