/**
 * docker/metadata-action's own test fixtures (__tests__/fixtures/*.env and repo.json), reduced to
 * what its meta tests read: event name, ref, sha; the repository data its tests mock (repo.json).
 * Its tests freeze both "now" and the commit date at 2020-01-10T00:30:00.000Z.
 */
import type { MetaContext } from '../../../src/context/run-context.js';

export const ANCHOR_NOW = Date.UTC(2020, 0, 10, 0, 30, 0);

const SHA_860 = '860c1904a1ce19322e91ac35af1ab07466440c37';
const SHA_266 = '266574110acf203503badf966df2ea24b5d732d7';
const SHA_HEAD = '3370e228f2209994d57af4427fe64e71bb79ac96';

export const ANCHOR_EVENTS = {
  null: { eventName: '', ref: '', sha: '' },
  empty: { eventName: '', ref: '', sha: '' },
  push_dev: { eventName: 'push', ref: 'refs/heads/dev', sha: SHA_860 },
  push_master: { eventName: 'push', ref: 'refs/heads/master', sha: SHA_266 },
  workflow_dispatch: { eventName: 'workflow_dispatch', ref: 'refs/heads/master', sha: SHA_860 },
  push_invalidchars: {
    eventName: 'push',
    ref: 'refs/heads/my/feature#1245',
    sha: '983315b5e8d46e46fc4c49869e85e7ee5fb289ba',
  },
  tag_release1: { eventName: 'push', ref: 'refs/tags/release1', sha: SHA_860 },
  'tag_20200110-RC2': { eventName: 'push', ref: 'refs/tags/20200110-RC2', sha: SHA_860 },
  // its payload (event_tag_v1.1.1.json) carries base_ref refs/heads/master
  'tag_v1.1.1': { eventName: 'push', ref: 'refs/tags/v1.1.1', sha: SHA_860, pushBaseRef: 'refs/heads/master' },
  'tag_v2.0.8-beta.67': { eventName: 'push', ref: 'refs/tags/v2.0.8-beta.67', sha: SHA_860 },
  'tag_1.2': { eventName: 'push', ref: 'refs/tags/1.2', sha: SHA_860 },
  'tag_1.1beta2': { eventName: 'push', ref: 'refs/tags/1.1beta2', sha: SHA_860 },
  'tag_1.0dev4': { eventName: 'push', ref: 'refs/tags/1.0dev4', sha: SHA_860 },
  'tag_1.2.3rc2': { eventName: 'push', ref: 'refs/tags/1.2.3rc2', sha: SHA_860 },
  'tag_1.2post1': { eventName: 'push', ref: 'refs/tags/1.2post1', sha: SHA_860 },
  'tag_v1.2.3rc2': { eventName: 'push', ref: 'refs/tags/v1.2.3rc2', sha: SHA_860 },
  pull_request: {
    eventName: 'pull_request',
    ref: 'refs/pull/15/merge',
    sha: 'a9c8c5828b91be19d9728548b24759e352367ef1',
    prNumber: 15,
    prBaseRef: 'master',
  },
  // the run's ref is the base branch; metadata-action (and readMetaContext) use refs/pull/<number>/merge
  pull_request_target: {
    eventName: 'pull_request_target',
    ref: 'refs/pull/15/merge',
    sha: SHA_266,
    prNumber: 15,
    prBaseRef: 'master',
  },
  // DOCKER_METADATA_PR_HEAD_SHA=true: the PR head's sha (its describe('pr-head-sha'))
  pull_request_head: {
    eventName: 'pull_request',
    ref: 'refs/pull/15/merge',
    sha: SHA_HEAD,
    prNumber: 15,
    prBaseRef: 'master',
  },
  pull_request_target_head: {
    eventName: 'pull_request_target',
    ref: 'refs/pull/15/merge',
    sha: SHA_HEAD,
    prNumber: 15,
    prBaseRef: 'master',
  },
  schedule: { eventName: 'schedule', ref: 'refs/heads/master', sha: SHA_860 },
  release_created: { eventName: 'release', ref: 'refs/tags/v1.1.1', sha: SHA_860 },
  tag_sometag: { eventName: 'push', ref: 'refs/tags/sometag', sha: SHA_860 },
  'tag_p1-v1.0.0': { eventName: 'push', ref: 'refs/tags/p1/v1.0.0', sha: SHA_860 },
} as const;

export type AnchorEvent = keyof typeof ANCHOR_EVENTS;

/** repo.json of metadata-action's tests. */
const REPO = {
  name: 'Hello-World',
  description: 'This your first repo!',
  htmlUrl: 'https://github.com/octocat/Hello-World',
  license: 'MIT',
  defaultBranch: 'master',
};

export function anchorContext(name: AnchorEvent): MetaContext {
  const e = ANCHOR_EVENTS[name];
  return {
    ...e,
    repo: REPO,
    repoFromPayload: true,
    commitDate: '2020-01-10T00:30:00.000Z',
    owner: 'docker',
    repoName: 'test-docker-action',
    apiUrl: 'https://api.github.com',
    shortShaLength: '',
    annotationLevels: ['manifest'],
    sourceDateEpoch: '',
  };
}

/** The labels every case expects, for its version and sha (metadata-action's getLabels, sorted). */
export function anchorLabels(version: string, sha: string): string[] {
  return [
    'org.opencontainers.image.created=2020-01-10T00:30:00.000Z',
    `org.opencontainers.image.description=${REPO.description}`,
    'org.opencontainers.image.licenses=MIT',
    `org.opencontainers.image.revision=${sha}`,
    `org.opencontainers.image.source=${REPO.htmlUrl}`,
    `org.opencontainers.image.title=${REPO.name}`,
    `org.opencontainers.image.url=${REPO.htmlUrl}`,
    `org.opencontainers.image.version=${version}`,
  ];
}
