import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { checkStageRecipe } from './stage-recipe.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');

test('every folder of src/stages/ follows the stage recipe of CONTRIBUTING.md', () => {
  expect(checkStageRecipe(path.join(ROOT, 'src', 'stages'))).toEqual([]);
});

describe('the stage recipe check, on a tree made for it', () => {
  let src: string;
  const write = (rel: string, text: string) => {
    const file = path.join(src, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  };
  const recipe = (stage: string) => {
    write(`stages/${stage}/plan.ts`, 'export const x = 1;\n');
    write(`stages/${stage}/act.ts`, "import * as fs from 'node:fs';\nexport const read = fs.readFileSync;\n");
    write(`stages/${stage}/wiring.ts`, "import { read } from './act.js';\nexport const w = read;\n");
  };

  beforeEach(() => {
    src = fs.mkdtempSync(path.join(os.tmpdir(), 'stage-recipe-'));
    write('ports/exec.ts', "import { spawn } from 'node:child_process';\nexport type Exec = typeof spawn;\n");
    write('ports/cache.ts', "export const load = () => import('@actions/cache');\n");
    write('oci/words.ts', 'export const words = 1;\n');
    recipe('good');
  });
  afterEach(() => fs.rmSync(src, { recursive: true, force: true }));

  test('a folder that follows the recipe passes, act-*.ts doing I/O and type-only imports included', () => {
    write('stages/good/act-extra.ts', "import * as os from 'node:os';\nexport const home = os.homedir();\n");
    write(
      'stages/good/helper.ts',
      "import type { read } from './act.js';\nimport { words } from '../../oci/words.js';\nexport type R = typeof read;\nexport const n = words;\n",
    );
    expect(checkStageRecipe(path.join(src, 'stages'))).toEqual([]);
  });

  test('a new folder without plan.ts, act.ts or wiring.ts fails, naming the folder and the file', () => {
    write('stages/fresh/stage.ts', 'export const s = 1;\n');
    expect(checkStageRecipe(path.join(src, 'stages'))).toEqual([
      'stages/fresh/ has no plan.ts',
      'stages/fresh/ has no act.ts',
      'stages/fresh/ has no wiring.ts',
    ]);
  });

  test('a pure file that imports an I/O module fails, naming the file and the module', () => {
    write('stages/good/plan.ts', "import * as fs from 'node:fs';\nexport const e = fs.existsSync('x');\n");
    expect(checkStageRecipe(path.join(src, 'stages'))).toEqual([
      'stages/good/plan.ts imports node:fs: I/O belongs in act*.ts or wiring.ts',
    ]);
  });

  test('I/O reached through other modules is found, with the chain of imports', () => {
    write('stages/good/helper.ts', "import { load } from '../../ports/cache.js';\nexport const l = load;\n");
    write('stages/good/plan.ts', "import { read } from './act.js';\nexport const r = read;\n");
    expect(checkStageRecipe(path.join(src, 'stages'))).toEqual([
      'stages/good/helper.ts imports ../../ports/cache.js → @actions/cache: I/O belongs in act*.ts or wiring.ts',
      'stages/good/plan.ts imports ./act.js: I/O belongs in act*.ts or wiring.ts',
    ]);
  });

  test('a pure file that takes the exec gateway, even as a type, or reads process fails', () => {
    write(
      'stages/good/plan.ts',
      "import type { Exec } from '../../ports/exec.js';\nexport const run = (e: Exec) => e;\nexport const arch = process.arch;\n",
    );
    expect(checkStageRecipe(path.join(src, 'stages'))).toEqual([
      'stages/good/plan.ts reads process: only act*.ts and wiring.ts may',
      'stages/good/plan.ts imports the exec gateway (../../ports/exec.js): what runs commands belongs in act*.ts',
    ]);
  });
});
