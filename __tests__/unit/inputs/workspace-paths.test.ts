/**
 * The one rule for paths the inputs name (src/inputs/workspace-paths.ts), on a real filesystem:
 * a path in the workspace that leads out of it through a link is an input error naming the input
 * and where it leads (a warning with allow-outside-workspace); paths the workflow names outside the
 * workspace, remote sources and links that stay inside are untouched.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { InputErrors } from '../../../src/errors.js';
import { parseInputs } from '../../../src/inputs/index.js';
import {
  isInside,
  leavesWorkspace,
  localContextSource,
  namedPaths,
  type PathSources,
  readInWorkspace,
} from '../../../src/inputs/workspace-paths.js';
import { realFiles, resolveLinks } from '../../../src/ports/files.js';
import { runnerCommands } from '../runner-log.js';

const real = (p: string) => realFiles.realPath!(p);

let root: string;
let ws: string;
let host: string;
beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wspaths-')));
  ws = path.join(root, 'ws');
  host = path.join(root, 'host');
  fs.mkdirSync(ws);
  fs.mkdirSync(host);
  fs.writeFileSync(path.join(host, 'secret'), 'host secret\n');
  fs.writeFileSync(path.join(ws, 'Dockerfile'), 'FROM scratch\n');
  fs.mkdirSync(path.join(ws, 'app'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const link = (target: string, name: string) => fs.symlinkSync(target, path.join(ws, name));

describe('leavesWorkspace: where a workspace path really leads', () => {
  test('a file or folder link to the host leads out; its real target is named', () => {
    link(path.join(host, 'secret'), 'npmrc');
    link(host, 'assets');
    expect(leavesWorkspace(path.join(ws, 'npmrc'), ws, real)).toBe(path.join(host, 'secret'));
    expect(leavesWorkspace(path.join(ws, 'assets'), ws, real)).toBe(host);
    // a link on the way, not at the end
    expect(leavesWorkspace(path.join(ws, 'assets', 'secret'), ws, real)).toBe(path.join(host, 'secret'));
  });

  test('a chain of links is followed to its end: in, in, out leads out; in, in stays', () => {
    link(path.join(host, 'secret'), 'c3');
    link('c3', 'c2');
    link(path.join(ws, 'c2'), 'c1');
    expect(leavesWorkspace(path.join(ws, 'c1'), ws, real)).toBe(path.join(host, 'secret'));
    link('Dockerfile', 'd2');
    link('d2', 'd1');
    expect(leavesWorkspace(path.join(ws, 'd1'), ws, real)).toBeUndefined();
  });

  test('a relative link climbing out with .. leads out; one climbing back in stays', () => {
    link('../host/secret', 'up');
    link('../ws/Dockerfile', 'back');
    expect(leavesWorkspace(path.join(ws, 'up'), ws, real)).toBe(path.join(host, 'secret'));
    expect(leavesWorkspace(path.join(ws, 'back'), ws, real)).toBeUndefined();
  });

  test('/proc/self/environ (the runner environment of whoever opens it) leads out', () => {
    link('/proc/self/environ', 'env-file');
    expect(leavesWorkspace(path.join(ws, 'env-file'), ws, real)).toMatch(/^\/proc\/\d+\/environ$/);
  });

  test('a dangling link (where an exporter would create its folder) leads to its target', () => {
    link(path.join(host, 'not-yet'), 'out');
    expect(leavesWorkspace(path.join(ws, 'out'), ws, real)).toBe(path.join(host, 'not-yet'));
    expect(leavesWorkspace(path.join(ws, 'out', 'deeper'), ws, real)).toBe(path.join(host, 'not-yet', 'deeper'));
    // a path that does not exist at all stays where it is written
    expect(leavesWorkspace(path.join(ws, 'new', 'dir'), ws, real)).toBeUndefined();
  });

  test('a link loop is left to the command (no one can open it): not an escape, no hang', () => {
    link('loop-b', 'loop-a');
    link('loop-a', 'loop-b');
    expect(resolveLinks(path.join(ws, 'loop-a'))).toBeUndefined();
    expect(leavesWorkspace(path.join(ws, 'loop-a'), ws, real)).toBeUndefined();
  });

  test('absolute paths: inside the workspace checked, outside it the workflow’s own (untouched)', () => {
    expect(leavesWorkspace(path.join(ws, 'Dockerfile'), ws, real)).toBeUndefined();
    expect(leavesWorkspace(path.join(host, 'secret'), ws, real)).toBeUndefined();
    // .. in the written path is resolved before the rule: ws/app/../../host is the workflow naming host/
    expect(leavesWorkspace(path.resolve(ws, 'app/../../host/secret'), ws, real)).toBeUndefined();
    expect(leavesWorkspace(path.resolve(ws, 'app/../Dockerfile'), ws, real)).toBeUndefined();
  });

  test('a workspace that is itself a link: paths through either name are judged by the real folder', () => {
    const wsLink = path.join(root, 'ws-link');
    fs.symlinkSync(ws, wsLink);
    link(path.join(host, 'secret'), 'npmrc');
    expect(leavesWorkspace(path.join(wsLink, 'Dockerfile'), wsLink, real)).toBeUndefined();
    expect(leavesWorkspace(path.join(wsLink, 'npmrc'), wsLink, real)).toBe(path.join(host, 'secret'));
    expect(leavesWorkspace(path.join(ws, 'npmrc'), wsLink, real)).toBe(path.join(host, 'secret'));
  });

  test('isInside is lexical and exact: ..foo is inside, ../foo and a sibling prefix are not', () => {
    expect(isInside('/ws/..foo', '/ws')).toBe(true);
    expect(isInside('/ws', '/ws')).toBe(true);
    expect(isInside('/ws/../foo', '/ws')).toBe(false);
    expect(isInside('/ws2/x', '/ws')).toBe(false);
  });
});

describe('namedPaths: every local path an input names, remote sources untouched', () => {
  const sources = (over: Partial<PathSources>): PathSources => ({
    context: '/ws',
    contextIsRemote: false,
    file: '/ws/Dockerfile',
    buildkitdConfig: '',
    buildContexts: [],
    secretFiles: [],
    ssh: [],
    outputs: [],
    cacheFrom: [],
    cacheTo: [],
    ...over,
  });

  test('local build-contexts (and OCI layouts) are paths; images, URLs and targets are not', () => {
    expect(localContextSource('./assets')).toBe('./assets');
    expect(localContextSource('-assets')).toBe('-assets');
    expect(localContextSource('oci-layout://./layout:v1@sha256:abcd')).toBe('./layout');
    expect(localContextSource('oci-layout:///abs/layout')).toBe('/abs/layout');
    for (const remote of [
      'docker-image://alpine:3',
      'https://github.com/o/r.git#main',
      'git@github.com:o/r.git',
      'github.com/o/r',
      'target:base',
      'ssh://git@host/r',
    ])
      expect(localContextSource(remote)).toBeUndefined();
  });

  test('each input, resolved against the workspace; agent sockets, stdout and registry caches skipped', () => {
    const found = namedPaths(
      sources({
        buildContexts: ['a=assets', 'b=docker-image://alpine'],
        secretFiles: [{ id: 'npmrc', path: '/ws/npmrc' }],
        ssh: ['default', 'gh=keys/id,keys/id2'],
        buildkitdConfig: '/ws/buildkitd.toml',
        outputs: ['type=local,dest=out', 'type=tar,dest=-', 'bare-folder', 'type=registry'],
        cacheFrom: ['type=local,src=cache', 'type=registry,ref=r/x:c'],
        cacheTo: ['type=local,dest=cache-new,mode=max', 'type=gha'],
      }),
      '/ws',
    );
    expect(found.map((n) => `${n.input} ${n.path}`)).toEqual([
      'context /ws',
      'file /ws/Dockerfile',
      'build-contexts /ws/assets',
      'secret-files /ws/npmrc',
      'ssh /ws/keys/id',
      'ssh /ws/keys/id2',
      'buildkitd-config /ws/buildkitd.toml',
      'outputs /ws/out',
      'outputs /ws/bare-folder',
      'cache-from /ws/cache',
      'cache-to /ws/cache-new',
    ]);
    expect(
      namedPaths(sources({ context: 'https://x/r.git', contextIsRemote: true, file: 'sub/Dockerfile' }), '/ws'),
    ).toEqual([]);
  });
});

describe('the input pass: an error naming the input and where the link leads, before any command', () => {
  const env = () => ({ workspace: ws, exists: (p: string) => fs.existsSync(p), realPath: real });
  const get = (inputs: Record<string, string>) => (n: string) => inputs[n] ?? '';
  const errorsOf = (inputs: Record<string, string>): string[] => {
    try {
      parseInputs(get({ platforms: 'linux/amd64', ...inputs }), env());
      return [];
    } catch (err) {
      if (!(err instanceof InputErrors)) throw err;
      return err.errors.map((e) => e.message);
    }
  };

  test('context, file, build-contexts, secret-files, ssh, buildkitd-config, outputs, sign-key: one error each', () => {
    link(host, 'hostdir');
    link(path.join(host, 'secret'), 'hostfile');
    fs.writeFileSync(path.join(host, 'Dockerfile'), 'FROM scratch\n');
    link(path.join(host, 'Dockerfile'), 'Dockerfile.linked');
    const errors = errorsOf({
      context: 'hostdir',
      file: 'Dockerfile.linked',
      'build-contexts': 'assets=hostdir',
      'secret-files': 'npmrc=hostfile',
      ssh: 'gh=hostfile',
      'buildkitd-config': 'hostfile',
      driver: 'docker-container',
      outputs: 'type=local,dest=hostdir/out',
      sign: 'true',
      'sign-key': 'hostfile',
    });
    for (const input of [
      'context',
      'file',
      'build-contexts',
      'secret-files',
      'ssh',
      'buildkitd-config',
      'outputs',
      'sign-key',
    ])
      expect(
        errors.filter((e) => e.startsWith(`Input "${input}": `) && e.includes('outside the workspace')),
      ).toHaveLength(1);
    expect(errors.find((e) => e.startsWith('Input "secret-files"'))).toContain(
      `secret "npmrc" "hostfile" leads through a link to ${JSON.stringify(path.join(host, 'secret'))}`,
    );
    expect(errors.join('\n')).toMatch(/set allow-outside-workspace: true/);
  });

  test('allow-outside-workspace: true parses, and each path that leads out is a warning instead', () => {
    link(path.join(host, 'secret'), 'npmrc');
    const inputs = parseInputs(
      get({ platforms: 'linux/amd64', 'secret-files': 'npmrc=npmrc', 'allow-outside-workspace': 'true' }),
      env(),
    );
    expect(inputs.allowOutsideWorkspace).toBe(true);
    expect(inputs.outsideWorkspace).toEqual([
      `secret-files: secret "npmrc" "npmrc" leads through a link to ${JSON.stringify(path.join(host, 'secret'))}, outside the workspace; used because allow-outside-workspace is true`,
    ]);
    expect(errorsOf({ 'allow-outside-workspace': 'maybe' })[0]).toMatch(
      /^Input "allow-outside-workspace": "maybe" is not valid/,
    );
  });

  test('links that stay inside, and a plain workspace, are no error and no warning', () => {
    link('Dockerfile', 'Dockerfile.alias');
    link('app', 'app-alias');
    const inputs = parseInputs(
      get({ platforms: 'linux/amd64', context: 'app-alias', file: 'Dockerfile.alias' }),
      env(),
    );
    expect(inputs.outsideWorkspace).toEqual([]);
  });

  test('hostile names (newline + ::error::, a leading -) are quoted, one error each; 100 kB is no hang', () => {
    for (const n of ['-rf', 'y'.repeat(200)]) link(path.join(host, 'secret'), n);
    link(host, 'x\n::error::injected');
    const errors = [
      ...errorsOf({ 'secret-files': `s0=-rf\ns1=${'y'.repeat(200)}` }),
      ...errorsOf({ context: 'x\n::error::injected', file: 'Dockerfile' }),
    ];
    const text = errors.join('\n');
    expect(errors).toHaveLength(3);
    expect(text).toContain(JSON.stringify('x\n::error::injected'));
    expect(text).not.toContain('\n::error::');
    expect(runnerCommands(text)).toEqual([]);
    expect(text).toContain('"-rf" leads through a link');
    // a path no command can open (longer than PATH_MAX): buildx fails on it itself
    expect(errorsOf({ outputs: `type=local,dest=${'a/'.repeat(50_000)}` })).toEqual([]);
  });
});

describe('readInWorkspace: the one reader of a workspace Dockerfile', () => {
  /** realFiles, recording every path it reads. */
  const recording = () => {
    const read: string[] = [];
    return {
      read,
      reader: { realPath: real, readFile: (p: string) => (read.push(p), realFiles.readFile(p)) },
    };
  };

  test('a link out of the workspace is not read: where it leads is said instead', () => {
    link(path.join(host, 'secret'), 'Dockerfile.out');
    const { read, reader } = recording();
    expect(readInWorkspace(path.join(ws, 'Dockerfile.out'), ws, reader, false)).toEqual({
      outside: path.join(host, 'secret'),
    });
    expect(read).toEqual([]);
  });

  test('with allow-outside-workspace it is read; a file in the workspace is always read', () => {
    link(path.join(host, 'secret'), 'Dockerfile.out');
    fs.writeFileSync(path.join(ws, 'Dockerfile.in'), 'FROM scratch\n');
    const { read, reader } = recording();
    expect(readInWorkspace(path.join(ws, 'Dockerfile.out'), ws, reader, true).text).toBe('host secret\n');
    expect(readInWorkspace(path.join(ws, 'Dockerfile.in'), ws, reader, false)).toEqual({ text: 'FROM scratch\n' });
    expect(read).toHaveLength(2);
  });

  test('without a link resolver (no rule to check) the file is read as it is', () => {
    link(path.join(host, 'secret'), 'Dockerfile.out');
    expect(readInWorkspace(path.join(ws, 'Dockerfile.out'), ws, { readFile: realFiles.readFile }, false).text).toBe(
      'host secret\n',
    );
  });
});
