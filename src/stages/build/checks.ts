import * as path from 'node:path';

import type { AnnotationProps } from '../../ports/host.js';

/**
 * Build-check warnings (the Dockerfile frontend's lint rules) as build-push-action shows them: one
 * ::warning annotation a finding, on its Dockerfile line. buildx (0.15 and later) records them in
 * the metadata file under buildx.build.warnings, each text field base64 encoded. Everything in a
 * warning comes from the Dockerfile (untrusted): it only ever becomes an annotation's text, which
 * the host escapes, never a line of the log of its own.
 */
export interface CheckAnnotation extends Pick<AnnotationProps, 'file' | 'startLine'> {
  message: string;
  title: string;
}

interface RawWarning {
  short?: unknown;
  detail?: unknown;
  url?: unknown;
  sourceInfo?: { filename?: unknown };
  range?: { start?: { line?: unknown } }[];
}

/** The most findings annotated: GitHub shows 10 warning annotations a step anyway. */
const MAX_ANNOTATIONS = 10;
/** The longest text an annotation keeps of a finding. */
const MAX_TEXT = 2000;

/** DOCKER_BUILD_CHECKS_ANNOTATIONS=false turns the annotations off, as in build-push-action. */
export function checksAnnotationsEnabled(env: NodeJS.ProcessEnv): boolean {
  return !/^(?:0|f|false)$/i.test((env.DOCKER_BUILD_CHECKS_ANNOTATIONS ?? '').trim());
}

const decode = (v: unknown): string =>
  typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8').replace(/\s+/g, ' ').trim() : '';

const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s);

/**
 * Pure: the annotations of buildx's metadata JSON. `dockerfile` (workspace-relative) names the file
 * when the warning's source has its base name; a finding in another file (or none) is annotated
 * without a place. Unreadable metadata has none.
 */
export function buildCheckAnnotations(metadata: string, dockerfile?: string): CheckAnnotation[] {
  let warnings: unknown;
  try {
    warnings = (JSON.parse(metadata) as Record<string, unknown>)['buildx.build.warnings'];
  } catch {
    return [];
  }
  if (!Array.isArray(warnings)) return [];
  return (warnings as RawWarning[]).slice(0, MAX_ANNOTATIONS).map((w) => {
    const short = decode(w.short);
    const detail = Array.isArray(w.detail) ? w.detail.map(decode).filter(Boolean).join(' ') : '';
    const url = typeof w.url === 'string' && /^https:\/\/\S+$/.test(w.url) ? w.url : '';
    const source = typeof w.sourceInfo?.filename === 'string' ? w.sourceInfo.filename : '';
    const line = Number(w.range?.[0]?.start?.line);
    const inFile = Boolean(dockerfile && source && path.basename(source) === path.basename(dockerfile));
    return {
      title: clip(short.split(':', 1)[0] || 'Build check'),
      message: clip([detail || short, url && `More info: ${url}`].filter(Boolean).join('\n')),
      ...(inFile ? { file: dockerfile } : {}),
      ...(inFile && Number.isInteger(line) && line > 0 ? { startLine: line } : {}),
    };
  });
}
