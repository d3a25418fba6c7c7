/**
 * A loopback stand-in for the GitHub Actions artifact service (v4, the results API), for tests
 * only: the twirp JSON calls @actions/artifact makes at ACTIONS_RESULTS_URL (CreateArtifact,
 * FinalizeArtifact, ListArtifacts, GetSignedArtifactURL, DeleteArtifact), with the zips stored in
 * Azurite behind signed blob URLs, as on GitHub. Artifacts belong to the workflow run named in the
 * request (the run id @actions/artifact reads from the runtime token), so runs never see each other's.
 */
import type { ServerResponse } from 'node:http';

import { type Blobs, json, parseBody, startBlobs, startLoopback, twirpMethod } from './twirp-standin.js';

const CONTAINER = 'actions-artifacts';
const SERVICE = 'github.actions.results.api.v1.ArtifactService';

export interface StoredArtifact {
  id: number;
  run: string;
  job: string;
  name: string;
  blob: string;
  size: string;
  finalized: boolean;
  created: Date;
}

export interface ArtifactStandIn {
  /** Environment of a job step in workflow run `run`, job run `job`. */
  env(run: string, job: string): Record<string, string>;
  artifacts: StoredArtifact[];
  /** Twirp methods called, in order. */
  calls: string[];
  /** Refuse CreateArtifact (403). */
  failUpload: boolean;
  blobs: Blobs;
  close(): Promise<void>;
}

/** A runtime token as the runner's: a JWT whose scp claim names the run and job (the signature is not checked by the client). */
function runtimeToken(run: string, job: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ scp: `Actions.GenericRead:${run} Actions.Results:${run}:${job}` })}.c2ln`;
}

export async function startArtifactStandIn(): Promise<ArtifactStandIn> {
  const blobs = await startBlobs(CONTAINER);
  let seq = 0;
  const standIn: ArtifactStandIn = {
    env: () => ({}),
    artifacts: [],
    calls: [],
    failUpload: false,
    blobs,
    close: async () => {
      await server.close();
      blobs.close();
    },
  };
  const describe = (a: StoredArtifact) => ({
    workflow_run_backend_id: a.run,
    workflow_job_run_backend_id: a.job,
    database_id: String(a.id),
    name: a.name,
    size: a.size,
    created_at: a.created.toISOString(),
  });

  const twirp = (method: string, req: Record<string, unknown>, res: ServerResponse) => {
    const run = String(req.workflow_run_backend_id ?? '');
    const name = String(req.name ?? '');
    const ofRun = standIn.artifacts.filter((a) => a.run === run);
    switch (method) {
      case 'CreateArtifact': {
        // names are unique in a run, as on GitHub
        if (ofRun.some((a) => a.name === name))
          return json(res, 409, {
            code: 'already_exists',
            msg: `an artifact named ${name} already exists in this run`,
          });
        const id = ++seq;
        const blob = `artifact-${id}.zip`;
        standIn.artifacts.push({
          id,
          run,
          job: String(req.workflow_job_run_backend_id ?? ''),
          name,
          blob,
          size: '0',
          finalized: false,
          created: new Date(),
        });
        return json(res, 200, { ok: true, signed_upload_url: blobs.sign(blob, 'cw') });
      }
      case 'FinalizeArtifact': {
        const a = ofRun.find((x) => x.name === name && !x.finalized);
        if (!a) return json(res, 404, { code: 'not_found', msg: 'no such upload' });
        a.finalized = true;
        a.size = String(req.size ?? '0');
        return json(res, 200, { ok: true, artifact_id: String(a.id) });
      }
      case 'ListArtifacts': {
        const byName = req.name_filter === undefined ? undefined : String(req.name_filter);
        const byId = req.id_filter === undefined ? undefined : Number(req.id_filter);
        const list = ofRun.filter(
          (a) => a.finalized && (byName === undefined || a.name === byName) && (byId === undefined || a.id === byId),
        );
        return json(res, 200, { artifacts: list.map(describe) });
      }
      case 'GetSignedArtifactURL': {
        const a = ofRun.find((x) => x.name === name && x.finalized);
        if (!a) return json(res, 404, { code: 'not_found', msg: `no artifact named ${name}` });
        return json(res, 200, { name, signed_url: blobs.sign(a.blob, 'r') });
      }
      case 'DeleteArtifact': {
        const a = ofRun.find((x) => x.name === name);
        if (!a) return json(res, 404, { code: 'not_found', msg: `no artifact named ${name}` });
        standIn.artifacts.splice(standIn.artifacts.indexOf(a), 1);
        return json(res, 200, { ok: true, artifact_id: String(a.id) });
      }
      default:
        return json(res, 404, { code: 'bad_route', msg: `no handler for ${method}` });
    }
  };

  const server = await startLoopback((req, res, body) => {
    const method = twirpMethod(req, SERVICE);
    if (!method) {
      res.writeHead(404);
      return res.end();
    }
    standIn.calls.push(method);
    if (!/^Bearer .+/.test(req.headers.authorization ?? ''))
      return json(res, 401, { code: 'unauthenticated', msg: 'no token' });
    // 403, which the client does not retry (a 5xx would be retried for about half a minute)
    if (standIn.failUpload && method === 'CreateArtifact')
      return json(res, 403, { code: 'permission_denied', msg: 'injected fault: artifacts are disabled' });
    const parsed = parseBody(body, res);
    return parsed && twirp(method, parsed, res);
  });
  standIn.env = (run, job) => ({
    ACTIONS_RESULTS_URL: `http://127.0.0.1:${server.port}/`,
    ACTIONS_RUNTIME_TOKEN: runtimeToken(run, job),
  });
  return standIn;
}
