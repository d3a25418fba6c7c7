import * as fs from 'node:fs';
import * as core from '@actions/core';
import type { Host } from './host.js';

/** Host backed by the GitHub Actions runner's file commands (via @actions/core). */
export function createActionsHost(env: NodeJS.ProcessEnv = process.env): Host {
  return {
    getInput: (name) => core.getInput(name),
    info: (m) => core.info(m),
    warning: (m, p) => core.warning(m, p),
    notice: (m) => core.notice(m),
    error: (m, p) => core.error(m, p),
    debug: (m) => core.debug(m),
    setOutput: (n, v) => core.setOutput(n, v),
    setSecret: (v) => core.setSecret(v),
    saveState: (n, v) => core.saveState(n, v),
    getState: (n) => core.getState(n),
    group: (n, fn) => core.group(n, fn),
    summary: async (md) => {
      const file = env.GITHUB_STEP_SUMMARY;
      if (file) fs.appendFileSync(file, md.endsWith('\n') ? md : `${md}\n`);
    },
    fail: () => {
      process.exitCode = 1;
    },
  };
}
