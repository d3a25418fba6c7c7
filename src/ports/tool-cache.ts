import * as tc from '@actions/tool-cache';
import type { ToolCache } from '../stages/builder/buildx-install.js';

/**
 * The real tool cache (@actions/tool-cache). It reads RUNNER_TOOL_CACHE and RUNNER_TEMP from
 * process.env itself: the runner sets them; the CLI entry sets defaults before anything runs.
 */
export function createToolCache(): ToolCache {
  return {
    find: (tool, version, arch) => tc.find(tool, version, arch),
    downloadTool: (url, dest) => tc.downloadTool(url, dest),
    cacheFile: (src, target, tool, version, arch) => tc.cacheFile(src, target, tool, version, arch),
  };
}
