import type { AppendNode } from '../../inputs/builder.js';

/** One node of a builder as setup-buildx-action's `nodes` output lists it. */
export interface BuilderNode {
  name: string;
  endpoint: string;
  'driver-opts'?: string[];
  status: string;
  'buildkitd-flags'?: string;
  buildkit?: string;
  /** Comma separated, as setup-buildx-action writes it. */
  platforms: string;
}

// `docker buildx inspect` keys per node (newer buildx first, then the names older releases print)
const KEYS: Record<string, keyof BuilderNode> = {
  name: 'name',
  endpoint: 'endpoint',
  'driver options': 'driver-opts',
  status: 'status',
  'buildkit daemon flags': 'buildkitd-flags',
  flags: 'buildkitd-flags',
  'buildkit version': 'buildkit',
  buildkit: 'buildkit',
  platforms: 'platforms',
};

/**
 * Pure: the nodes of `docker buildx inspect` text (the section after "Nodes:", one block per
 * "Name:"), with the fields setup-buildx-action's `nodes` output has. Unknown lines (labels, GC
 * policy, devices) are skipped; a node without a status line gets ''.
 */
export function parseInspectNodes(text: string): BuilderNode[] {
  const nodes: BuilderNode[] = [];
  const at = text.search(/^Nodes:\s*$/m);
  if (at < 0) return nodes;
  let node: BuilderNode | undefined;
  for (const line of text.slice(at).split('\n').slice(1)) {
    const m = /^([A-Za-z][A-Za-z ]*?):\s*(.*)$/.exec(line);
    const key = m ? KEYS[m[1]!.trim().toLowerCase()] : undefined;
    if (!m || !key) continue;
    const value = m[2]!.trim();
    if (key === 'name') {
      node = { name: value, endpoint: '', status: '', platforms: '' };
      nodes.push(node);
    } else if (!node) {
      continue;
    } else if (key === 'driver-opts') {
      // key="value" pairs separated by spaces
      node['driver-opts'] = [...value.matchAll(/(\S+?)="([^"]*)"/g)].map((x) => `${x[1]}=${x[2]}`);
    } else if (key === 'platforms') {
      node.platforms = nodePlatforms(value);
    } else {
      node[key] = value;
    }
  }
  return nodes;
}

/**
 * Pure: a node's platforms as setup-buildx-action reports them: buildx marks the platforms a node
 * was pinned to (`--platform` at create) with `*` and lists the ones it detected after them; a
 * pinned node is reported with its pins only.
 */
export function nodePlatforms(value: string): string {
  const all = value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const pinned = all.filter((p) => p.endsWith('*'));
  return (pinned.length ? pinned : all).map((p) => p.replace(/\*+$/, '')).join(',');
}

/**
 * Multi-node builders (`append`): which node builds which platform. buildx sends a platform to a
 * node that pins it (`--platform` at create), but only when the nodes are pinned: an unpinned first
 * node (it lists every platform QEMU gives it) takes them all, and the appended per-arch node sits
 * idle (seen with buildx 0.13.1). So when append pins platforms, the first node is pinned to the
 * build's other platforms. Pure rules only.
 */

/** Pure: the first node's pinned platforms ([] = leave it unpinned). */
export function firstNodePins(platforms: string[], append: AppendNode[]): string[] {
  const pinned = new Set(append.flatMap((n) => n.platforms));
  if (!pinned.size) return [];
  return platforms.filter((p) => !pinned.has(p));
}

/** Pure: "platform on node" for the log, by the rule above (buildx names unnamed nodes <builder><index>). */
export function nodeAssignment(builder: string, platforms: string[], first: string[], append: AppendNode[]): string {
  const nodes = [
    { name: `${builder}0`, platforms: first },
    ...append.map((n, i) => ({ name: n.name ?? `${builder}${i + 1}`, platforms: n.platforms })),
  ];
  return platforms
    .map((p) => `${p} on node ${nodes.find((n) => n.platforms.includes(p))?.name ?? `${builder}0`}`)
    .join(', ');
}
