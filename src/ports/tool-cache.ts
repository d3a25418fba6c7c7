import * as tc from '@actions/tool-cache';

/** The parts of @actions/tool-cache used here, injectable for tests. */
export interface ToolCache {
  find(tool: string, version: string, arch: string): string;
  /** `auth`: an Authorization header value (a mirror's credentials travel there, never in the URL). */
  downloadTool(url: string, dest: string, auth?: string): Promise<string>;
  cacheFile(sourceFile: string, targetFile: string, tool: string, version: string, arch: string): Promise<string>;
}

/**
 * The real tool cache (@actions/tool-cache). It reads RUNNER_TOOL_CACHE and RUNNER_TEMP from
 * process.env itself: the runner sets them; the CLI entry sets defaults before anything runs.
 */
export function createToolCache(): ToolCache {
  return {
    find: (tool, version, arch) => tc.find(tool, version, arch),
    downloadTool: (url, dest, auth) => tc.downloadTool(url, dest, auth || undefined),
    cacheFile: (src, target, tool, version, arch) => tc.cacheFile(src, target, tool, version, arch),
  };
}
