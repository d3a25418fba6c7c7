import { runBuild, writeSecretFiles } from '../../../../src/stages/build/act.js';

describe('call: check findings fail the step with what the checks printed, pointing at the Dockerfile line', () => {
  const CHECK_STDOUT =
    "Check complete, 1 warning has been found!\n\nWARNING: FromAsCasing - https://docs.docker.com/go/dockerfile/rule/from-as-casing/\n'as' and 'FROM' keywords' casing do not match\n/ws/Dockerfile:1\n--------------------\n   1 | >>> FROM scratch as base\n--------------------\n";
  test('runBuild', async () => {
    const exec = async () => ({ code: 1, stdout: CHECK_STDOUT, stderr: '' });
    const err = await runBuild(
      ['docker', 'buildx', 'build'],
      '/m.json',
      { exec, readFile: () => undefined },
      { call: 'check', dockerfile: 'Dockerfile' },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ stage: 'build', annotation: { file: 'Dockerfile', line: 1 } });
    expect(String((err as Error).message)).toMatch(
      /build checks \(call: check\) found problems:\nCheck complete, 1 warning.*FromAsCasing/s,
    );
  });
});

test('writeSecretFiles writes each planned secret file 0600', () => {
  const written: [string, string, number | undefined][] = [];
  writeSecretFiles([{ path: '/t/secret-0', content: 'S3CRET' }], { writeFile: (p, c, m) => written.push([p, c, m]) });
  expect(written).toEqual([['/t/secret-0', 'S3CRET', 0o600]]);
});
