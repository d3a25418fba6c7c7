// `npm run docs`: write the inputs and outputs tables of README.md from action.yml, between the
// markers <!-- inputs:start --> … <!-- inputs:end --> and <!-- outputs:start --> … <!-- outputs:end -->.
// `node scripts/docs.mjs --check [README]` changes nothing and exits 1 when the README has drifted.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const cell = (s) =>
  String(s ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\|/g, '\\|');
const code = (s) => (s === '' ? '`""`' : `\`${cell(s).replace(/`/g, "'")}\``);

export function renderTables(actionYmlText) {
  const yml = parse(actionYmlText) ?? {};
  const inputs = Object.entries(yml.inputs ?? {}).map(
    ([name, v]) =>
      `| \`${name}\` | ${cell(v?.description)} | ${code(v?.default === undefined || v?.default === null ? '' : String(v.default))} |`,
  );
  const outputs = Object.entries(yml.outputs ?? {}).map(([name, v]) => `| \`${name}\` | ${cell(v?.description)} |`);
  return {
    inputs: ['| input (CLI: `--input`) | description | default |', '|---|---|---|', ...inputs].join('\n'),
    outputs: ['| output | description |', '|---|---|', ...outputs].join('\n'),
  };
}

export function updateReadme(readme, tables) {
  let text = readme;
  for (const [name, table] of Object.entries(tables)) {
    const start = `<!-- ${name}:start (generated from action.yml by npm run docs) -->`;
    const end = `<!-- ${name}:end -->`;
    const re = new RegExp(`<!-- ${name}:start[^>]*-->[\\s\\S]*?<!-- ${name}:end -->`);
    if (!re.test(text)) throw new Error(`README has no ${start} … ${end} markers`);
    text = text.replace(re, () => `${start}\n${table}\n${end}`);
  }
  return text;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  const file = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? join(root, 'README.md');
  const readme = readFileSync(file, 'utf8');
  const next = updateReadme(readme, renderTables(readFileSync(join(root, 'action.yml'), 'utf8')));
  if (check) {
    if (next !== readme) {
      console.error(
        `${file}: the inputs/outputs tables differ from action.yml: run "npm run docs" and commit README.md`,
      );
      process.exit(1);
    }
    console.log(`${file}: tables match action.yml`);
  } else if (next !== readme) {
    writeFileSync(file, next);
    console.log(`${file}: tables updated from action.yml`);
  } else {
    console.log(`${file}: tables already match action.yml`);
  }
}
