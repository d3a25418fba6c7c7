/** The meta stage's effects: its outputs written as files, set as step outputs and exported. */
import type { Files } from '../../ports/files.js';
import type { Host } from '../../ports/host.js';
import { metaEnvName, type MetaOutputs } from './outputs.js';

export interface PublishDeps {
  files: Pick<Files, 'writeFile'>;
  host: Pick<Host, 'setOutput' | 'exportVariable'>;
  /** Export each output as DOCKER_METADATA_OUTPUT_* too (exportsMetaEnv). */
  exportEnv: boolean;
}

/** Act: the bake files written, every output set (and exported, as metadata-action does, for later steps). */
export function publishMetaOutputs(out: MetaOutputs, deps: PublishDeps): void {
  for (const [file, text] of out.files) deps.files.writeFile(file, text, 0o644);
  for (const [name, value] of out.outputs) {
    deps.host.setOutput(name, value);
    // DOCKER_METADATA_SET_OUTPUT_ENV=false turns the export off
    if (deps.exportEnv) deps.host.exportVariable(metaEnvName(name), value);
  }
}
