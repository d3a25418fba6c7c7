import {
  clipMessage,
  commandProblem,
  EXIT_NOT_FOUND,
  NOT_ON_PATH,
  PROBLEM_LINES,
  redactUrl,
  StageError,
} from '../../src/errors.js';
import { createActionsHost } from '../../src/ports/host-actions.js';
import { HOSTILE, runnerCommands } from './runner-log.js';

describe("commandProblem: the one rule for a failed command's words", () => {
  test('a program that is not installed is said as such', () => {
    const res = { code: EXIT_NOT_FOUND, stderr: `docker: ${NOT_ON_PATH}` };
    expect(commandProblem(['docker', 'info'], res)).toMatch(/^docker CLI not found on PATH: install Docker/);
    expect(commandProblem(['skopeo', 'copy'], { ...res, stderr: `skopeo: ${NOT_ON_PATH}` })).toBe(
      'skopeo not found on PATH: install it or put it on PATH',
    );
  });

  test("a 127 with other words is the command's own exit (e.g. docker run of a missing command)", () => {
    expect(commandProblem(['docker', 'run'], { code: 127, stderr: 'exec: "nope": not found' })).toBe(
      'exec: "nope": not found',
    );
  });

  test('short stderr is quoted whole: docker puts its usage hint after the error', () => {
    const stderr =
      "docker: Error response from daemon: pull access denied.\nRun 'docker run --help' for more information\n";
    expect(commandProblem(['docker', 'run'], { code: 125, stderr })).toBe(stderr.trim());
  });

  test("long output: its last lines, saying how many came before (a build's progress comes before its error)", () => {
    const lines = Array.from({ length: 25 }, (_, i) => `#${i} step`);
    const text = commandProblem(['docker', 'buildx', 'build'], {
      code: 1,
      stderr: [...lines, 'ERROR: failed to solve: boom'].join('\n'),
    });
    const shown = text.split('\n');
    expect(shown[0]).toBe(`…(${26 - PROBLEM_LINES} earlier lines)`);
    expect(shown).toHaveLength(PROBLEM_LINES + 1);
    expect(shown.at(-1)).toBe('ERROR: failed to solve: boom');
  });

  test('no stderr: stdout; nothing at all: the exit code; blank lines do not count', () => {
    expect(commandProblem(['x'], { code: 2, stderr: '  \n', stdout: 'only here\n\n' })).toBe('only here');
    expect(commandProblem(['x'], { code: 3, stderr: '', stdout: '' })).toBe('exit 3');
  });
});

test('clipMessage cuts a long message and says how much was left out', () => {
  const text = clipMessage('word '.repeat(2000), 100);
  expect(text).toMatch(/^word word .*…\(\d+ more characters left out\)$/);
  expect(text.length).toBeLessThan(200);
});

describe("a command's hostile output quoted in a stage failure", () => {
  test('100 kB of stderr on one line: the message stays a readable size', () => {
    const err = new StageError(
      'build',
      `failed: ${commandProblem(['docker', 'x'], { code: 1, stderr: 'y'.repeat(100_000) })}`,
    );
    expect(err.message.length).toBeLessThan(4_200);
    expect(err.message).toMatch(/100000 characters/);
  });

  test('lines that read as runner commands stay inside the one ::error the Actions host writes', () => {
    const message = new StageError('build', commandProblem(['docker', 'x'], { code: 1, stderr: HOSTILE.join('\n') }))
      .message;
    expect(message.split('\n').length).toBeGreaterThan(1);
    let out = '';
    const write = process.stdout.write;
    process.stdout.write = ((c: string) => ((out += c), true)) as typeof process.stdout.write;
    try {
      createActionsHost({}).error(message, { title: 'multiarch-action: build failed' });
    } finally {
      process.stdout.write = write;
    }
    expect(runnerCommands(out)).toHaveLength(1);
    expect(runnerCommands(out)[0]).toMatch(/^error title=/);
  });
});

describe("redactUrl: a URL's credentials never reach words", () => {
  test.each([
    ['https://bob:s3cret@mirror.example/b', 'https://***@mirror.example/b'],
    ['see http://tok@127.0.0.1:9/x and ftp://a:b@c/d', 'see http://***@127.0.0.1:9/x and ftp://***@c/d'],
    ['https://mirror.example/b', 'https://mirror.example/b'],
    ['no url here: a@b', 'no url here: a@b'],
  ])('%s', (text, shown) => expect(redactUrl(text)).toBe(shown));
});
