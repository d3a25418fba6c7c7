/**
 * What GitHub makes of a job summary, for tests: the markdown rendered as GFM (markdown-it with raw
 * HTML and linkify on, as GitHub autolinks), and every construct in it that is not our own summary's
 * markup: our headings, paragraphs, tables, lists, bold, <code> and <br>. A value that starts a link,
 * an image, a heading, emphasis or an HTML element shows up in `foreign`.
 */
import MarkdownIt from 'markdown-it';

/** Every construct a value could try to start in GFM (a job summary), each as its own value. */
export const HOSTILE_MARKDOWN = [
  '# HACKED: all checks passed',
  'a\r# HACKED cr',
  'a\n# HACKED lf',
  'a\u2028# HACKED ls',
  'a\u2029# HACKED ps',
  'a\u0085# HACKED nel',
  '[x](https://evil.example/x)',
  '![x](https://evil.example/t.png)',
  '[x]: https://evil.example/ref [x]',
  '<img src=https://evil.example/t.png>',
  '<script>alert(1)</script>',
  '<details open><summary>x</summary>y</details>',
  '<https://evil.example/auto>',
  'see https://evil.example/u and www.evil.example and mail@evil.com and evil.com/x and //localhost',
  '*em* _em_ **strong** __strong__ ~~del~~ `code` $x^2$',
  'a | b | c',
  '> quote',
  '- item',
  '1. item',
  '---',
  '&lt;b&gt; &amp; &#60;img&#62; &copy;',
  'back\\slash \\| \\* \\',
  '[^1] [ ] [x]',
  'nul\u0000 esc\u001b[31m del\u007f csi\u009b bidi\u202e',
];

type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];

const md = new MarkdownIt({ html: true, linkify: true });

/** Block tokens our summaries are made of. */
const OUR_BLOCKS = new Set([
  'heading_open',
  'heading_close',
  'paragraph_open',
  'paragraph_close',
  'inline',
  'table_open',
  'table_close',
  'thead_open',
  'thead_close',
  'tbody_open',
  'tbody_close',
  'tr_open',
  'tr_close',
  'th_open',
  'th_close',
  'td_open',
  'td_close',
  'bullet_list_open',
  'bullet_list_close',
  'list_item_open',
  'list_item_close',
]);

/** Inline tokens our summaries are made of (text_special: a backslash escape or an entity, shown as text). */
const OUR_INLINE = new Set(['text', 'text_special', 'strong_open', 'strong_close']);
const OUR_TAGS = new Set(['<code>', '</code>', '<br>']);

export interface RenderedSummary {
  /** Every construct that is not our markup, as `type` (`html_inline <img src=x>`, `link_open`, …). */
  foreign: string[];
  /** The text of each heading, in order. */
  headings: string[];
  /** The text a reader sees, cells separated by ' | ', blocks by a line break. */
  text: string;
}

/** What a reader sees of inline tokens: our <br> a line break, our <code> tags dropped. */
function inlineText(children: Token[]): string {
  return children
    .map((c) =>
      c.type !== 'html_inline' ? c.content : c.content === '<br>' ? '\n' : OUR_TAGS.has(c.content) ? '' : c.content,
    )
    .join('');
}

export function renderSummary(markdown: string): RenderedSummary {
  const tokens = md.parse(markdown, {});
  const foreign: string[] = [];
  const headings: string[] = [];
  const text: string[] = [];
  tokens.forEach((t, i) => {
    if (!OUR_BLOCKS.has(t.type)) foreign.push(`${t.type} ${t.content}`.trim());
    if (t.type === 'heading_open') headings.push(inlineText(tokens[i + 1]?.children ?? []).replace(/<\/?code>/g, ''));
    if (t.type !== 'inline') return;
    for (const c of t.children ?? []) {
      const ours = OUR_INLINE.has(c.type) || (c.type === 'html_inline' && OUR_TAGS.has(c.content));
      if (!ours) foreign.push(`${c.type} ${c.content}`.trim());
    }
    text.push(inlineText(t.children ?? []));
  });
  return { foreign, headings, text: text.join('\n') };
}
