/**
 * docker/build-push-action's own CI (.github/workflows/ci.yml, the actions-toolkit 0.49 era), as a
 * table: every job that can run offline, each matrix row a job, each `uses: ./` step's `with:` block
 * and `env:` as written there (expressions `${{ … }}` kept; bpa-ci-replay.test.ts evaluates them as
 * the runner would). What build-push-action does with each is `bpa`: the outcome its CI expects
 * (the job passes; `failure` where a step is meant to fail) and what it pushes or loads.
 *
 * Left out (they need what an offline runner lacks): error (stops the engine), error-buildx (needs
 * a missing registry), example and annotations' metadata-action step (its tags are given evaluated
 * instead, in annotations), no-cache-filters, sbom and github-cache (the Actions cache service or the
 * SBOM scanner image), attests-compat, summary-not-supported and checks' v0.14.1 row (other buildx or
 * BuildKit releases, downloaded), standalone (uninstalls the docker CLI), named-context-pin (pulls
 * alpine:edge from Docker Hub), proxy-docker-config and proxy-buildkitd (a squid service).
 */

/** The steps before the `uses:` ones: which builder setup-buildx-action leaves current. */
export type Setup =
  /** setup-buildx-action with the docker-container driver (its default), `use: true` (its default) */
  | 'buildx'
  /** no setup-buildx-action step, or one with `driver: docker`: the engine's own builder */
  | 'none';

export interface CiStep {
  with: Record<string, string>;
  env?: Record<string, string>;
}

export interface CiJob {
  name: string;
  /** actions/checkout's `path: action`: the repository (its test/ folder) is under action/. */
  checkoutPath?: 'action';
  setup: Setup;
  /** `Set malformed docker config`: ~/.docker/config.json is not JSON. */
  malformedConfig?: boolean;
  matrix?: Record<string, string>;
  /** The job-level env (DOCKER_IMAGE), for `${{ env.X }}`. */
  env?: Record<string, string>;
  steps: CiStep[];
  bpa: {
    outcome: 'success' | 'failure';
    /** References its CI reads back from the registry after the job. */
    pushed?: string[];
    /** Image names its CI inspects in the engine after the job. */
    loaded?: string[];
  };
}

const BUILDX = '${{ steps.buildx.outputs.name }}';
const TWO_TAGS = 'localhost:5000/name/app:latest\nlocalhost:5000/name/app:1.0.0\n';
const PUSHED_TWO = ['localhost:5000/name/app:latest', 'localhost:5000/name/app:1.0.0'];

/** A job whose `with:` builds ./test/Dockerfile from a `path: action` checkout, with the env given. */
const actionPathJob = (name: string, env?: Record<string, string>): CiJob => ({
  name,
  checkoutPath: 'action',
  setup: 'buildx',
  steps: [{ with: { file: './test/Dockerfile' }, ...(env ? { env } : {}) }],
  bpa: { outcome: 'success' },
});

const digestRows: CiJob[] = (['docker', 'docker-container'] as const).flatMap((driver) =>
  [
    ['true', 'false'],
    ['false', 'true'],
    ['false', 'false'],
  ].map(([load, push]) => ({
    name: `digest (${driver}, load ${load}, push ${push})`,
    setup: driver === 'docker' ? ('none' as const) : ('buildx' as const),
    env: { DOCKER_IMAGE: 'localhost:5000/name/app' },
    matrix: { driver, load: load!, push: push!, platforms: '' },
    steps: [
      {
        with: {
          context: './test',
          load: '${{ matrix.load }}',
          push: '${{ matrix.push }}',
          tags: '${{ env.DOCKER_IMAGE }}:latest',
          platforms: '${{ matrix.platforms }}',
        },
      },
    ],
    bpa: {
      outcome: 'success' as const,
      ...(push === 'true' ? { pushed: ['localhost:5000/name/app:latest'] } : {}),
      ...(load === 'true' ? { loaded: ['localhost:5000/name/app:latest'] } : {}),
    },
  })),
);

const provenanceRows: CiJob[] = [
  ['image', 'type=image,name=localhost:5000/name/app:latest,push=true', 'mode=max'],
  ['image', 'type=image,name=localhost:5000/name/app:latest,push=true', ''],
  ['binary', '/tmp/buildx-build', 'mode=max'],
  ['binary', '/tmp/buildx-build', ''],
].map(([target, output, attr]) => ({
  name: `provenance (${target}, ${attr || 'default'})`,
  setup: 'buildx' as const,
  matrix: { target: target!, output: output!, attr: attr! },
  steps: [
    {
      with: {
        context: './test/go',
        file: './test/go/Dockerfile',
        target: '${{ matrix.target }}',
        outputs: '${{ matrix.output }}',
        provenance: '${{ matrix.attr }}',
      },
    },
  ],
  bpa: { outcome: 'success' as const, ...(target === 'image' ? { pushed: ['localhost:5000/name/app:latest'] } : {}) },
}));

const multiRows: CiJob[] = ['multi', 'multi-sudo'].map((dockerfile) => ({
  name: `multi (${dockerfile})`,
  setup: 'buildx' as const,
  matrix: { dockerfile },
  steps: [
    {
      with: {
        context: './test',
        file: './test/${{ matrix.dockerfile }}.Dockerfile',
        builder: BUILDX,
        platforms: 'linux/amd64,linux/arm64',
        push: 'true',
        tags: TWO_TAGS,
      },
    },
  ],
  bpa: { outcome: 'success' as const, pushed: PUSHED_TWO },
}));

/** A job of one step after setup-buildx-action, building from ./test: most of the option jobs. */
const optionJob = (name: string, withBlock: Record<string, string>): CiJob => ({
  name,
  setup: 'buildx',
  steps: [{ with: { context: './test', ...withBlock } }],
  bpa: { outcome: 'success' },
});

export const CI_JOBS: CiJob[] = [
  actionPathJob('minimal'),
  {
    name: 'git-context',
    checkoutPath: 'action',
    setup: 'buildx',
    steps: [
      {
        with: {
          file: './test/Dockerfile',
          builder: BUILDX,
          platforms: 'linux/amd64,linux/arm64',
          push: 'true',
          tags: TWO_TAGS,
        },
      },
    ],
    bpa: { outcome: 'success', pushed: PUSHED_TWO },
  },
  {
    name: 'git-context-secret',
    checkoutPath: 'action',
    setup: 'buildx',
    steps: [
      {
        with: {
          file: './test/Dockerfile',
          builder: BUILDX,
          platforms: 'linux/amd64,linux/arm64',
          push: 'true',
          tags: TWO_TAGS,
          secrets:
            'GIT_AUTH_TOKEN=${{ github.token }}\n"MYSECRET=aaaaaaaa\nbbbbbbb\nccccccccc"\nFOO=bar\n"EMPTYLINE=aaaa\n\nbbbb\nccc"\n',
        },
      },
    ],
    bpa: { outcome: 'success', pushed: PUSHED_TWO },
  },
  {
    name: 'path-context',
    setup: 'buildx',
    steps: [{ with: { context: './test', file: './test/Dockerfile', builder: BUILDX, push: 'true', tags: TWO_TAGS } }],
    bpa: { outcome: 'success', pushed: PUSHED_TWO },
  },
  {
    name: 'docker-driver',
    setup: 'none',
    steps: [
      { with: { context: './test', file: './test/Dockerfile', push: 'true', tags: 'localhost:5000/name/app:latest' } },
    ],
    bpa: { outcome: 'success', pushed: ['localhost:5000/name/app:latest'] },
  },
  {
    name: 'export-docker',
    setup: 'none',
    steps: [{ with: { context: './test', file: './test/Dockerfile', load: 'true', tags: 'myimage:latest' } }],
    bpa: { outcome: 'success', loaded: ['myimage:latest'] },
  },
  {
    name: 'secret',
    setup: 'buildx',
    steps: [{ with: { context: '.', file: './test/secret.Dockerfile', secrets: 'MYSECRET=foo\nINVALID_SECRET=\n' } }],
    bpa: { outcome: 'success' },
  },
  {
    name: 'secret-envs',
    setup: 'buildx',
    steps: [
      {
        env: { ENV_SECRET: 'foo' },
        with: {
          context: '.',
          file: './test/secret.Dockerfile',
          'secret-envs': 'MYSECRET=ENV_SECRET\nINVALID_SECRET=\n',
        },
      },
    ],
    bpa: { outcome: 'success' },
  },
  optionJob('network', { tags: 'name/app:latest', network: 'host' }),
  optionJob('shm-size', { file: './test/shmsize.Dockerfile', tags: 'name/app:latest', 'shm-size': '2g' }),
  optionJob('ulimit', {
    file: './test/ulimit.Dockerfile',
    tags: 'name/app:latest',
    ulimit: 'nofile=1024:1024\nnproc=3\n',
  }),
  optionJob('cgroup-parent', { file: './test/cgroup.Dockerfile', tags: 'name/app:latest', 'cgroup-parent': 'foo' }),
  optionJob('add-hosts', {
    file: './test/addhost.Dockerfile',
    tags: 'name/app:latest',
    'add-hosts': 'docker:10.180.0.1\nfoo:10.0.0.1\n',
  }),
  ...provenanceRows,
  ...multiRows,
  ...digestRows,
  {
    name: 'registry-cache',
    setup: 'buildx',
    steps: [
      {
        with: {
          context: './test',
          file: './test/multi.Dockerfile',
          builder: BUILDX,
          platforms: 'linux/amd64,linux/arm64',
          push: 'true',
          tags: TWO_TAGS,
          'cache-from': 'type=registry,ref=localhost:5000/name/app',
          'cache-to': 'type=inline',
        },
      },
    ],
    bpa: { outcome: 'success', pushed: PUSHED_TWO },
  },
  {
    name: 'local-cache',
    setup: 'buildx',
    steps: [
      {
        with: {
          context: './test',
          file: './test/multi.Dockerfile',
          platforms: 'linux/amd64,linux/arm64',
          push: 'true',
          tags: TWO_TAGS,
          'cache-from': 'type=local,src=/tmp/.buildx-cache',
          'cache-to': 'type=local,dest=/tmp/.buildx-cache-new',
        },
      },
    ],
    bpa: { outcome: 'success', pushed: PUSHED_TWO },
  },
  {
    name: 'named-context-docker',
    setup: 'none',
    steps: [
      {
        with: {
          context: './test',
          file: './test/named-context-base.Dockerfile',
          load: 'true',
          tags: 'my-base-image:local',
        },
      },
      {
        with: {
          context: './test',
          file: './test/named-context.Dockerfile',
          'build-contexts': 'base=docker-image://my-base-image:local\n',
        },
      },
    ],
    bpa: { outcome: 'success', loaded: ['my-base-image:local'] },
  },
  {
    name: 'named-context-container',
    setup: 'buildx',
    steps: [
      {
        with: {
          context: './test',
          file: './test/named-context-base.Dockerfile',
          tags: 'localhost:5000/my-base-image:latest',
          push: 'true',
        },
      },
      {
        with: {
          context: './test',
          file: './test/named-context.Dockerfile',
          'build-contexts': 'alpine=docker-image://localhost:5000/my-base-image:latest\n',
        },
      },
    ],
    bpa: { outcome: 'success', pushed: ['localhost:5000/my-base-image:latest'] },
  },
  {
    name: 'docker-config-malformed',
    setup: 'none',
    malformedConfig: true,
    steps: [{ with: { context: './test' } }],
    bpa: { outcome: 'success' },
  },
  {
    name: 'annotations',
    setup: 'buildx',
    env: { DOCKER_IMAGE: 'localhost:5000/name/app' },
    steps: [
      {
        with: {
          context: './test',
          file: './test/Dockerfile',
          push: 'true',
          // metadata-action's tags output on a push to master (type=ref,event=branch and type=sha)
          tags: '${{ steps.meta.outputs.tags }}',
          annotations: 'index:com.example.key=value\nindex:com.example.key2=value2\nmanifest:com.example.key3=value3\n',
        },
      },
    ],
    bpa: { outcome: 'success', pushed: ['localhost:5000/name/app:master'] },
  },
  {
    name: 'multi-output',
    setup: 'buildx',
    steps: [
      {
        with: {
          context: './test',
          file: './test/Dockerfile',
          outputs:
            'type=image,name=localhost:5000/name/app:latest,push=true\ntype=docker,name=app:local\ntype=oci,dest=/tmp/oci.tar\n',
        },
      },
    ],
    bpa: { outcome: 'success', pushed: ['localhost:5000/name/app:latest'], loaded: ['app:local'] },
  },
  {
    name: 'load-and-push',
    setup: 'buildx',
    steps: [
      {
        with: {
          context: './test',
          file: './test/Dockerfile',
          load: 'true',
          push: 'true',
          tags: 'localhost:5000/name/app:latest',
        },
      },
    ],
    bpa: { outcome: 'success', pushed: ['localhost:5000/name/app:latest'], loaded: ['localhost:5000/name/app:latest'] },
  },
  actionPathJob('summary-disable', { DOCKER_BUILD_SUMMARY: 'false' }),
  actionPathJob('summary-disable-deprecated', { DOCKER_BUILD_NO_SUMMARY: 'true' }),
  actionPathJob('record-upload-disable', { DOCKER_BUILD_RECORD_UPLOAD: 'false' }),
  ...['2', '0'].map((days) => ({
    ...actionPathJob(`record-retention-days (${days})`, { DOCKER_BUILD_RECORD_RETENTION_DAYS: '${{ matrix.days }}' }),
    matrix: { days },
  })),
  optionJob('checks (latest)', { file: './test/lint.Dockerfile' }),
  {
    ...optionJob('annotations-disabled', { file: './test/lint.Dockerfile' }),
    steps: [
      {
        with: { context: './test', file: './test/lint.Dockerfile' },
        env: { DOCKER_BUILD_CHECKS_ANNOTATIONS: 'false' },
      },
    ],
  },
  {
    ...optionJob('call-check', { file: './test/lint.Dockerfile', call: 'check' }),
    bpa: { outcome: 'failure' },
  },
];
