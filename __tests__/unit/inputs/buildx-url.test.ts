import { InputErrors } from '../../../src/errors.js';
import { parseDownloadUrl } from '../../../src/inputs/buildx-url.js';
import { parseInputs, secretInputValues } from '../../../src/inputs/index.js';

const env = { workspace: '/ws', exists: () => true };
const get =
  (inputs: Record<string, string>) =>
  (n: string): string =>
    inputs[n] ?? '';

describe('buildx-download-url', () => {
  test('https, with the trailing slash dropped', () => {
    expect(parseDownloadUrl('https://mirror.example/buildx/')).toEqual({
      url: 'https://mirror.example/buildx',
      auth: '',
    });
  });

  test.each(['http://127.0.0.1:8080/buildx', 'http://localhost:9/b', 'http://[::1]:9/b', 'http://127.1.2.3/b'])(
    'plain http to loopback (a mirror or test server on this machine): %s',
    (v) => expect(parseDownloadUrl(v).url).toBe(v),
  );

  test.each(['http://mirror.example/buildx', 'http://10.0.0.1/buildx', 'http://localhost.evil.example/b', 'ftp://x'])(
    'anything but https elsewhere is refused, saying why: %s',
    (v) => expect(() => parseDownloadUrl(v)).toThrow(/must be an https URL .*checksums come over the same connection/),
  );

  test('user:password leave the URL for an Authorization header; no message shows them', () => {
    const { url, auth } = parseDownloadUrl('https://bob:s3cr%40t@mirror.example/buildx');
    expect(url).toBe('https://mirror.example/buildx');
    expect(auth).toBe(`Basic ${Buffer.from('bob:s3cr@t').toString('base64')}`);
    expect(() => parseDownloadUrl('http://bob:s3cret@mirror.example/b')).toThrow(
      /"http:\/\/\*\*\*@mirror\.example\/b"/,
    );
    try {
      parseDownloadUrl('http://bob:s3cret@mirror.example/b');
    } catch (err) {
      expect(String(err)).not.toMatch(/s3cret|bob/);
    }
  });

  test('through the input pass: the error names the input without the password; the password is masked first', () => {
    const inputs = { platforms: 'linux/amd64', 'buildx-download-url': 'http://bob:s3cret@mirror.example/b' };
    let errors: string[] = [];
    try {
      parseInputs(get(inputs), env);
    } catch (err) {
      errors = (err as InputErrors).errors.map((e) => e.message);
    }
    expect(errors).toEqual([expect.stringMatching(/^Input "buildx-download-url": "http:\/\/\*\*\*@mirror/)]);
    expect(errors.join('\n')).not.toContain('s3cret');
    const secrets = secretInputValues(get({ 'buildx-download-url': 'https://bob:s3cr%40t@m.example/b' }));
    expect(secrets).toEqual(
      expect.arrayContaining(['s3cr%40t', 's3cr@t', Buffer.from('bob:s3cr@t').toString('base64')]),
    );
  });

  test('the parsed inputs carry the URL without credentials', () => {
    const i = parseInputs(get({ platforms: 'linux/amd64', 'buildx-download-url': 'https://bob:pw@m.example/b/' }), env);
    expect(i.buildxDownloadUrl).toBe('https://m.example/b');
    expect(i.buildxDownloadAuth).toMatch(/^Basic /);
  });

  // (no runner command from them: the unit battery in pipeline/ runs every input through the real host)
  test('hostile values: at most one short error', () => {
    for (const v of ['https://x\n::error::x', '-https://x', `https://${'a'.repeat(100_000)}`]) {
      let msg = '';
      try {
        parseInputs(get({ platforms: 'linux/amd64', 'buildx-download-url': v }), env);
      } catch (err) {
        msg = (err as InputErrors).message;
      }
      expect(msg.split('Input "').length).toBeLessThanOrEqual(2);
      expect(msg.length).toBeLessThan(2000);
    }
  });
});
