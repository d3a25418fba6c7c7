import type { AnchorEvent } from './events.js';

/** What a case gives metadata-action (its Inputs, list inputs as lines). */
export interface AnchorInputs {
  images: string[];
  tags?: string[];
  flavor?: string[];
  labels?: string[];
  annotations?: string[];
}

/**
 * [id, event fixture, inputs, version.main, version.partial, version.latest, tags, labels (default:
 * the standard ones), annotations without level (default: the labels), as metadata-action's test reads them].
 */
export type AnchorCase = [
  string,
  AnchorEvent,
  AnchorInputs,
  string | undefined,
  string[],
  boolean,
  string[],
  string[]?,
  string[]?,
];
