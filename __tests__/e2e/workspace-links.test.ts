/**
 * A pull request's files are the fork's: a link in the workspace to a host file or folder must not
 * hand it to the build, and nothing of the runner's (INPUT_*, ACTIONS_*) reaches a RUN step. Through
 * dist/ against the real engine: each link case is refused before any docker command (the docker
 * shim logs none), allow-outside-workspace builds it with a warning, and what a RUN step can read
 * (its environment, the secret mounts, build args, buildx's own environment through a secret file
 * linked to /proc/self/environ) holds no marker value.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { type AuthRegistry, startAuthRegistry } from './auth-registry.js';
import { makeWorkspace, runJob } from './harness.js';

const SLOW = 300_000;

/** The markers the runner and the inputs carry; none may reach the image. */
const MARK = `mk${Date.now().toString(36)}`;
const RUNNER_ENV = {
  ACTIONS_RUNTIME_TOKEN: `${MARK}-runtime-token`,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: `${MARK}-oidc-token`,
  ACTIONS_ID_TOKEN_REQUEST_URL: `https://oidc.invalid/${MARK}-oidc-url`,
  MY_VAR: 'user-value-for-build',
  // a build arg is no secret: buildx records it in the provenance (and the metadata output)
  MY_ARG: 'plain-arg',
};
const GITHUB_TOKEN_MARK = `${MARK}-github-token`;
const PASSWORD_MARK = `${MARK}-password`;

/** A host folder outside any workspace, with a file a fork would like to read. */
function hostFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'host-'));
  fs.writeFileSync(path.join(dir, 'secret.txt'), `HOST-SECRET-${MARK}\n`);
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY secret.txt /\n');
  return dir;
}

/** Every RUN-visible source into one folder of the image: its environment, the secret mounts, the build arg. */
const DUMP_DOCKERFILE = `FROM scratch AS dump
ARG TARGETARCH
COPY busybox-$TARGETARCH /bin/busybox
ARG MY_ARG
RUN --mount=type=secret,id=npmrc --mount=type=secret,id=envsecret ["/bin/busybox", "sh", "-c", "B=/bin/busybox; $B mkdir -p /dump; $B cat /proc/self/environ > /dump/environ; $B cat /run/secrets/npmrc > /dump/npmrc 2>&1; $B cat /run/secrets/envsecret > /dump/envsecret 2>&1; echo \\"arg=$MY_ARG\\" > /dump/args; true"]
FROM scratch
COPY --from=dump /dump /dump
`;

/** Every file under `dir`, read (links not followed). */
function readTree(dir: string): string {
  let all = '';
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, name);
    if (fs.lstatSync(p).isFile()) all += `${fs.readFileSync(p, 'utf8')}\n`;
  }
  return all;
}

describe('links in the workspace are refused before any docker command', () => {
  const host = hostFolder();
  const cases: [string, (ws: string) => Record<string, string>][] = [
    [
      'context',
      (ws) => {
        fs.symlinkSync(host, path.join(ws, 'app'));
        return { context: 'app' };
      },
    ],
    [
      'build-contexts',
      (ws) => {
        fs.symlinkSync(host, path.join(ws, 'assets'));
        return { 'build-contexts': 'assets=assets' };
      },
    ],
    [
      'secret-files',
      (ws) => {
        fs.symlinkSync('/proc/self/environ', path.join(ws, 'npmrc'));
        return { 'secret-files': 'npmrc=npmrc' };
      },
    ],
    [
      'ssh',
      (ws) => {
        fs.symlinkSync(path.join(host, 'secret.txt'), path.join(ws, 'deploy_key'));
        return { ssh: 'github=deploy_key' };
      },
    ],
    [
      'file',
      (ws) => {
        fs.symlinkSync(path.join(host, 'Dockerfile'), path.join(ws, 'Dockerfile.ci'));
        return { file: 'Dockerfile.ci' };
      },
    ],
    [
      'buildkitd-config',
      (ws) => {
        fs.symlinkSync(path.join(host, 'secret.txt'), path.join(ws, 'buildkitd.toml'));
        return { 'buildkitd-config': 'buildkitd.toml', driver: 'docker-container' };
      },
    ],
  ];

  test.each(cases)(
    '%s: a link to a host path is an input error naming the input and the target; no docker call',
    async (input, setUp) => {
      const ws = makeWorkspace('FROM scratch\n');
      const job = await runJob({
        workspace: ws,
        eventName: 'pull_request',
        inputs: { platforms: 'linux/amd64', push: 'false', ...setUp(ws) },
        env: RUNNER_ENV,
        traceDocker: true,
      });
      expect(job.main.code).not.toBe(0);
      const mine = job.main.errors.filter((e) => e.startsWith(`Input "${input}":`));
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatch(/leads through a link to ".*", outside the workspace/);
      expect(mine[0]).toMatch(input === 'secret-files' ? /"\/proc\/\d+\/environ"/ : new RegExp(host));
      expect(job.main.dockerCalls).toEqual([]);
    },
    SLOW,
  );

  test('a Dockerfile linked out of the workspace is read by no stage: not its stages, not its base image', async () => {
    // were it read, the target check would list its stage and preflight would inspect its base image
    const outside = path.join(host, 'Dockerfile.outside');
    fs.writeFileSync(outside, `FROM localhost:5000/${MARK}-outside-base AS ${MARK}-outside-stage\n`);
    const ws = makeWorkspace('FROM scratch\n');
    fs.symlinkSync(outside, path.join(ws, 'Dockerfile.linked'));
    const job = await runJob({
      workspace: ws,
      eventName: 'pull_request',
      inputs: {
        platforms: 'linux/amd64',
        push: 'false',
        file: 'Dockerfile.linked',
        target: 'absent',
        preflight: 'true',
      },
      env: RUNNER_ENV,
      traceDocker: true,
    });
    expect(job.main.code).not.toBe(0);
    expect(job.main.errors.filter((e) => e.startsWith('Input "file":'))).toHaveLength(1);
    expect(job.main.errors.filter((e) => e.startsWith('Input "target":'))).toEqual([]);
    expect(`${job.main.stdout}${job.main.stderr}`).not.toContain(`${MARK}-outside`);
    expect(job.main.dockerCalls).toEqual([]);
  });

  test('secret-envs and a bare build-arg naming a runner token are input errors; no docker call', async () => {
    const job = await runJob({
      workspace: makeWorkspace('FROM scratch\n'),
      eventName: 'pull_request',
      inputs: {
        platforms: 'linux/amd64',
        'secret-envs': 'tok=ACTIONS_RUNTIME_TOKEN',
        'build-args': 'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      },
      env: RUNNER_ENV,
      traceDocker: true,
    });
    expect(
      job.main.errors.filter((e) => /^Input "(secret-envs|build-args)": .*never reach a build/.test(e)),
    ).toHaveLength(2);
    expect(job.main.dockerCalls).toEqual([]);
  });
});

describe('a pull request build: no INPUT_* or ACTIONS_* value reaches a RUN step', () => {
  let reg: AuthRegistry;
  beforeAll(async () => {
    reg = await startAuthRegistry('e2e-user', PASSWORD_MARK);
  });
  afterAll(async () => {
    await reg?.stop();
  });

  test(
    "secret files and envs, build args, the RUN environment, and (opted out) buildx's own environment hold no marker",
    async () => {
      const ws = makeWorkspace(DUMP_DOCKERFILE);
      // the opt-out: npmrc is a link to /proc/self/environ, so the RUN step reads buildx's environment
      fs.symlinkSync('/proc/self/environ', path.join(ws, 'npmrc'));
      const job = await runJob({
        workspace: ws,
        eventName: 'pull_request',
        inputs: {
          platforms: 'linux/amd64',
          push: 'false',
          driver: 'docker',
          cache: 'none',
          // a secret's content is not in BuildKit's cache key: a cached RUN would show an older run's
          'no-cache': 'true',
          registry: reg.host,
          username: 'e2e-user',
          password: PASSWORD_MARK,
          'github-token': GITHUB_TOKEN_MARK,
          'secret-files': 'npmrc=npmrc',
          'secret-envs': 'envsecret=MY_VAR',
          'build-args': 'MY_ARG',
          outputs: 'type=local,dest=out',
          'allow-outside-workspace': 'true',
          'arch-check': 'false',
        },
        env: RUNNER_ENV,
      });
      expect(job.main.errors).toEqual([]);
      expect(job.main.code).toBe(0);
      expect(job.main.warnings).toContainEqual(
        expect.stringMatching(
          /^secret-files: secret "npmrc" "npmrc" leads through a link to "\/proc\/\d+\/environ", outside the workspace; used because allow-outside-workspace is true$/,
        ),
      );
      const dump = path.join(ws, 'out', 'dump');
      const buildxEnv = fs.readFileSync(path.join(dump, 'npmrc'), 'utf8').split('\0');
      // it really is buildx's environment: the runner's PATH and the explicit user values are there
      expect(buildxEnv).toContainEqual(expect.stringMatching(/^PATH=/));
      expect(fs.readFileSync(path.join(dump, 'envsecret'), 'utf8')).toBe('user-value-for-build');
      expect(fs.readFileSync(path.join(dump, 'args'), 'utf8')).toBe('arg=plain-arg\n');
      expect(
        buildxEnv.filter((kv) => /^(INPUT_|ACTIONS_|STATE_|GITHUB_(ENV|OUTPUT|PATH|STATE|STEP_SUMMARY)=)/i.test(kv)),
      ).toEqual([]);
      const everything = readTree(dump);
      for (const marker of [...Object.values(RUNNER_ENV).slice(0, 3), GITHUB_TOKEN_MARK, PASSWORD_MARK])
        expect(everything).not.toContain(marker);
      expect(everything).not.toContain(MARK);
    },
    SLOW,
  );

  test(
    "a link inside the context is copied as a link: BuildKit resolves it within the context, never the host's file",
    async () => {
      const host = hostFolder();
      const ws = makeWorkspace(
        `FROM scratch AS read
ARG TARGETARCH
COPY busybox-$TARGETARCH /bin/busybox
COPY . /ctx/
RUN ["/bin/busybox", "sh", "-c", "B=/bin/busybox; $B mkdir -p /dump; for f in /ctx/filelink /ctx/dirlink/secret.txt /ctx/rellink; do $B cat $f >> /dump/read 2>&1; done; true"]
FROM scratch
COPY --from=read /dump /dump
`,
      );
      fs.symlinkSync(path.join(host, 'secret.txt'), path.join(ws, 'filelink'));
      fs.symlinkSync(host, path.join(ws, 'dirlink'));
      fs.symlinkSync(path.relative(ws, path.join(host, 'secret.txt')), path.join(ws, 'rellink'));
      const job = await runJob({
        workspace: ws,
        eventName: 'pull_request',
        inputs: {
          platforms: 'linux/amd64',
          push: 'false',
          driver: 'docker',
          cache: 'none',
          outputs: 'type=local,dest=out',
          'arch-check': 'false',
        },
      });
      expect(job.main.errors).toEqual([]);
      expect(job.main.code).toBe(0);
      const read = fs.readFileSync(path.join(ws, 'out', 'dump', 'read'), 'utf8');
      expect(read).toMatch(/can't open '\/ctx\/filelink'/);
      expect(readTree(path.join(ws, 'out'))).not.toContain('HOST-SECRET');
    },
    SLOW,
  );
});
