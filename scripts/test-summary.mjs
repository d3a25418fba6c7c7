// Print jest's counts as the plain closing line CI reads: "jest: N passed, N failed, N skipped".
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file || !existsSync(file)) {
  console.log('jest: 0 passed, 1 failed');
  console.error(`test-summary: no results file ${file ?? ''} (jest did not finish)`);
  process.exit(1);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const failed = r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
const skipped = r.numPendingTests + (r.numTodoTests ?? 0);
// the reliability battery (bad inputs, faults), counted on its own line; the jest line stays last
const battery = (r.testResults ?? [])
  .filter((t) => /battery[^/]*\.test\.ts$/.test(t.name))
  .flatMap((t) => t.assertionResults ?? []);
if (battery.length) {
  const n = (s) => battery.filter((a) => a.status === s).length;
  console.log(`battery: ${battery.length} cases, ${n('passed')} passed, ${n('failed')} failed`);
}
console.log(`jest: ${r.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
if (r.numTotalTests === 0) process.exit(1);
