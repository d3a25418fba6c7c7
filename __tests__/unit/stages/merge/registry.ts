import { manifestDigest } from '../../../../src/oci/manifests.js';
import { fakeEngine } from '../../fakes.js';

/**
 * A docker whose registry holds `registry` (reference → manifest or index, read with
 * `imagetools inspect --raw`) and `config` (reference → image config, read with `--format`).
 */
export const registryEngine = (registry: Record<string, object>, config: Record<string, object> = {}) =>
  fakeEngine(({ argv }) => {
    if (argv[2] === 'imagetools' && argv[3] === 'inspect') {
      const ref = argv[argv.length - 1]!;
      const table = argv.includes('{{json .Image}}') ? config : registry;
      const found = table[ref];
      return found ? { stdout: JSON.stringify(found) } : { code: 1, stderr: `ERROR: ${ref}: not found` };
    }
    return {};
  });

/** The digest the registry gives `body` as registryEngine serves it: the sha256 of its bytes. */
export const servedDigest = (body: object) => manifestDigest(JSON.stringify(body));
