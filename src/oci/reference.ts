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

/** A content digest as registries and OCI layouts name blobs; anything else (an untrusted answer) is refused. */
const BLOB_DIGEST = /^(sha256):([a-f0-9]{64})$|^(sha512):([a-f0-9]{128})$/;

/** A content digest's algorithm and lower-case hex (sha256 or sha512), or undefined when it is not one. */
export function blobDigestParts(digest: string): { algorithm: 'sha256' | 'sha512'; hex: string } | undefined {
  const m = BLOB_DIGEST.exec(digest);
  if (!m) return undefined;
  return m[1] ? { algorithm: 'sha256', hex: m[2]! } : { algorithm: 'sha512', hex: m[4]! };
}

/** A content digest (sha256 or sha512) as an OCI layout names a blob. */
export function isBlobDigest(digest: string): boolean {
  return blobDigestParts(digest) !== undefined;
}

/** A sha256 content digest as registries name manifests and blobs: `sha256:` and 64 lower-case hex digits. */
export function isSha256Digest(digest: string): boolean {
  return blobDigestParts(digest)?.algorithm === 'sha256';
}

export function isValidTag(tag: string): boolean {
  return TAG_RE.test(tag);
}

export function isValidName(name: string): boolean {
  return name.length <= MAX_NAME && NAME_RE.test(name);
}

/** name[:tag] — what we pass to `--tag` (no digest). */
export function isValidReference(ref: string): boolean {
  const { name, tag, digest } = referenceParts(ref);
  return digest === undefined && isValidName(name) && (tag === undefined || isValidTag(tag));
}

/** Why a name is not valid, for an error message; undefined when it is. */
export function explainName(name: string): string | undefined {
  if (isValidName(name)) return undefined;
  const parts = referenceParts(name);
  if (parts.digest !== undefined) return 'an image name must not contain a digest (@sha256:...)';
  if (parts.tag !== undefined) return 'an image name must not contain a tag; put tags in "tags"';
  if (name.length > MAX_NAME) return `an image name is at most ${MAX_NAME} characters`;
  return 'not a valid image name: use [registry[:port]/]path with lowercase letters, digits and separators (., _, __, -)';
}

/** A reference's parts as written, nothing checked or normalised. */
export interface ReferenceParts {
  /** Everything before the tag and the digest: [registry[:port]/]path. */
  name: string;
  /** After a ':' in the last path component (before any digest); undefined when none. */
  tag?: string;
  /** After the last '@' ("sha256:..."); undefined when none. */
  digest?: string;
}

/**
 * The one split of name[:tag][@digest]: the digest after the last '@' (a name or tag never holds
 * one, so "a@b@sha256:…" is the name "a@b", quoted back as invalid), the tag after a ':' that comes
 * after the last '/' (a ':' before it is a registry port).
 */
export function referenceParts(ref: string): ReferenceParts {
  const at = ref.lastIndexOf('@');
  const rest = at < 0 ? ref : ref.slice(0, at);
  const colon = rest.lastIndexOf(':');
  const parts: ReferenceParts =
    colon > rest.lastIndexOf('/') ? { name: rest.slice(0, colon), tag: rest.slice(colon + 1) } : { name: rest };
  if (at >= 0) parts.digest = ref.slice(at + 1);
  return parts;
}

/** name[:tag][@digest] with its name lowercased (docker names are lowercase; a tag keeps its case). */
export function lowercaseName(ref: string): string {
  const { name, tag, digest } = referenceParts(ref);
  return `${name.toLowerCase()}${tag === undefined ? '' : `:${tag}`}${digest === undefined ? '' : `@${digest}`}`;
}

/** A reference split the way docker resolves it: registry host, repository path, tag or digest. */
export interface SplitReference {
  /** As docker names it: "docker.io" for Docker Hub, else host[:port]. */
  registry: string;
  /** The repository path on that registry ("library/alpine" for "alpine"). */
  repository: string;
  /** "latest" when neither tag nor digest is given; a digest when one is ("sha256:..."). */
  reference: string;
}

/** Split name[:tag][@digest]: the first component is a registry when it has a dot or a port, or is localhost. */
export function splitReference(ref: string): SplitReference {
  const { name: rest, tag, digest } = referenceParts(ref);
  const reference = digest ?? tag ?? 'latest';
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  if (first && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    const registry = first === 'index.docker.io' ? 'docker.io' : first;
    const repository = rest.slice(slash + 1);
    return {
      registry,
      repository: registry === 'docker.io' && !repository.includes('/') ? `library/${repository}` : repository,
      reference,
    };
  }
  return { registry: 'docker.io', repository: rest.includes('/') ? rest : `library/${rest}`, reference };
}

/**
 * The registry a reference names, as docker reads it: the first path component when it looks like a
 * host (has a "." or ":", or is "localhost"), else docker.io (splitReference). Lowercased, port kept.
 */
export function registryHost(ref: string): string {
  return splitReference(ref).registry.toLowerCase();
}

/** Whether a registry host (with or without its port) is this machine's loopback: localhost, 127.0.0.0/8, [::1]. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/:\d+$/, '');
  return h === 'localhost' || /^127(?:\.\d{1,3}){3}$/.test(h) || h === '[::1]';
}

/**
 * One image name however Docker's short names spell it: docker.io/library/x ≡ library/x ≡ x,
 * docker.io/o/x ≡ o/x, index.docker.io too (splitReference's rules); lower-cased. For comparing
 * names, not for a command line.
 */
export function normaliseImageName(name: string): string {
  const { registry, repository } = splitReference(name.toLowerCase());
  if (registry !== 'docker.io') return `${registry}/${repository}`;
  return repository.replace(/^library\/(?=[^/]+$)/, '');
}
