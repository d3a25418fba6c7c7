import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { parse } from 'yaml';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
const SCRIPT = path.join(ROOT, 'scripts/shard-matrix.mjs');

/** Run the plan job's script as the workflow does: env in, GITHUB_OUTPUT out. */
function plan(
  platforms: string,
  runners = '',
  more: Record<string, string> = {},
): { outputs: Record<string, string>; stdout: string; code: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-'));
  const out = path.join(dir, 'output');
  fs.writeFileSync(out, '');
  const res = spawnSync(process.execPath, [SCRIPT], {
    env: { PATH: process.env.PATH, PLATFORMS: platforms, RUNNERS: runners, GITHUB_OUTPUT: out, ...more },
    encoding: 'utf8',
  });
  const outputs: Record<string, string> = {};
  for (const line of fs.readFileSync(out, 'utf8').split('\n').filter(Boolean))
    outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  fs.rmSync(dir, { recursive: true, force: true });
  return { outputs, stdout: res.stdout, code: res.status ?? 1 };
}

describe('the reusable workflow plan: platforms -> one shard leg per platform', () => {
  test('linux/amd64,linux/arm64,linux/riscv64: native runners where there is one, QEMU only for riscv64', () => {
    const { outputs, code } = plan('linux/amd64,linux/arm64,linux/riscv64');
    expect(code).toBe(0);
    expect(JSON.parse(outputs.matrix!)).toEqual({
      include: [
        { platform: 'linux/amd64', runner: 'ubuntu-24.04', qemu: false, name: 'linux-amd64' },
        { platform: 'linux/arm64', runner: 'ubuntu-24.04-arm', qemu: false, name: 'linux-arm64' },
        { platform: 'linux/riscv64', runner: 'ubuntu-24.04', qemu: true, name: 'linux-riscv64' },
      ],
    });
    expect(outputs.platforms).toBe('linux/amd64,linux/arm64,linux/riscv64');
  });

  test('a runner map overrides the defaults: self-hosted labels, a list of labels, and the emulating runner', () => {
    const { outputs } = plan(
      'linux/amd64\nlinux/arm64\nlinux/s390x',
      JSON.stringify({
        'linux/amd64': ['self-hosted', 'x64'],
        'linux/arm64': 'arm-box',
        'linux/s390x': { 'runs-on': 'big-box', qemu: true },
      }),
    );
    expect((JSON.parse(outputs.matrix!) as { include: unknown[] }).include).toEqual([
      { platform: 'linux/amd64', runner: ['self-hosted', 'x64'], qemu: false, name: 'linux-amd64' },
      { platform: 'linux/arm64', runner: 'arm-box', qemu: false, name: 'linux-arm64' },
      { platform: 'linux/s390x', runner: 'big-box', qemu: true, name: 'linux-s390x' },
    ]);
  });

  test("shard-key: two calls with other inputs get other shard sets; a re-run of a call, the same; the caller's own wins", () => {
    const key = (callInputs: object, explicit = '') =>
      plan('linux/amd64', '', { CALL_INPUTS: JSON.stringify(callInputs), SHARD_KEY: explicit }).outputs['shard-key'];
    const a = key({ images: 'ghcr.io/o/app', 'build-args': 'FLAVOR=slim' });
    expect(a).toMatch(/^call-[0-9a-f]{8}$/);
    expect(key({ images: 'ghcr.io/o/app', 'build-args': 'FLAVOR=slim' })).toBe(a);
    expect(key({ images: 'ghcr.io/o/app', 'build-args': 'FLAVOR=full' })).not.toBe(a);
    expect(key({ images: 'ghcr.io/o/app' }, 'debug')).toBe('debug');
  });

  test.each([
    ['', '', /platforms is empty/],
    ['linux/amd64', '{nope', /runners is not valid JSON/],
    ['linux/amd64', '{"linux/arm64": 3}', /runners: "linux\/arm64" must be a runner label/],
    ['linux', '', /"linux" is not os\/arch/],
  ])('bad input %j %j: one ::error line, exit 1', (platforms, runners, why) => {
    const { stdout, code, outputs } = plan(platforms, runners);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^::error title=multiarch plan::/);
    expect(stdout).toMatch(why);
    expect(outputs).toEqual({});
  });
});

describe('.github/workflows/multiarch.yml', () => {
  const wf = parse(fs.readFileSync(path.join(ROOT, '.github/workflows/multiarch.yml'), 'utf8')) as {
    on: {
      workflow_call: {
        inputs: Record<string, unknown>;
        secrets: Record<string, unknown>;
        outputs: Record<string, { value: string }>;
      };
    };
    jobs: Record<
      string,
      {
        needs?: string | string[];
        strategy?: { matrix: string };
        steps: { uses?: string; run?: string; with?: Record<string, string> }[];
      }
    >;
  };
  const call = wf.on.workflow_call;
  const actionStep = (job: string) => wf.jobs[job]!.steps.find((s) => s.uses === './.multiarch-action')!;

  test('takes images, platforms, tags, build options, runners, cache, push and registry secrets; gives index digest, tags and per-platform digests', () => {
    for (const i of [
      'images',
      'platforms',
      'tags',
      'flavor',
      'context',
      'file',
      'build-args',
      'runners',
      'cache',
      'push',
    ])
      expect(call.inputs).toHaveProperty(i);
    for (const s of ['registry-username', 'registry-password', 'registry-auth', 'build-secrets'])
      expect(call.secrets).toHaveProperty(s);
    expect(call.outputs.digest!.value).toContain('jobs.merge.outputs.digest');
    expect(call.outputs.tags!.value).toContain('jobs.merge.outputs.tags');
    expect(call.outputs.digests!.value).toContain('jobs.merge.outputs.manifests');
  });

  test("plan runs the script; each leg shards its platform; merge merges the plan platforms; all at this workflow's commit", () => {
    expect(wf.jobs.plan!.steps.some((s) => s.run?.includes('scripts/shard-matrix.mjs'))).toBe(true);
    expect(wf.jobs.shard!.strategy!.matrix).toContain('needs.plan.outputs.matrix');
    expect(actionStep('shard').with).toMatchObject({
      mode: 'shard',
      platforms: '${{ matrix.platform }}',
      'shard-key': '${{ needs.plan.outputs.shard-key }}',
    });
    expect(actionStep('merge').with).toMatchObject({
      mode: 'merge',
      platforms: '${{ needs.plan.outputs.platforms }}',
      'shard-key': '${{ needs.plan.outputs.shard-key }}',
    });
    expect(actionStep('merge').with).not.toHaveProperty('digests');
    expect(wf.jobs.merge!.needs).toEqual(['plan', 'shard']);
    for (const job of ['shard', 'merge']) {
      const checkout = wf.jobs[job]!.steps.find((s) => s.with?.path === '.multiarch-action')!;
      expect(checkout.with).toMatchObject({
        repository: '${{ needs.plan.outputs.action-repository }}',
        ref: '${{ needs.plan.outputs.action-sha }}',
      });
    }
  });
});
