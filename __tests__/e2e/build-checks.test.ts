import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { makeWorkspace, ROOT, runJob, uniqueName } from './harness.js';

/**
 * Build-check warnings (Dockerfile lint, buildx 0.15 and later with a recent BuildKit) become
 * ::warning annotations on the Dockerfile line, as build-push-action shows them. buildx 0.29 (Debian
 * sid's, scripts/buildx-sid.sh) is handed to the step as a CLI plugin of its docker config.
 */
const LINT_DOCKERFILE = 'FROM scratch as base\nCOPY busybox-amd64 /bin/busybox\n';

function configWithBuildx(): string {
  const sid = execFileSync('bash', [path.join(ROOT, 'scripts/buildx-sid.sh')], { encoding: 'utf8' }).trim();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'checks-docker-'));
  fs.mkdirSync(path.join(dir, 'cli-plugins'));
  fs.symlinkSync(sid, path.join(dir, 'cli-plugins', 'docker-buildx'));
  return dir;
}

const checkWarnings = (stdout: string) => stdout.split('\n').filter((l) => /^::warning .*title=FromAsCasing/.test(l));

async function lintBuild(env: Record<string, string> = {}) {
  return runJob({
    workspace: makeWorkspace(LINT_DOCKERFILE),
    inputs: {
      tags: `h7-checks/${uniqueName('lint')}:1`,
      platforms: 'linux/amd64',
      driver: 'docker-container',
      'driver-opts': 'image=moby/buildkit:buildx-stable-1',
      cache: 'none',
    },
    env: { DOCKER_CONFIG: configWithBuildx(), ...env },
  });
}

describe('build checks', () => {
  test('a lint finding is a ::warning on its Dockerfile line; the build succeeds', async () => {
    const job = await lintBuild();
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    const [warning, ...more] = checkWarnings(job.main.stdout);
    expect(more).toEqual([]);
    expect(warning).toMatch(/[ ,]file=Dockerfile[,:]/);
    expect(warning).toMatch(/[ ,]line=1[,:]/);
    expect(warning).toMatch(/::.*casing/i);
  }, 300_000);

  test('DOCKER_BUILD_CHECKS_ANNOTATIONS=false: no annotation', async () => {
    const job = await lintBuild({ DOCKER_BUILD_CHECKS_ANNOTATIONS: 'false' });
    expect(job.main.code).toBe(0);
    expect(checkWarnings(job.main.stdout)).toEqual([]);
  }, 300_000);
});
