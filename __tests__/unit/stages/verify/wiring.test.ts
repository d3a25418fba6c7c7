/**
 * The verify wiring over a run (runMain with a stubbed engine): what it records on the run's report
 * (the summary) when the smoke test or the arch check fails.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { runMain } from '../../../../src/pipeline/main.js';
import type { Exec } from '../../../../src/ports/exec.js';
import { summaryPlain } from '../../../../src/run/summary.js';
import { CHECK_MARK_KEY } from '../../../../src/stages/archcheck/export.js';
import { type FakeAnswer, fakeDeps, fakeEngine, fakeFiles, fakeHost } from '../../fakes.js';
import { elf, tarOf } from '../../images.js';

const files = {
  '/ws/Dockerfile': 'FROM scratch\n',
  '/proc/sys/fs/binfmt_misc/status': 'enabled',
  '/proc/sys/fs/binfmt_misc/qemu-aarch64': 'enabled\ninterpreter /q\nflags: PF\n',
  '/tmp/rt/multiarch-XXXX/metadata.json': JSON.stringify({ 'containerimage.digest': 'sha256:abc' }),
};
const inputs = { images: 'r/app', tags: 'v1', platforms: 'linux/amd64,linux/arm64', push: 'false', context: '.' };

/** The context's own builder (docker driver: the smoke test runs the engine's image, no load). */
function engine(more: FakeAnswer = () => ({})) {
  return fakeEngine((req) =>
    req.argv[2] === 'inspect' ? { stdout: 'Driver: docker\nPlatforms: linux/amd64\n' } : more(req),
  );
}

async function main(exec: Exec, over: Record<string, string>) {
  const host = fakeHost({ ...inputs, ...over });
  await runMain(fakeDeps(host, exec, fakeFiles(files), { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }));
  return host;
}

/** What the time report says of a build whose progress log is empty. */
const TIMES =
  '#### time per platform\n\n| platform | ran | build steps | steps run | cached | slowest steps |\n|---|---|---|---|---|---|\n' +
  '| linux/amd64 | native | 0s | 0 | 0 | - |\n| linux/arm64 | emulated | 0s | 0 | 0 | - |\n';

test('a failed smoke test: the summary still holds the time report and every platform’s output (as before the report took it)', async () => {
  const exec = engine((req) =>
    req.argv[1] === 'run' && req.argv[2] === '--rm'
      ? req.argv.includes('linux/arm64')
        ? { code: 3, stdout: 'boom\n' }
        : { stdout: 'x86_64\n' }
      : {},
  );
  const host = await main(exec, { 'smoke-test': 'uname -m', 'arch-check': 'false' });
  expect(host.failed).toBe(true);
  expect(host.errors).toEqual(['"uname -m" failed on linux/arm64 (exit 3: boom)']);
  const smoke =
    '#### smoke test: <code>uname -m</code>\n\n| platform | result | output |\n|---|---|---|\n| linux/amd64 | ok | <code>x86_64</code> |\n| linux/arm64 | failed (exit 3) | <code>boom</code> |\n';
  expect(host.summaries).toHaveLength(1);
  expect(summaryPlain(host.summaries[0]!).endsWith(`${TIMES}${smoke}`)).toBe(true);
  expect(host.summaries[0]).toMatch(/failed/);
});

/** What an unpushed build exports for the arch check (an OCI layout): linux/arm64 holds an x86-64 binary. */
/**
 * An OCI layout folder's files (path → bytes): both platforms hold one amd64 binary. With a mark
 * (the check's copy beside the engine's store), the index carries it and index.json names another.
 */
async function wrongLayout(mark?: string): Promise<[string, Buffer][]> {
  const files: [string, Buffer][] = [];
  const put = (body: Buffer | string) => {
    const hex = createHash('sha256').update(body).digest('hex');
    files.push([`blobs/sha256/${hex}`, Buffer.from(body)]);
    return `sha256:${hex}`;
  };
  const layer = put(await tarOf([['bin/x', elf(2, 1, 62)]]));
  const config = put(JSON.stringify({ os: 'linux', architecture: 'amd64' }));
  const manifest = put(JSON.stringify({ config: { digest: config }, layers: [{ digest: layer }] }));
  const index = put(
    JSON.stringify({
      manifests: [
        { digest: manifest, platform: { os: 'linux', architecture: 'amd64' } },
        { digest: manifest, platform: { os: 'linux', architecture: 'arm64' } },
      ],
      ...(mark ? { annotations: { [CHECK_MARK_KEY]: mark } } : {}),
    }),
  );
  // buildx writes the last exporter's index into index.json: the engine's stored image, not in the folder
  const named = mark ? `sha256:${'e'.repeat(64)}` : index;
  const top = { manifests: [{ digest: named, mediaType: 'application/vnd.oci.image.index.v1+json' }] };
  files.push(['index.json', Buffer.from(JSON.stringify(top))]);
  return files;
}

test('a failed arch check: the summary holds the time report and the arch check (the time report was dropped before)', async () => {
  // the build itself writes the layout where its arch-check output names (no second build)
  let dest = '';
  const exec = engine(async (req) => {
    const out = req.argv
      .map((a) => /^type=oci,dest=(.*?),tar=false(?:,annotation-index\.[\w.-]+=(\w+))?/.exec(a))
      .find((m) => m);
    if (req.argv[2] === 'build' && out) {
      dest = out[1]!;
      for (const [name, body] of await wrongLayout(out[2])) {
        fs.mkdirSync(path.dirname(path.join(dest, name)), { recursive: true });
        fs.writeFileSync(path.join(dest, name), body);
      }
    }
    return {};
  });
  const host = await main(exec, {});
  if (dest) fs.rmSync(dest, { recursive: true, force: true });
  expect(dest).toMatch(/arch-check\.oci$/);
  expect(host.failed).toBe(true);
  expect(host.errors[0]).toMatch(/^linux\/arm64 holds 1 amd64 binary: \/bin\/x\. Fix: /);
  const arch =
    '#### arch check\n\nRead the layers this build added above its base images.\n\n| platform | result | ELF files | files read | layers read |\n|---|---|---|---|---|\n' +
    '| linux/amd64 | ok | 1 | 1 | 1 of 1 |\n| linux/arm64 | **1 wrong** (amd64) | 1 | 1 | 1 of 1 |\n';
  expect(host.summaries).toHaveLength(1);
  expect(summaryPlain(host.summaries[0]!).endsWith(`${TIMES}${arch}`)).toBe(true);
});

test('the smoke containers are named per run and in the state before the first docker run starts', async () => {
  let stateAtRun: { smokeContainers?: string[] } | undefined;
  const host = fakeHost({ ...inputs, 'smoke-test': 'uname -m', 'arch-check': 'false' });
  const names: string[] = [];
  const exec = engine((req) => {
    if (req.argv[1] === 'run') {
      stateAtRun ??= JSON.parse(host.state.multiarch ?? '{}') as { smokeContainers?: string[] };
      names.push(req.argv[req.argv.indexOf('--name') + 1]!);
      return { stdout: req.argv.includes('linux/arm64') ? 'aarch64\n' : 'x86_64\n' };
    }
    return {};
  });
  await runMain(fakeDeps(host, exec, fakeFiles(files), { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }));
  expect(host.failed).toBe(false);
  expect(stateAtRun?.smokeContainers).toHaveLength(2);
  expect(stateAtRun!.smokeContainers![0]).toMatch(/^multiarch-smoke-[0-9a-f]{8}-0$/);
  expect([...names].sort()).toEqual([...stateAtRun!.smokeContainers!].sort());
});
