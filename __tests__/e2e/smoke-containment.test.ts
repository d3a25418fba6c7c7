/**
 * What a pull request's image can do through the smoke test, on the real engine through the bundled
 * action and CLI: what it prints reaches the job summary as text only (rendered as GitHub renders
 * GFM), and a cancelled job (SIGTERM, SIGINT) or a stopped CLI leaves none of its containers running.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { renderSummary } from '../unit/summary-render.js';
import {
  BUSYBOX_DOCKERFILE,
  docker,
  makeWorkspace,
  REGISTRY,
  ROOT,
  runJob,
  runnerNode,
  uniqueName,
} from './harness.js';

const SLOW = 300_000;

/** Names of the containers (running or not) made from `image`. */
function containersOf(image: string): string[] {
  return docker(['ps', '-a', '--filter', `ancestor=${image}`, '--format', '{{.Names}}'])
    .stdout.split('\n')
    .filter(Boolean);
}

/** A smoke container of `image` is up. */
const smokeRunning = (image: string) => () =>
  docker(['ps', '--filter', `ancestor=${image}`, '--format', '{{.Names}}']).stdout.includes('multiarch-smoke-');

// CR, LF and U+2028 line breaks, a heading, a link, an image, raw HTML and a script, each in the output
const HOSTILE_OUTPUT =
  'sh -c \'printf "ok\\r# HACKED: all checks passed\\r[x](https://evil.example/x) ![t](https://evil.example/t.png)\\n<img src=https://evil.example/p.png><script>alert(1)</script>\\n\\342\\200\\250# HACKED ls www.evil.example\\n<details open>x\\n"\'';

describe('smoke containment e2e: what the image prints', () => {
  test(
    'smoke output with CR, LF, U+2028, #, [x](y), ![x](y), <img> and <script> renders as text in the summary',
    async () => {
      const job = await runJob({
        workspace: makeWorkspace(BUSYBOX_DOCKERFILE),
        inputs: {
          images: `${REGISTRY}/${uniqueName('e2e/smokemd')}`,
          tags: 'v1',
          push: 'false',
          load: 'true',
          platforms: 'linux/amd64',
          'smoke-test': HOSTILE_OUTPUT,
        },
      });
      expect(job.main.code).toBe(0);
      const r = renderSummary(job.main.summaryMarkdown);
      expect(r.foreign).toEqual([]);
      for (const h of r.headings)
        expect(h).toMatch(/^(multiarch-action|layer cache|time per platform|arch check|smoke test: sh -c )/);
      expect(r.headings.filter((h) => h.startsWith('smoke test'))).toHaveLength(1);
      // the output is there to read, as the text it is
      expect(r.text).toContain(
        'ok␍# HACKED: all checks passed␍[x](https://evil.example/x) ![t](https://evil.example/t.png)',
      );
      expect(r.text).toContain('<img src=https://evil.example/p.png><script>alert(1)</script>');
      expect(r.text).toContain('⟨U+2028⟩# HACKED ls www.evil.example');
    },
    SLOW,
  );
});

describe('smoke containment e2e: a cancelled job', () => {
  test.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    'action: %s during the smoke test, then post: no smoke container of the run is left (exit %d)',
    async (signal, code) => {
      const image = `${REGISTRY}/${uniqueName('e2e/smokestop')}:v1`;
      const job = await runJob({
        workspace: makeWorkspace(BUSYBOX_DOCKERFILE),
        inputs: {
          images: image.replace(/:v1$/, ''),
          tags: 'v1',
          push: 'false',
          load: 'true',
          platforms: 'linux/amd64',
          'smoke-test': 'sleep 3600',
        },
        stopMain: { when: /smoke-test/, signal, ready: smokeRunning(image) },
      });
      expect(job.main.code).toBe(code);
      const state = JSON.parse(job.main.state.multiarch ?? '{}') as { smokeContainers?: string[] };
      expect(state.smokeContainers?.[0]).toMatch(/^multiarch-smoke-[0-9a-f]{8}-0$/);
      expect(job.post.code).toBe(0);
      expect(containersOf(image)).toEqual([]);
      const all = docker(['ps', '-a', '--format', '{{.Names}}']).stdout.split('\n');
      for (const name of state.smokeContainers!) expect(all).not.toContain(name);
    },
    SLOW,
  );
});

/** The bundled CLI with a smoke test that sleeps, stopped by `signal` once its container runs. */
async function stopCliDuringSmoke(
  signal: NodeJS.Signals,
  image: string,
): Promise<{ code: number | null; out: string }> {
  const ws = makeWorkspace(BUSYBOX_DOCKERFILE);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clismoke-'));
  const child = spawn(
    path.join(ROOT, 'dist/cli/index.js'),
    [
      'build',
      '--images',
      image.replace(/:v1$/, ''),
      '--tags',
      'v1',
      '--push',
      'false',
      '--load',
      'true',
      '--platforms',
      'linux/amd64',
      '--smoke-test',
      'sleep 3600',
    ],
    {
      cwd: ws,
      env: {
        PATH: `${path.dirname(runnerNode())}:${process.env.PATH}`,
        HOME: process.env.HOME ?? '/root',
        TMPDIR: tmp,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  const running = smokeRunning(image);
  let done = false;
  void closed.then(() => (done = true));
  while (!done && !running()) await new Promise((r) => setTimeout(r, 250));
  child.kill(signal);
  return { code: await closed, out };
}

describe('smoke containment e2e: a stopped CLI', () => {
  test.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    'CLI: %s during the smoke test leaves no smoke container (exit %d)',
    async (signal, code) => {
      const image = `${REGISTRY}/${uniqueName('e2e/clismoke')}:v1`;
      const run = await stopCliDuringSmoke(signal, image);
      expect(run.out).toMatch(new RegExp(`${signal}: stopping the run's docker commands`));
      expect(run.code).toBe(code);
      expect(run.out).toContain('cleanup done');
      expect(containersOf(image)).toEqual([]);
    },
    SLOW,
  );
});
