/** Helpers for layer cache tests: reading buildx's plain progress log. */

export interface Step {
  id: string;
  name: string;
  cached: boolean;
}

/** The Dockerfile steps of a buildx plain log ("#5 [linux/amd64 2/4] RUN ..."), each with whether it was CACHED. */
export function buildSteps(log: string): Step[] {
  const steps = new Map<string, Step>();
  for (const line of log.split('\n')) {
    const head = /^#(\d+) \[([^\]]*\d+\/\d+)\] (.*)$/.exec(line.trim());
    if (head && !steps.has(head[1]!))
      steps.set(head[1]!, { id: head[1]!, name: `[${head[2]}] ${head[3]}`, cached: false });
    const cached = /^#(\d+) CACHED$/.exec(line.trim());
    if (cached && steps.has(cached[1]!)) steps.get(cached[1]!)!.cached = true;
  }
  return [...steps.values()];
}
