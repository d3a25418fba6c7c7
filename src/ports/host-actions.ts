import * as fs from 'node:fs';

import * as core from '@actions/core';

import { errorMessage } from '../errors.js';
import type { Host } from './host.js';
import { safeLog } from './log-safe.js';

/**
 * A file command that cannot be written (disk full where GITHUB_OUTPUT lives, a removed file) says
 * which one and where, instead of Node's bare "ENOSPC: no space left on device, write".
 */
function fileCommand(env: NodeJS.ProcessEnv, what: string, variable: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    throw new Error(`cannot write ${what} to ${variable} (${env[variable] ?? 'not set'}): ${errorMessage(err)}`, {
      cause: err,
    });
  }
}

/**
 * The largest value exported to GITHUB_ENV (and so to this process's environment, which every later
 * docker command inherits, and to every later step of the job). Linux refuses to start a program
 * with any one environment string over 128 KiB (MAX_ARG_STRLEN) and with argv + environment over a
 * quarter of the stack limit (2 MiB by default): at half the first, the handful of variables
 * exported here still leave every later command and step room to start.
 */
export const EXPORT_VALUE_MAX = 64 * 1024;

/** Host backed by the GitHub Actions runner's file commands (via @actions/core). */
export function createActionsHost(env: NodeJS.ProcessEnv = process.env): Host {
  const saved = new Map<string, string>();
  return {
    getInput: (name, opts) => core.getInput(name, { trimWhitespace: !opts?.raw }),
    // core.info prints as it is; everything else core prints is escaped command data
    info: (m) => core.info(safeLog(m)),
    warning: (m, p) => core.warning(m, p),
    notice: (m) => core.notice(m),
    error: (m, p) => core.error(m, p),
    debug: (m) => core.debug(m),
    setOutput: (n, v) => fileCommand(env, `output ${n}`, 'GITHUB_OUTPUT', () => core.setOutput(n, v)),
    // without GITHUB_ENV, @actions/core falls back to the ::set-env command, which runners refuse
    exportVariable: (n, v) => {
      if (n.length + v.length + 1 > EXPORT_VALUE_MAX)
        core.warning(
          `${n} is not exported to later steps: its value has ${v.length} characters, more than the ${EXPORT_VALUE_MAX} an environment variable may have here (a larger one stops later commands and steps from starting); read the step's output instead`,
        );
      else if (env.GITHUB_ENV)
        fileCommand(env, `environment variable ${n}`, 'GITHUB_ENV', () => core.exportVariable(n, v));
      else core.debug(`GITHUB_ENV is not set: ${n} is not exported`);
    },
    setSecret: (v) => core.setSecret(v),
    saveState: (n, v) => {
      saved.set(n, v);
      fileCommand(env, 'the state for the post step', 'GITHUB_STATE', () => core.saveState(n, v));
    },
    // what this step saved (main's signal path reads it, as the CLI's host does), else what main left post
    getState: (n) => saved.get(n) ?? core.getState(n),
    group: (n, fn) => core.group(n, fn),
    summary: async (md) => {
      const file = env.GITHUB_STEP_SUMMARY;
      if (file)
        fileCommand(env, 'the job summary', 'GITHUB_STEP_SUMMARY', () =>
          fs.appendFileSync(file, md.endsWith('\n') ? md : `${md}\n`),
        );
    },
    // @actions/core masks the token it returns
    idToken: (audience) => core.getIDToken(audience),
    fail: () => {
      process.exitCode = 1;
    },
  };
}
