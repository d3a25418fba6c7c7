import * as fs from 'node:fs';

/** What the pipeline knows about the run: read once from the environment, then passed around. */
export interface RunContext {
  workspace: string;
  runnerTemp: string;
  eventName: string;
  /** Full git ref, e.g. refs/heads/main, refs/tags/v1.2.3, refs/pull/7/merge. */
  ref: string;
  sha: string;
  repository: string;
  serverUrl: string;
  runId: string;
  runAttempt: string;
  job: string;
  /** The event payload (GITHUB_EVENT_PATH), {} when absent or unreadable. */
  payload: Record<string, unknown>;
  /** What the tag, label and annotation rules need (docker/metadata-action's view of the run). */
  meta: MetaContext;
}

/** Repository data for labels: from the event payload, or the REST API when the payload lacks it. */
export interface RepoInfo {
  name: string;
  description: string;
  htmlUrl: string;
  /** SPDX id, '' when unknown. */
  license: string;
  defaultBranch: string;
}

export interface MetaContext {
  eventName: string;
  /** The ref tags come from: GITHUB_REF, except refs/pull/N/merge on pull_request_target (as metadata-action). */
  ref: string;
  /** The commit: GITHUB_SHA, or the PR head sha when DOCKER_METADATA_PR_HEAD_SHA=true on a PR event. */
  sha: string;
  prNumber?: number;
  prHeadSha?: string;
  /** Target branch of a PR (payload.pull_request.base.ref). */
  prBaseRef?: string;
  /** payload.base_ref (push events). */
  pushBaseRef?: string;
  /** The cron line of a schedule event. */
  schedule?: string;
  repo: RepoInfo;
  /** false when the payload has no repository object (then the API is asked). */
  repoFromPayload: boolean;
  /** ISO date of the commit when the payload has it. */
  commitDate?: string;
  owner: string;
  repoName: string;
  apiUrl: string;
  /** DOCKER_METADATA_SHORT_SHA_LENGTH as given ('' = default 7). */
  shortShaLength: string;
  /** DOCKER_METADATA_ANNOTATIONS_LEVELS split (default manifest). */
  annotationLevels: string[];
  /** SOURCE_DATE_EPOCH as given, '' when unset. */
  sourceDateEpoch: string;
}

export function readRunContext(env: NodeJS.ProcessEnv, cwd: string): RunContext {
  let payload: Record<string, unknown> = {};
  if (env.GITHUB_EVENT_PATH && fs.existsSync(env.GITHUB_EVENT_PATH)) {
    try {
      payload = JSON.parse(fs.readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, unknown>;
    } catch {
      payload = {};
    }
  }
  return {
    workspace: env.GITHUB_WORKSPACE || cwd,
    runnerTemp: env.RUNNER_TEMP || `${env.TMPDIR || '/tmp'}`,
    eventName: env.GITHUB_EVENT_NAME || '',
    ref: env.GITHUB_REF || '',
    sha: env.GITHUB_SHA || '',
    repository: env.GITHUB_REPOSITORY || '',
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    runId: env.GITHUB_RUN_ID || '',
    runAttempt: env.GITHUB_RUN_ATTEMPT || '',
    job: env.GITHUB_JOB || '',
    payload,
    meta: readMetaContext(env, payload),
  };
}

/** A JSON value as an object ({} when it is not one): the event payload and the API's answers. */
export const jsonObject = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
/** A JSON value as text: a string as it is, a number written out (as metadata-action's `${…}` does), else ''. */
export const jsonText = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const obj = jsonObject;
const str = jsonText;

/**
 * RepoInfo from a repository object, the event payload's or the REST API's (the same shape):
 * `fallback` gives the name and URL when the object lacks them.
 */
export function repoInfoFrom(r: Record<string, unknown>, fallback: Pick<RepoInfo, 'name' | 'htmlUrl'>): RepoInfo {
  return {
    name: str(r.name) || fallback.name,
    description: str(r.description),
    htmlUrl: str(r.html_url) || fallback.htmlUrl,
    license: str(obj(r.license).spdx_id),
    defaultBranch: str(r.default_branch),
  };
}

/** Pure: the meta stage's view of the run from the env and the event payload. */
export function readMetaContext(env: NodeJS.ProcessEnv, payload: Record<string, unknown>): MetaContext {
  const eventName = env.GITHUB_EVENT_NAME || '';
  const [owner = '', repoName = ''] = (env.GITHUB_REPOSITORY || '').split('/');
  const pr = obj(payload.pull_request);
  const prNumber =
    typeof payload.number === 'number' ? payload.number : typeof pr.number === 'number' ? pr.number : undefined;
  let ref = env.GITHUB_REF || '';
  if (eventName === 'pull_request_target' && prNumber !== undefined) ref = `refs/pull/${prNumber}/merge`;
  const prHeadSha = str(obj(pr.head).sha) || undefined;
  let sha = env.GITHUB_SHA || '';
  if (/^true$/i.test(env.DOCKER_METADATA_PR_HEAD_SHA || '') && eventName.startsWith('pull_request') && prHeadSha)
    sha = prHeadSha;

  const r = obj(payload.repository);
  const repoFromPayload = Object.keys(r).length > 0;
  const repo = repoInfoFrom(r, {
    name: repoName,
    htmlUrl: env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_REPOSITORY}` : '',
  });

  let commitDate: string | undefined;
  const commits = Array.isArray(payload.commits) ? payload.commits.map(obj) : [];
  const c = commits.find((x) => str(x.id) === sha);
  if (c && str(c.timestamp)) commitDate = str(c.timestamp);
  const head = obj(payload.head_commit);
  if (!commitDate && str(head.id) === sha && str(head.timestamp)) commitDate = str(head.timestamp);

  return {
    eventName,
    ref,
    sha,
    prNumber,
    prHeadSha,
    prBaseRef: str(obj(pr.base).ref) || undefined,
    pushBaseRef: str(payload.base_ref) || undefined,
    schedule: str(payload.schedule) || undefined,
    repo,
    repoFromPayload,
    commitDate,
    owner,
    repoName,
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    shortShaLength: env.DOCKER_METADATA_SHORT_SHA_LENGTH || '',
    annotationLevels: (env.DOCKER_METADATA_ANNOTATIONS_LEVELS || 'manifest')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    sourceDateEpoch: env.SOURCE_DATE_EPOCH || '',
  };
}
