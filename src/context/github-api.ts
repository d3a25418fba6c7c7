import { HttpClient } from '@actions/http-client';

import { errorMessage } from '../errors.js';
import { jsonObject, jsonText, type MetaContext, repoInfoFrom } from './run-context.js';

/** fetch as the reader needs it (injectable for tests). */
export type FetchFn = (
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

/**
 * The real FetchFn, on @actions/http-client: it honours the runner's proxy settings (https_proxy,
 * no_proxy), which Node's global fetch ignores, and it is already loaded with @actions/core (the first
 * global fetch costs ~30 ms of start-up loading a second HTTP stack).
 */
export function actionsFetch(): FetchFn {
  const client = new HttpClient('multiarch-action', [], { socketTimeout: 5000, allowRetries: false });
  return async (url, init) => {
    const pending = client.get(url, init.headers);
    pending.catch(() => undefined); // lost the race to the timeout: its own socket timeout ends it later
    const aborted = new Promise<never>((_, reject) => {
      const fail = () => reject(init.signal.reason instanceof Error ? init.signal.reason : new Error('timed out'));
      if (init.signal.aborted) fail();
      init.signal.addEventListener('abort', fail, { once: true });
    });
    const res = await Promise.race([pending, aborted]);
    const status = res.message.statusCode ?? 0;
    const body = await Promise.race([res.readBody(), aborted]);
    return { ok: status >= 200 && status < 300, status, json: async () => JSON.parse(body) as unknown };
  };
}

export interface RepoApiDeps {
  fetch: FetchFn;
  /** GITHUB_TOKEN when the workflow exposes it; requests go unauthenticated otherwise. */
  token?: string;
  timeoutMs?: number;
}

export interface Completed {
  meta: MetaContext;
  /** Why something could not be read (one ::warning each); the build goes on without it. */
  warnings: string[];
}

async function getJson(url: string, deps: RepoApiDeps): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { Accept: 'application/vnd.github+json', 'User-Agent': 'multiarch-action' };
  if (deps.token) headers.Authorization = `Bearer ${deps.token}`;
  const res = await deps.fetch(url, { headers, signal: AbortSignal.timeout(deps.timeoutMs ?? 5000) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return jsonObject(await res.json());
}

/** The repository's REST API address. */
function repoApiBase(meta: MetaContext): string {
  return `${meta.apiUrl}/repos/${encodeURIComponent(meta.owner)}/${encodeURIComponent(meta.repoName)}`;
}

/** The committer date (ISO 8601) of meta.sha from the REST API, '' when the answer has none; throws when it cannot be read. */
export async function commitDateFromApi(meta: MetaContext, deps: RepoApiDeps): Promise<string> {
  if (!meta.owner || !meta.repoName || !meta.sha) throw new Error('no repository or commit to ask about');
  const c = await getJson(`${repoApiBase(meta)}/commits/${encodeURIComponent(meta.sha)}`, deps);
  return jsonText(jsonObject(jsonObject(c.commit).committer).date);
}

/**
 * Fill what the event payload lacks from the GitHub REST API at GITHUB_API_URL: repository data
 * (schedule and some other events carry none) and, only when an expression needs it, the commit date.
 * Never throws: an unreachable API gives warnings and the payload's (or fallback) values.
 */
export async function completeFromApi(
  meta: MetaContext,
  needCommitDate: boolean,
  deps: RepoApiDeps,
): Promise<Completed> {
  const warnings: string[] = [];
  let out = meta;
  if (!meta.owner || !meta.repoName) return { meta, warnings };
  const base = repoApiBase(meta);
  if (!meta.repoFromPayload) {
    try {
      const r = await getJson(base, deps);
      out = { ...out, repo: repoInfoFrom(r, meta.repo), repoFromPayload: true };
    } catch (err) {
      warnings.push(
        `could not read repository data from ${base} (${errorMessage(err)}): labels title/description/licenses and the default branch may be incomplete`,
      );
    }
  }
  if (needCommitDate && !meta.commitDate && meta.sha) {
    try {
      const date = await commitDateFromApi(meta, deps);
      if (date) out = { ...out, commitDate: date };
    } catch (err) {
      warnings.push(
        `could not read the commit date from ${base} (${errorMessage(err)}): {{commit_date}} uses the current date`,
      );
    }
  }
  return { meta: out, warnings };
}
