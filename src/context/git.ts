import { commandProblem, programNotFound } from '../errors.js';
import type { Exec } from '../ports/exec.js';

/** What the local checkout says, probed with git (see probeGit). Missing pieces are undefined. */
export interface GitProbe {
  sha?: string;
  /** Current branch, undefined on a detached HEAD. */
  branch?: string;
  /** Tags pointing at HEAD, highest version first. */
  tags: string[];
  /** Fetch URL of the remote (origin, else the first one). */
  remoteUrl?: string;
  /** The remote's default branch (refs/remotes/<remote>/HEAD), without the remote name. */
  remoteHead?: string;
  /** Committer date of HEAD, ISO 8601. */
  commitDate?: string;
  /** Why there is no commit to read (no git, not a repository, no commit yet); undefined when there is one. */
  problem?: string;
}

/** The env a GitHub runner would give for this checkout, and the event payload to go with it. */
export interface GitContext {
  env: Record<string, string>;
  payload: Record<string, unknown>;
}

/**
 * Pure: a remote URL → server URL and repository path. Credentials in the URL are dropped.
 * Handles https://host/org/repo(.git), ssh://git@host:22/org/repo.git, git@host:org/repo.git;
 * nested groups (GitLab) are kept in the path.
 */
export function parseRemoteUrl(url: string): { serverUrl: string; repository: string } | undefined {
  const u = url.trim();
  let host: string;
  let repoPath: string;
  let scheme = 'https';
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/.exec(u);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      return undefined;
    }
    if (parsed.protocol === 'file:') return undefined;
    if (parsed.protocol === 'http:') scheme = 'http';
    host = parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.host : parsed.hostname;
    repoPath = decodeURIComponent(parsed.pathname);
  } else if (scp && !u.startsWith('/')) {
    host = scp[1]!;
    repoPath = scp[2]!;
  } else {
    return undefined;
  }
  repoPath = repoPath
    .replace(/^\/+/, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
  if (!host || !repoPath.includes('/')) return undefined;
  return { serverUrl: `${scheme}://${host}`, repository: repoPath };
}

/**
 * Pure: the GitHub-runner view of a checkout, for the same context reader the action uses.
 * A tag at HEAD makes it a tag push (refs/tags/…), else the branch (refs/heads/…). In a GitLab
 * job (detached checkout) the CI_* variables say what git cannot.
 */
export function gitContext(probe: GitProbe, env: NodeJS.ProcessEnv = {}): GitContext {
  let ref = '';
  let eventName = 'push';
  const extra: Record<string, unknown> = {};
  const sha = env.CI_COMMIT_SHA || probe.sha || '';
  if (env.GITLAB_CI && env.CI_COMMIT_TAG) ref = `refs/tags/${env.CI_COMMIT_TAG}`;
  else if (env.GITLAB_CI && env.CI_MERGE_REQUEST_IID) {
    ref = `refs/pull/${env.CI_MERGE_REQUEST_IID}/merge`;
    eventName = 'pull_request';
    extra.number = Number(env.CI_MERGE_REQUEST_IID);
    extra.pull_request = {
      number: Number(env.CI_MERGE_REQUEST_IID),
      head: { sha, ref: env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME ?? '' },
      base: { ref: env.CI_MERGE_REQUEST_TARGET_BRANCH_NAME ?? '' },
    };
  } else if (env.GITLAB_CI && env.CI_COMMIT_BRANCH) ref = `refs/heads/${env.CI_COMMIT_BRANCH}`;
  else if (probe.tags.length) ref = `refs/tags/${probe.tags[0]}`;
  else if (probe.branch) ref = `refs/heads/${probe.branch}`;

  const remote = probe.remoteUrl ? parseRemoteUrl(probe.remoteUrl) : undefined;
  const serverUrl = env.CI_SERVER_URL || remote?.serverUrl || 'https://github.com';
  const repository = env.CI_PROJECT_PATH || remote?.repository || '';
  const defaultBranch =
    env.CI_DEFAULT_BRANCH ||
    probe.remoteHead ||
    (probe.branch && ['main', 'master'].includes(probe.branch) ? probe.branch : 'main');
  const [owner = '', name = ''] = repository
    ? [repository.split('/').slice(0, -1).join('/'), repository.split('/').pop()!]
    : [];

  const out: Record<string, string> = {
    GITHUB_EVENT_NAME: eventName,
    GITHUB_REF: ref,
    GITHUB_SHA: sha,
    GITHUB_REPOSITORY: repository,
    GITHUB_REPOSITORY_OWNER: owner,
    GITHUB_SERVER_URL: serverUrl,
  };
  const m = /^refs\/(heads|tags)\/(.+)$/.exec(ref);
  if (m) {
    out.GITHUB_REF_NAME = m[2]!;
    out.GITHUB_REF_TYPE = m[1] === 'heads' ? 'branch' : 'tag';
  }
  const payload: Record<string, unknown> = {
    ref,
    after: sha,
    ...(sha ? { head_commit: { id: sha, timestamp: probe.commitDate ?? '' } } : {}),
    repository: {
      name,
      full_name: repository,
      owner: { login: owner },
      default_branch: defaultBranch,
      html_url: repository ? `${serverUrl}/${repository}` : '',
    },
    ...extra,
  };
  return { env: out, payload };
}

/** Act: why HEAD has no commit: git is missing, cwd is not in a repository, or nothing is committed yet. */
async function whyNoCommit(exec: Exec, cwd: string): Promise<string> {
  const res = await exec({ argv: ['git', 'rev-parse', '--git-dir'], cwd, silent: true });
  if (programNotFound(res)) return commandProblem(['git'], res);
  if (res.code !== 0) return `${cwd} is not inside a git repository`;
  return 'the git repository has no commit yet';
}

/** Act: ask git (through the exec gateway) about the checkout in cwd. Never throws. */
export async function probeGit(exec: Exec, cwd: string): Promise<GitProbe> {
  const git = async (...args: string[]): Promise<string | undefined> => {
    const res = await exec({ argv: ['git', ...args], cwd, silent: true });
    return res.code === 0 ? res.stdout.trim() : undefined;
  };
  const sha = await git('rev-parse', '--verify', '-q', 'HEAD');
  if (!sha) return { tags: [], problem: await whyNoCommit(exec, cwd) };
  // independent reads of one checkout: side by side (the CLI's start waits on them)
  const remoteOf = async (): Promise<{ remote?: string; remoteUrl?: string; head?: string }> => {
    const remotes = ((await git('remote')) ?? '').split('\n').filter(Boolean);
    const remote = remotes.includes('origin') ? 'origin' : remotes[0];
    if (!remote) return {};
    const [remoteUrl, head] = await Promise.all([
      git('remote', 'get-url', remote),
      git('symbolic-ref', '-q', '--short', `refs/remotes/${remote}/HEAD`),
    ]);
    return { remote, remoteUrl, head };
  };
  const [branch, tagList, { remote, remoteUrl, head }, commitDate] = await Promise.all([
    git('symbolic-ref', '-q', '--short', 'HEAD'),
    git('tag', '--points-at', 'HEAD', '--sort=-version:refname'),
    remoteOf(),
    git('log', '-1', '--format=%cI', 'HEAD'),
  ]);
  const tags = (tagList ?? '').split('\n').filter(Boolean);
  return {
    sha,
    branch: branch || undefined,
    tags,
    remoteUrl: remoteUrl || undefined,
    remoteHead:
      head && remote ? head.replace(new RegExp(`^${remote.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`), '') : undefined,
    commitDate: commitDate || undefined,
  };
}

/** A full or abbreviated object name: anything else (an option, a range) never reaches git. */
const SHA = /^[0-9a-f]{7,64}$/i;

/** Pure: git's committer time of `sha` in seconds; undefined for a value that is no object name. */
export function gitCommitTimeArgv(sha: string): string[] | undefined {
  return SHA.test(sha) ? ['git', 'show', '-s', '--format=%ct', sha] : undefined;
}

/** Act: the commit time of `sha` in the checkout at cwd, undefined when git cannot say (no git, no checkout, no such commit). */
export async function readGitCommitTime(exec: Exec, cwd: string, sha: string): Promise<string | undefined> {
  const argv = gitCommitTimeArgv(sha);
  if (!argv) return undefined;
  const res = await exec({ argv, cwd, silent: true });
  const out = res.stdout.trim();
  // a number; pickSourceDate holds it to the one rule for a source date (isEpochSeconds)
  return res.code === 0 && /^\d+$/.test(out) ? out : undefined;
}
