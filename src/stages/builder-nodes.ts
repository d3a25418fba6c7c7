/**
 * Multi-node builders (`append`): which node builds which platform. buildx sends a platform to a
 * node that pins it (`--platform` at create), but only when the nodes are pinned: an unpinned first
 * node (it lists every platform QEMU gives it) takes them all, and the appended per-arch node sits
 * idle (seen with buildx 0.13.1). So when append pins platforms, the first node is pinned to the
 * build's other platforms. Pure rules only.
 */
import type { AppendNode } from '../inputs/builder.js';

/** Pure: the first node's pinned platforms ([] = leave it unpinned). */
export function firstNodePins(platforms: string[], append: AppendNode[]): string[] {
  const pinned = new Set(append.flatMap((n) => n.platforms));
  if (!pinned.size) return [];
  return platforms.filter((p) => !pinned.has(p));
}

/** Pure: "platform on node" for the log, by the rule above (buildx names unnamed nodes <builder><index>). */
export function nodeAssignment(builder: string, platforms: string[], first: string[], append: AppendNode[]): string {
  const nodes = [{ name: `${builder}0`, platforms: first }, ...append.map((n, i) => ({ name: n.name ?? `${builder}${i + 1}`, platforms: n.platforms }))];
  return platforms.map((p) => `${p} on node ${nodes.find((n) => n.platforms.includes(p))?.name ?? `${builder}0`}`).join(', ');
}
