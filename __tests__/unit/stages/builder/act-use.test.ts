/** use: true and named builders, through the exec gateway (stubbed). */
import { builderExists, runBuilder, useBuilder } from '../../../../src/stages/builder/act.js';
import { planBuilder } from '../../../../src/stages/builder/plan.js';
import { builderProbe, builderRequest, fakeExec } from '../../fakes.js';

test('builderExists: docker buildx inspect --builder <name>, no --bootstrap', async () => {
  const exec = fakeExec((r) => ({ code: r.argv.includes('foo') ? 0 : 1 }));
  expect(await builderExists(exec, 'foo')).toBe(true);
  expect(await builderExists(exec, 'bar')).toBe(false);
  expect(exec.calls[0]!.argv).toEqual(['docker', 'buildx', 'inspect', '--builder', 'foo']);
});

describe('useBuilder', () => {
  test('reads the current builder, then docker buildx use -- <name>', async () => {
    const exec = fakeExec((r) =>
      r.argv[2] === 'inspect' ? { stdout: 'Name:   default\nDriver: docker\n\nNodes:\nName: default\n' } : {},
    );
    expect(await useBuilder(exec, 'foo')).toEqual({ previous: 'default' });
    expect(exec.calls.map((c) => c.argv)).toEqual([
      ['docker', 'buildx', 'inspect'],
      ['docker', 'buildx', 'use', '--', 'foo'],
    ]);
  });
  test('the same builder already current, or an unreadable name: nothing to restore', async () => {
    const same = fakeExec(() => ({ stdout: 'Name: foo\n' }));
    expect(await useBuilder(same, 'foo')).toEqual({ previous: undefined });
    const hostile = fakeExec((r) => (r.argv[2] === 'inspect' ? { stdout: 'Name: -x\n::error::y\n' } : {}));
    expect(await useBuilder(hostile, 'foo')).toEqual({ previous: undefined });
  });
  test('use failing is a builder error naming use: true', async () => {
    const exec = fakeExec((r) => (r.argv[2] === 'use' ? { code: 1, stderr: 'no builder' } : {}));
    await expect(useBuilder(exec, 'foo')).rejects.toThrow(/making builder foo the current one \(use: true\) failed/);
  });
});

test('a reused named builder is recorded for post as soon as it is found (post removes it)', async () => {
  const plan = planBuilder(builderProbe(), builderRequest({ name: 'foo' }), 'foo', true);
  const created: string[] = [];
  const exec = fakeExec(() => ({
    stdout: 'Name: foo\nDriver: docker-container\n\nNodes:\nName: foo0\nPlatforms: linux/amd64\n',
  }));
  await runBuilder(plan, { exec, log: () => undefined, warn: () => undefined, created: (n) => created.push(n) });
  expect(created).toEqual(['foo']);
  expect(exec.calls.map((c) => c.argv[2])).toEqual(['inspect']);
});
