import * as os from 'node:os';
import * as path from 'node:path';
import * as tc from '@actions/tool-cache';
import type { ToolCache } from './stages/buildx-install.js';

/** The real tool cache (@actions/tool-cache). Outside a runner it lives under ~/.cache. */
export function createToolCache(env: NodeJS.ProcessEnv = process.env): ToolCache {
  if (!env.RUNNER_TOOL_CACHE) env.RUNNER_TOOL_CACHE = path.join(os.homedir(), '.cache', 'multiarch-action', 'tool-cache');
  return {
    find: (tool, version, arch) => tc.find(tool, version, arch),
    downloadTool: (url, dest) => tc.downloadTool(url, dest),
    cacheFile: (src, target, tool, version, arch) => tc.cacheFile(src, target, tool, version, arch),
  };
}
