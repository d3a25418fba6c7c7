#!/usr/bin/env node
// The plan job of .github/workflows/multiarch.yml: platforms + a runner label map -> the shard
// matrix, one leg per platform on its own runner. A platform with a runner of its own builds
// natively (no QEMU); any other goes to the linux/amd64 runner with QEMU. The action validates
// each leg's platform itself (an ::error naming the input); this script only needs the names.
//
//   PLATFORMS="linux/amd64,linux/arm64" RUNNERS='{"linux/arm64":"my-arm"}' node scripts/shard-matrix.mjs
//
// Writes matrix=<JSON>, platforms=<comma list> and shard-key to $GITHUB_OUTPUT (or stdout).
import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';

export const DEFAULT_RUNNERS = { 'linux/amd64': 'ubuntu-24.04', 'linux/arm64': 'ubuntu-24.04-arm' };
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;

/** A runner entry: a label, a list of labels, or {"runs-on": labels, "qemu": true|false}. */
function runnerOf(value, where) {
  const labels = (v) =>
    (typeof v === 'string' && v.trim()) ||
    (Array.isArray(v) && v.length && v.every((l) => typeof l === 'string' && l.trim()));
  if (labels(value)) return { runner: value, qemu: undefined };
  if (
    value &&
    typeof value === 'object' &&
    labels(value['runs-on']) &&
    (value.qemu === undefined || typeof value.qemu === 'boolean')
  ) {
    return { runner: value['runs-on'], qemu: value.qemu };
  }
  throw new Error(
    `runners: ${where} must be a runner label, a list of labels, or {"runs-on": ..., "qemu": true|false}`,
  );
}

/** Pure: the matrix ({include: [{platform, runner, qemu, name}]}) of a platform list and a runner map (JSON text). */
export function shardMatrix(platformsText, runnersText = '') {
  let custom = {};
  if (runnersText.trim()) {
    try {
      custom = JSON.parse(runnersText);
    } catch (err) {
      throw new Error(
        `runners is not valid JSON (${err.message}): give an object such as {"linux/arm64": "ubuntu-24.04-arm"}`,
        { cause: err },
      );
    }
    if (!custom || typeof custom !== 'object' || Array.isArray(custom))
      throw new Error('runners must be a JSON object of platform -> runner label');
  }
  const runners = { ...DEFAULT_RUNNERS, ...custom };
  for (const [k, v] of Object.entries(runners)) runners[k] = runnerOf(v, JSON.stringify(k));
  const emulator = runners['linux/amd64'];
  if (!emulator)
    throw new Error(
      'runners: linux/amd64 needs a runner (it also builds every platform without a runner of its own, with QEMU)',
    );
  const platforms = [
    ...new Set(
      platformsText
        .split(/[\n,]/)
        .map((p) => p.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  if (platforms.length === 0) throw new Error('platforms is empty: give at least one, e.g. linux/amd64,linux/arm64');
  const include = platforms.map((platform) => {
    if (!PLATFORM.test(platform))
      throw new Error(`platforms: "${platform}" is not os/arch[/variant], e.g. linux/arm64`);
    const own = runners[platform];
    const { runner, qemu } = own ?? emulator;
    return { platform, runner, qemu: own ? (qemu ?? false) : true, name: platform.replace(/\//g, '-') };
  });
  return { include };
}

/**
 * Pure: the shard-key of one call of the workflow: the caller's, or one derived from all the call's
 * inputs (CALL_INPUTS, toJSON(inputs)), so two calls in one run never see each other's shards while
 * a re-run of a call finds its own.
 */
export function callShardKey(explicit, callInputs) {
  if (explicit.trim()) return explicit.trim();
  return `call-${createHash('sha256').update(callInputs).digest('hex').slice(0, 8)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const matrix = shardMatrix(process.env.PLATFORMS ?? '', process.env.RUNNERS ?? '');
    const key = callShardKey(process.env.SHARD_KEY ?? '', process.env.CALL_INPUTS ?? '');
    const out = `matrix=${JSON.stringify(matrix)}\nplatforms=${matrix.include.map((l) => l.platform).join(',')}\nshard-key=${key}\n`;
    if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, out);
    else process.stdout.write(out);
    for (const l of matrix.include)
      process.stdout.write(`${l.platform}: ${JSON.stringify(l.runner)}${l.qemu ? ' (QEMU)' : ' (native)'}\n`);
  } catch (err) {
    // one line, %-escaped: nothing in a value can start another workflow command
    const msg = String(err.message).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    process.stdout.write(`::error title=multiarch plan::${msg}\n`);
    process.exitCode = 1;
  }
}
