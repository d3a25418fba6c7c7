/**
 * The reliability battery's bad inputs, one row per case: shared by the unit battery (runMain with
 * fakes, every row) and the e2e battery (the bundled action, a subset). The unit workspace holds
 * Dockerfile, sub/Dockerfile.x, buildkitd.toml and .npmrc; /outside/Dockerfile exists outside it.
 */
const big = (n: number, ch = 'a') => ch.repeat(n);

/** [name, inputs, the input the error must name, what the message must say, extra env] */
export type Case = [string, Record<string, string>, string, RegExp, Record<string, string>?];

export const BAD_INPUTS: Case[] = [
  // platforms
  ['platforms: unknown arch', { platforms: 'linux/arm65' }, 'platforms', /arm65/],
  ['platforms: unknown os', { platforms: 'plan9/amd64' }, 'platforms', /plan9/],
  ['platforms: bad variant', { platforms: 'linux/arm64/v9' }, 'platforms', /v9/],
  ['platforms: too many parts', { platforms: 'linux/arm/v7/extra' }, 'platforms', /linux\/arm\/v7\/extra/],
  ['platforms: empty', { platforms: ' , ' }, 'platforms', /at least one platform/],
  ['platforms: only commas', { platforms: ',,,' }, 'platforms', /at least one platform/],
  ['platforms: only a comment', { platforms: '# linux/amd64' }, 'platforms', /at least one platform/],
  [
    'platforms: one bad among good (list syntax)',
    { platforms: 'linux/amd64\nlinux/arm64,linux/sparc' },
    'platforms',
    /sparc/,
  ],
  ['platforms: oversized (100 kB)', { platforms: `linux/${big(100_000)}` }, 'platforms', /not|unknown|valid/i],
  // images
  ['images: tag given', { images: 'ghcr.io/o/app:v1' }, 'images', /must not contain a tag/],
  ['images: space in name', { images: 'my app' }, 'images', /not a valid image name/],
  ['images: digest given', { images: `ghcr.io/o/app@sha256:${'a'.repeat(64)}` }, 'images', /./],
  ['images: bad enable', { images: 'name=ghcr.io/o/app,enable=maybe' }, 'images', /enable must be true or false/],
  ['images: unknown attribute', { images: 'name=ghcr.io/o/app,color=red' }, 'images', /unknown image attribute/],
  ['images: empty name', { images: 'name=,enable=true' }, 'images', /empty/],
  ['images: oversized name (100 kB)', { images: `ghcr.io/o/${big(100_000)}` }, 'images', /./],
  ['images: empty with push true', { push: 'true', images: '' }, 'images', /empty but push is true/],
  // tags
  ['tags: unknown type', { tags: 'type=bogus,value=1' }, 'tags', /bogus/],
  ['tags: semver without pattern', { tags: 'type=semver' }, 'tags', /needs a pattern/],
  ['tags: match without pattern', { tags: 'type=match,group=1' }, 'tags', /needs a pattern/],
  ['tags: match group not a number', { tags: 'type=match,pattern=v(.*),group=x' }, 'tags', /group must be a number/],
  ['tags: ref with bad event', { tags: 'type=ref,event=commit' }, 'tags', /event must be branch, tag or pr/],
  ['tags: sha with bad format', { tags: 'type=sha,format=medium' }, 'tags', /format must be short or long/],
  ['tags: priority not a number', { tags: 'type=raw,value=x,priority=high' }, 'tags', /priority must be a number/],
  ['tags: oversized rule (100 kB) with an unknown type', { tags: `type=${big(100_000)}` }, 'tags', /unknown type/],
  ['tags: raw without a value', { tags: 'type=raw' }, 'tags', /needs/],
  // expressions, rendered once with the event's context in the input pass (issue 15, finding 11)
  ['tags: {{ unclosed', { tags: 'type=raw,value={{branch' }, 'tags', /not closed/],
  ['tags: unknown global expression', { tags: 'type=raw,value={{brnch}}' }, 'tags', /unknown expression "brnch"/],
  [
    'tags: unknown date attribute',
    { tags: "type=raw,value={{date 'YYYY' zone='x'}}" },
    'tags',
    /unknown date attribute/,
  ],
  ['tags: unknown time zone', { tags: "type=raw,value={{date 'YYYY' tz='Nowhere/X'}}" }, 'tags', /unknown time zone/],
  [
    'tags: enable not true/false after rendering',
    { tags: 'type=raw,value=x,enable={{branch}}' },
    'tags',
    /must be true or false/,
  ],
  [
    'tags: semver pattern with an unknown name',
    { tags: 'type=semver,pattern={{majr}}' },
    'tags',
    /unknown expression "majr"/,
  ],
  [
    'tags: match pattern not a regular expression',
    { tags: 'type=match,pattern=v(' },
    'tags',
    /not a valid regular expression/,
  ],
  ['flavor: suffix with an unclosed expression', { flavor: 'suffix=-{{sha' }, 'flavor', /not closed/],
  ['labels: unknown expression', { labels: 'x={{nope}}' }, 'labels', /unknown expression "nope"/],
  ['annotations: unclosed expression', { annotations: 'x={{date' }, 'annotations', /not closed/],
  // login forms and credentials that cannot work for a push
  [
    'registry-auth: together with username/password',
    { username: 'u', password: 'p', 'registry-auth': '- username: v\n  password: q\n' },
    'registry-auth',
    /cannot be combined/,
  ],
  [
    'registry-auth: one registry twice',
    {
      'registry-auth':
        '- registry: r.io\n  username: a\n  password: b\n- registry: r.io\n  username: c\n  password: d\n',
    },
    'registry-auth',
    /already logged in to/,
  ],
  [
    'password: empty on a run that pushes',
    { images: 'ghcr.io/o/app', push: 'true', registry: 'ghcr.io', username: 'u', password: '' },
    'password',
    /password is empty, and this run pushes/,
  ],
  // flavor
  ['flavor: bad latest', { flavor: 'latest=sometimes' }, 'flavor', /latest must be auto, true or false/],
  ['flavor: unknown key', { flavor: 'colour=blue' }, 'flavor', /unknown flavor/],
  ['flavor: no key=value', { flavor: 'latest' }, 'flavor', /key=value/],
  ['flavor: bad onlatest', { flavor: 'prefix=a-,onlatest=yes' }, 'flavor', /onlatest must be true or false/],
  // labels / annotations: a line without '=' is dropped with a warning, as metadata-action (meta-gaps.test.ts)
  // context / file / paths
  ['context: missing folder', { context: 'nope' }, 'context', /does not exist/],
  ['context: outside the workspace and missing', { context: '../../nowhere' }, 'context', /does not exist/],
  ['file: missing Dockerfile', { file: 'nope/Dockerfile' }, 'file', /not found/],
  ['file: outside the workspace and missing', { file: '/etc/nowhere/Dockerfile' }, 'file', /not found/],
  ['file: no Dockerfile in the context', { context: 'sub' }, 'file', /no Dockerfile in the context/],
  ['buildkitd-config: missing', { 'buildkitd-config': 'missing.toml' }, 'buildkitd-config', /not found/],
  [
    'secret-files: outside the workspace and missing',
    { 'secret-files': 'npm=../../none/.npmrc' },
    'secret-files',
    /does not exist/,
  ],
  // push and booleans
  ['push: yes', { push: 'yes' }, 'push', /auto, true or false/],
  ['push: 1', { push: '1' }, 'push', /auto, true or false/],
  ['load: on', { load: 'on' }, 'load', /true or false/],
  ['no-cache: 0', { 'no-cache': '0' }, 'no-cache', /true or false/],
  ['pull: y', { pull: 'y' }, 'pull', /true or false/],
  ['cleanup: never', { cleanup: 'never' }, 'cleanup', /true .*or false/],
  ['dry-run: maybe', { 'dry-run': 'maybe' }, 'dry-run', /true or false/],
  // conflicting inputs
  [
    'load + push: yes',
    { load: 'true', push: 'yes', images: 'r/app', platforms: 'linux/amd64' },
    'push',
    /auto, true or false/,
  ],
  ['builder + driver-opts', { builder: 'mine', 'driver-opts': 'network=host' }, 'driver-opts', /existing one/],
  ['builder + driver', { builder: 'mine', driver: 'docker-container' }, 'driver', /existing one/],
  ['builder + append', { builder: 'mine', append: '- endpoint: ctx' }, 'append', /existing one/],
  [
    'driver docker + buildkitd-flags',
    { driver: 'docker', 'buildkitd-flags': '--debug' },
    'buildkitd-flags',
    /docker driver/,
  ],
  [
    'buildkitd-config + inline',
    { 'buildkitd-config': 'buildkitd.toml', 'buildkitd-config-inline': 'debug = true' },
    'buildkitd-config-inline',
    /not both/,
  ],
  ['driver remote without endpoint', { driver: 'remote' }, 'endpoint', /required with driver remote/],
  // builder area values
  ['driver: unknown', { driver: 'podman' }, 'driver', /not a buildx driver/],
  ['driver: empty-ish casing', { driver: 'Docker' }, 'driver', /not a buildx driver/],
  ['qemu: sometimes', { qemu: 'sometimes' }, 'qemu', /auto .*true .*false/],
  ['qemu-image: spaces', { 'qemu-image': 'tonistiigi/binfmt latest' }, 'qemu-image', /no spaces/],
  ['buildx-version: not exact', { 'buildx-version': 'latest' }, 'buildx-version', /exact version/],
  ['buildx-download-url: not a URL', { 'buildx-download-url': 'not a url' }, 'buildx-download-url', /not a URL/],
  ['buildx-download-url: ftp', { 'buildx-download-url': 'ftp://mirror/buildx' }, 'buildx-download-url', /http\(s\)/],
  ['builder: bad name', { builder: 'my builder' }, 'builder', /not a builder name/],
  // append YAML
  ['append: bad YAML', { append: '- name: [unclosed' }, 'append', /not valid YAML/],
  ['append: not a list', { append: 'name: arm64' }, 'append', /YAML list/],
  ['append: unknown key', { append: '- name: a\n  colour: red' }, 'append', /unknown key "colour"/],
  ['append: bad node platform', { append: '- name: a\n  platforms: linux/arm65' }, 'append', /arm65/],
  ['append: bad node name', { append: '- name: "a b"' }, 'append', /may only use letters/],
  // login
  ['password without username', { password: 'pw-1' }, 'password', /no username/],
  [
    'registry not a host',
    { registry: 'https://ghcr.io', username: 'u', password: 'pw-2' },
    'password',
    /not a registry host/,
  ],
  [
    'registry-auth: bad YAML',
    { 'registry-auth': '- registry: [ghcr.io\n  password: pw-3' },
    'registry-auth',
    /not valid YAML/,
  ],
  ['registry-auth: not a list', { 'registry-auth': 'registry: ghcr.io' }, 'registry-auth', /YAML list/],
  ['registry-auth: entry not a mapping', { 'registry-auth': '- ghcr.io' }, 'registry-auth', /must be a mapping/],
  [
    'registry-auth: password without username',
    { 'registry-auth': '- registry: ghcr.io\n  password: pw-4' },
    'registry-auth',
    /no username/,
  ],
  // build options
  ['build-args: bad name', { 'build-args': '=oops' }, 'build-args', /not a valid build-arg name/],
  [
    'build-args: oversized name (100 kB)',
    { 'build-args': `${big(100_000, '-')}=1` },
    'build-args',
    /not a valid build-arg name/,
  ],
  ['build-args: space in name', { 'build-args': 'MY ARG=1' }, 'build-args', /not a valid build-arg name/],
  ['build-contexts: no =', { 'build-contexts': 'alpine' }, 'build-contexts', /no "="/],
  ['secrets: no =', { secrets: 'token' }, 'secrets', /no "="/],
  ['secrets: bad id', { secrets: 'my token=abc' }, 'secrets', /not a valid secret id/],
  ['secret-envs: bad variable', { 'secret-envs': 'tok=1BAD' }, 'secret-envs', /not an environment variable name/],
  ['secret-envs: variable not set', { 'secret-envs': 'tok=MISSING_VAR' }, 'secret-envs', /not set/],
  ['shm-size: not a size', { 'shm-size': 'big' }, 'shm-size', /not a size/],
  ['ulimit: bad form', { ulimit: 'nofile:1024' }, 'ulimit', /not a ulimit/],
];
