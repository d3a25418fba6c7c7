/**
 * Docker image reference grammar (distribution/reference), used to make sure we never hand
 * buildx an invalid reference — branch and tag names are untrusted input.
 */
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domain = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?`;
const pathComponent = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const NAME_RE = new RegExp(`^(?:${domain}/)?${pathComponent}(?:/${pathComponent})*$`);
const MAX_NAME = 255;

export function isValidTag(tag: string): boolean {
  return TAG_RE.test(tag);
}

export function isValidName(name: string): boolean {
  return name.length <= MAX_NAME && NAME_RE.test(name);
}

/** name[:tag] — what we pass to `--tag`. */
export function isValidReference(ref: string): boolean {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return isValidName(ref.slice(0, colon)) && isValidTag(ref.slice(colon + 1));
  return isValidName(ref);
}

/** Why a name is not valid, for an error message; undefined when it is. */
export function explainName(name: string): string | undefined {
  if (isValidName(name)) return undefined;
  const slash = name.lastIndexOf('/');
  const last = name.slice(slash + 1);
  if (name.includes('@')) return 'an image name must not contain a digest (@sha256:...)';
  if (last.includes(':')) return 'an image name must not contain a tag; put tags in "tags"';
  if (name.length > MAX_NAME) return `an image name is at most ${MAX_NAME} characters`;
  return 'not a valid image name: use [registry[:port]/]path with lowercase letters, digits and separators (., _, __, -)';
}

/**
 * The registry a reference names, as docker reads it: the first path component when it looks like a
 * host (has a "." or ":", or is "localhost"), else docker.io. Lowercased, port kept.
 */
export function registryHost(ref: string): string {
  const slash = ref.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = ref.slice(0, slash);
  return /[.:]/.test(first) || first === 'localhost' ? first.toLowerCase() : 'docker.io';
}

/** Whether a registry host (with or without its port) is this machine's loopback: localhost, 127.0.0.0/8, [::1]. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/:\d+$/, '');
  return h === 'localhost' || /^127(?:\.\d{1,3}){3}$/.test(h) || h === '[::1]';
}
