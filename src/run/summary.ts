/** The step summary's table (GITHUB_STEP_SUMMARY; the CLI renders the same rows in the terminal). */

export interface Timing {
  stage: string;
  seconds: number;
}

export interface SummaryExtra {
  imageid?: string;
  /** Layer cache result ('-' when there is none). */
  cache?: string;
  status?: 'succeeded' | 'failed';
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function summaryTable(
  refs: string[],
  digest: string,
  platforms: string[],
  pushed: boolean,
  timings: Timing[],
  extra: SummaryExtra = {},
): string {
  const rows = [
    '### multiarch-action',
    '',
    '| | |',
    '|---|---|',
    `| images | ${escapeCell(refs.map((r) => `\`${r}\``).join('<br>') || '(untagged)')} |`,
    `| digest | \`${escapeCell(digest || '-')}\` |`,
    `| platforms | ${escapeCell(platforms.join(', '))} |`,
    `| pushed | ${pushed ? 'yes' : 'no'} |`,
    ...(extra.imageid ? [`| image ID | \`${escapeCell(extra.imageid)}\` |`] : []),
    `| cache | ${escapeCell(extra.cache || '-')} |`,
    ...(extra.status ? [`| result | ${extra.status} |`] : []),
    `| stage times | ${timings.map((t) => `${t.stage} ${t.seconds.toFixed(1)}s`).join(', ')} |`,
    '',
  ];
  return rows.join('\n');
}
