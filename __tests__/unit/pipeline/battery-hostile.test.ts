/**
 * The reliability battery, hostile values: a value that tries to start a runner command,
 * in every input of action.yml and every event field the action reads, through runMain with the
 * real Actions host (@actions/core, stdout captured) and a stubbed engine. Whatever the run makes of
 * the value (an input error, a label, a log line), the log holds no command of the value's.
 * And: values that would reach docker as options are input errors before any docker command.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { parse as parseYaml } from 'yaml';

import { runMain } from '../../../src/pipeline/main.js';
import { createActionsHost } from '../../../src/ports/host-actions.js';
import { fakeDeps, fakeEngine, fakeExec, fakeFiles, fakeHost } from '../fakes.js';
import { HOSTILE, injectedCommands } from '../runner-log.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
const INPUTS = Object.keys(
  (parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }).inputs,
);
const VALUE = `x${HOSTILE.join('')}`;
const ws = { '/ws/Dockerfile': 'FROM scratch\n' };

/** The event fields the action reads (src/context/run-context.ts readMetaContext), each set to VALUE in turn. */
const EVENT_FIELDS: [string, (v: string) => Record<string, unknown>][] = [
  ['repository.name', (v) => ({ repository: { name: v } })],
  ['repository.description', (v) => ({ repository: { name: 'r', description: v } })],
  ['repository.html_url', (v) => ({ repository: { name: 'r', html_url: v } })],
  ['repository.license.spdx_id', (v) => ({ repository: { name: 'r', license: { spdx_id: v } } })],
  ['repository.default_branch', (v) => ({ repository: { name: 'r', default_branch: v } })],
  [
    'pull_request.base.ref',
    (v) => ({
      repository: { name: 'r' },
      pull_request: { number: 1, base: { ref: v }, head: { sha: 'a'.repeat(40) } },
    }),
  ],
  ['pull_request.head.sha', (v) => ({ repository: { name: 'r' }, pull_request: { number: 1, head: { sha: v } } })],
  ['base_ref', (v) => ({ repository: { name: 'r' }, base_ref: v })],
  ['schedule', (v) => ({ repository: { name: 'r' }, schedule: v })],
  ['head_commit.timestamp', (v) => ({ repository: { name: 'r' }, head_commit: { id: '0'.repeat(40), timestamp: v } })],
  ['commits[].timestamp', (v) => ({ repository: { name: 'r' }, commits: [{ id: '0'.repeat(40), timestamp: v }] })],
];

/** runMain with the real Actions host: returns what it printed to stdout. */
async function logOf(
  inputs: Record<string, string>,
  payload: Record<string, unknown>,
  eventName = 'push',
  moreEnv: Record<string, string> = {},
): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-'));
  const env: Record<string, string> = {
    GITHUB_OUTPUT: path.join(dir, 'out'),
    GITHUB_STATE: path.join(dir, 'state'),
    GITHUB_ENV: path.join(dir, 'env'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
    GITHUB_EVENT_PATH: path.join(dir, 'event.json'),
    GITHUB_EVENT_NAME: eventName,
    GITHUB_REF: eventName.startsWith('pull_request') ? 'refs/pull/1/merge' : 'refs/heads/main',
    GITHUB_SHA: '0'.repeat(40),
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    ...moreEnv,
  };
  for (const f of ['out', 'state', 'env', 'summary']) fs.writeFileSync(path.join(dir, f), '');
  fs.writeFileSync(env.GITHUB_EVENT_PATH!, JSON.stringify(payload));
  const all = { images: 'r.io/app', platforms: 'linux/amd64', push: 'false', context: '.', ...inputs };
  const saved = { ...process.env };
  // the real host's fail() sets process.exitCode: it must not become jest's own exit code
  const savedExitCode = process.exitCode;
  for (const [k, v] of Object.entries(all)) process.env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  Object.assign(process.env, env);
  let out = '';
  const write = process.stdout.write;
  process.stdout.write = ((c: string | Uint8Array) => ((out += c.toString()), true)) as typeof process.stdout.write;
  try {
    // the engine answers the probes and echoes the argv of everything else back as its output
    const exec = fakeEngine((req) => ({ stdout: req.argv.join(' '), stderr: VALUE }));
    await runMain({
      ...fakeDeps(createActionsHost(process.env), exec, fakeFiles(ws), env),
      env: { ...fakeDeps(fakeHost(), exec, fakeFiles(ws)).env, ...env },
    });
  } finally {
    process.stdout.write = write;
    process.env = saved;
    process.exitCode = savedExitCode;
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

describe('battery hostile: a runner command in any input is never run', () => {
  test('every input of action.yml is covered', () => {
    expect(INPUTS.length).toBeGreaterThan(50);
  });
  test.each(INPUTS)('input %s', async (input) => {
    const log = await logOf({ [input]: VALUE }, { repository: { name: 'r' } });
    expect(injectedCommands(log)).toEqual([]);
  });
});

describe('battery hostile: a runner command in any event field is never run', () => {
  test.each(EVENT_FIELDS)('event %s', async (_name, payload) => {
    const log = await logOf({}, payload(VALUE), _name.startsWith('pull_request') ? 'pull_request' : 'push');
    expect(injectedCommands(log)).toEqual([]);
  });
});

describe('battery hostile: reproducible reads no runner command from where it finds the source date', () => {
  // the one notice of its own: driver auto creating a container builder for it
  const injected = (log: string) =>
    injectedCommands(log).filter((c) => !c.startsWith('notice::driver auto: docker-container, a builder this action'));
  test.each(EVENT_FIELDS.filter(([name]) => name.endsWith('timestamp')))('event %s', async (_name, payload) => {
    const log = await logOf({ reproducible: 'true' }, payload(VALUE));
    expect(injected(log)).toEqual([]);
  });
  test.each([
    // refused by the input pass now, before any docker command
    ['SOURCE_DATE_EPOCH', { SOURCE_DATE_EPOCH: VALUE }, /the environment's SOURCE_DATE_EPOCH is not whole seconds/],
    ['GITHUB_SHA', { GITHUB_SHA: VALUE }, /reproducible: no commit time for x/],
  ])('environment %s', async (_name, env, error) => {
    const log = await logOf({ reproducible: 'true' }, { repository: { name: 'r' } }, 'push', env);
    expect(injected(log)).toEqual([]);
    // refused, naming the value's place (the input pass, or the search for the source date)
    expect(log).toMatch(error);
  });
});

describe('battery hostile: values that docker would read as options are input errors, before any docker command', () => {
  test.each<[string, Record<string, string>, string]>([
    ['registry --help', { registry: '--help', username: 'u', password: 'pw-1' }, 'registry'],
    ['registry -u', { registry: '-u', username: 'u', password: 'pw-1' }, 'registry'],
    [
      'registry-auth registry --help',
      { 'registry-auth': '- registry: --help\n  username: u\n  password: pw-2' },
      'registry-auth',
    ],
    ['endpoint --help', { driver: 'remote', endpoint: '--help' }, 'endpoint'],
    ['append endpoint -x', { append: '- name: n1\n  endpoint: -x' }, 'append'],
    ['qemu-image --help', { 'qemu-image': '--help' }, 'qemu-image'],
  ])('%s', async (_n, inputs, input) => {
    const host = fakeHost({ platforms: 'linux/amd64', push: 'false', context: '.', ...inputs });
    const exec = fakeExec((req) => {
      throw new Error(`exec gateway called: ${req.argv.join(' ')}`);
    });
    await runMain(fakeDeps(host, exec, fakeFiles(ws), { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }));
    expect(host.failed).toBe(true);
    expect(
      host.errors.some(
        (e) => e.startsWith(`Input "${input}":`) && /starts with "-": docker would read it as an option/.test(e),
      ),
    ).toBe(true);
    expect(exec.calls).toEqual([]);
  });
});
