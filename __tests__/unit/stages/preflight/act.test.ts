import { StageError } from '../../../../src/errors.js';
import { PROBE_CONCURRENCY } from '../../../../src/ports/pool.js';
import { runPreflight } from '../../../../src/stages/preflight/act.js';
import { planPreflight } from '../../../../src/stages/preflight/plan.js';
import { fakeExec } from '../../fakes.js';
import { index } from './index-json.js';

const AMD_ARM = ['linux/amd64', 'linux/arm64'];

describe('runPreflight', () => {
  const answers: Record<string, { code: number; stdout: string; stderr: string }> = {
    'good:1': { code: 0, stdout: index(AMD_ARM), stderr: '' },
    'amd:1': { code: 0, stdout: index(['linux/amd64']), stderr: '' },
    'down:1': { code: 1, stdout: '', stderr: 'ERROR: connection refused' },
    'single:1': { code: 0, stdout: JSON.stringify({ config: {}, layers: [] }), stderr: '' },
    'single-v8:1': { code: 0, stdout: JSON.stringify({ config: {}, layers: [] }), stderr: '' },
    'single-locked:1': { code: 0, stdout: JSON.stringify({ config: {}, layers: [] }), stderr: '' },
  };
  const configs: Record<string, { code: number; stdout: string; stderr: string }> = {
    'single-v8:1': {
      code: 0,
      stdout: JSON.stringify({ os: 'linux', architecture: 'arm64', variant: 'v8' }),
      stderr: '',
    },
    'single-locked:1': { code: 1, stdout: '', stderr: 'ERROR: unauthorized\n' },
  };
  const exec = fakeExec(({ argv }) => {
    const ref = argv[argv.length - 1]!;
    if (argv.includes('--format'))
      return configs[ref] ?? { stdout: JSON.stringify({ os: 'linux', architecture: 'amd64' }) };
    return answers[ref] ?? { code: 1, stderr: 'not found' };
  });
  const run = (dockerfile: string, platforms = AMD_ARM) => {
    const logs: string[] = [];
    const warns: string[] = [];
    const p = runPreflight(planPreflight(dockerfile, [], platforms), '/ws/Dockerfile', {
      exec,
      log: (m) => logs.push(m),
      warn: (m) => warns.push(m),
    });
    return { p, logs, warns };
  };

  test('fails naming the image, the missing platforms and the ones it has, with the FROM line', async () => {
    const { p } = run('FROM good:1 AS a\nFROM amd:1\nCOPY --from=a / /\n');
    const err = (await p.catch((e: unknown) => e)) as StageError;
    expect(err).toBeInstanceOf(StageError);
    expect(err.stage).toBe('preflight');
    expect(err.message).toContain('base image amd:1 (line 2) has no linux/arm64: it has only linux/amd64');
    expect(err.annotation).toEqual({ file: '/ws/Dockerfile', line: 2 });
    expect(exec.calls.map((c) => c.argv)).toContainEqual([
      'docker',
      'buildx',
      'imagetools',
      'inspect',
      '--raw',
      '--',
      'amd:1',
    ]);
  });

  test('an unreachable registry only warns', async () => {
    const { p, warns } = run('FROM down:1\n');
    await expect(p).resolves.toHaveLength(1);
    expect(warns[0]).toMatch(/could not inspect base image down:1 \(ERROR: connection refused\)/);
  });

  test('a single-platform base is judged by its config platform', async () => {
    const err = (await run('FROM single:1\n').p.catch((e: unknown) => e)) as StageError;
    expect(err.message).toContain('base image single:1 (line 1) has no linux/arm64: it has only linux/amd64');
  });

  test('picked: a single-platform base is judged by its canonical config platform (linux/arm64/v8 is linux/arm64)', async () => {
    const { p, logs } = run('FROM single-v8:1\n', ['linux/arm64']);
    await expect(p).resolves.toEqual([{ ref: 'single-v8:1', status: 'ok', available: ['linux/arm64'] }]);
    expect(logs).toContain('preflight: single-v8:1 has linux/arm64');
    expect(exec.calls.map((c) => c.argv)).toContainEqual([
      'docker',
      'buildx',
      'imagetools',
      'inspect',
      '--format',
      '{{json .Image}}',
      '--',
      'single-v8:1',
    ]);
  });

  test('a config that cannot be read: not checked, and the log says why', async () => {
    const { p, logs } = run('FROM single-locked:1\n');
    await expect(p).resolves.toHaveLength(1);
    expect(logs).toContain(
      'preflight: single-locked:1 is a single-platform image whose platform could not be read (cannot read its image config: ERROR: unauthorized); not checked',
    );
  });

  test('120 FROM stages: at most PROBE_CONCURRENCY inspects at once, every image still checked', async () => {
    let inFlight = 0;
    let peak = 0;
    let calls = 0;
    const exec = async () => {
      calls++;
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      return { code: 0, stdout: index(AMD_ARM), stderr: '' };
    };
    const stages = Array.from({ length: 119 }, (_, i) => `FROM base${i}:1 AS s${i}`);
    const copies = Array.from({ length: 119 }, (_, i) => `COPY --from=s${i} / /s${i}`);
    const dockerfile = [...stages, 'FROM last:1', ...copies].join('\n');
    const logs: string[] = [];
    await runPreflight(planPreflight(dockerfile, [], AMD_ARM), '/ws/Dockerfile', {
      exec,
      log: (m) => logs.push(m),
      warn: () => undefined,
    });
    expect(calls).toBe(120);
    expect(peak).toBe(PROBE_CONCURRENCY);
    expect(logs.filter((l) => / has linux\/amd64, linux\/arm64$/.test(l))).toHaveLength(120);
  });
});
