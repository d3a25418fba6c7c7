/**
 * A workflow runner for tests: runs a caller workflow, and the reusable workflow it calls, as
 * GitHub reads them. Parsing and the job model are GitHub's own (@actions/workflow-parser), every
 * `${{ }}` is evaluated by GitHub's engine (@actions/expressions, strictly: see expressions.ts).
 * Jobs run in `needs` order, a matrix expands from the real outputs of the jobs before it, and
 * each job gets a fresh workspace and RUNNER_TEMP, as on a fresh runner. Steps:
 * - `run:` with bash, with GITHUB_OUTPUT, GITHUB_ENV and GITHUB_STEP_SUMMARY files;
 * - `actions/checkout` as a copy of a local git repository at the requested ref (checkout.ts);
 * - `uses: ./path` as the e2e harness runs dist/ (main, then its post: the action is the last
 *   step of every job it is used in here).
 * `runs-on` is recorded, not obeyed: every job runs on this machine. Anything the runner cannot
 * run, or an expression it cannot evaluate, fails the run naming the job, the step and the
 * expression.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
  convertWorkflowTemplate,
  isMapping,
  isSequence,
  NoOperationTraceWriter,
  parseWorkflow,
} from '@actions/workflow-parser';
import type {
  Job as TemplateJob,
  ReusableWorkflowJob,
  Step,
  WorkflowJob,
} from '@actions/workflow-parser/model/workflow-template';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';

import { actionYml, type Job as ActionJob, parseFileCommands, runJob as runAction } from '../harness.js';
import { checkout } from './checkout.js';
import { asText, evaluate, evaluateToken, type Json } from './expressions.js';

export interface RunSpec {
  /** Local git repositories by owner/name; `repository` is the caller's. */
  repos: Record<string, string>;
  repository: string;
  /** The caller workflow's path in the caller's repository. */
  workflow: string;
  event: { name: string; payload: Record<string, Json>; ref: string };
  secrets: Record<string, string>;
  actor?: string;
  runId: string;
  /** Extra environment for every step of a job run (e.g. the artifact service of that job). */
  jobEnv?: (jobRun: string) => Record<string, string>;
}

export interface StepRecord {
  id: string;
  name: string;
  outcome: 'success' | 'failure' | 'skipped';
  outputs: Record<string, string>;
  /** The action's run, for `uses: ./…` steps. */
  action?: ActionJob;
  log: string;
}

export interface JobRecord {
  /** `caller-job/called-job (matrix values)`. */
  name: string;
  id: string;
  matrix?: Record<string, Json>;
  runsOn: Json;
  result: 'success' | 'failure' | 'skipped';
  outputs: Record<string, string>;
  steps: StepRecord[];
}

export interface RunResult {
  jobs: JobRecord[];
  /** Each caller job's result and outputs, as `needs.<id>` of a later caller job would see them. */
  needs: Record<string, { result: string; outputs: Record<string, string> }>;
}

type Needs = RunResult['needs'];

interface Loaded {
  raw: TemplateToken;
  jobs: WorkflowJob[];
}

/** Parse and convert a workflow; a schema error fails here, with GitHub's own message. */
async function loadWorkflow(gitDir: string, file: string, ref: string): Promise<Loaded> {
  const content = execFileSync('git', ['-C', gitDir, 'show', `${ref}:${file}`], { encoding: 'utf8' });
  const parsed = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors();
  if (errors.length || !parsed.value) throw new Error(`${file}: ${errors.map((e) => e.message).join('; ')}`);
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  if (template.errors?.length) throw new Error(`${file}: ${template.errors.map((e) => e.Message).join('; ')}`);
  return { raw: parsed.value, jobs: template.jobs };
}

/** A key of a mapping token, by path (`jobs`, `shard`, `steps`). */
function find(token: TemplateToken | undefined, ...keys: string[]): TemplateToken | undefined {
  let t = token;
  for (const k of keys) t = t && isMapping(t) ? t.find(k) : undefined;
  return t;
}

/** The contexts every expression of a job sees. */
interface Scope {
  github: Record<string, Json>;
  inputs: Record<string, Json>;
  secrets: Record<string, string>;
  job: Record<string, Json>;
  needs: Needs;
  vars: Record<string, Json>;
}

class Runner {
  readonly jobs: JobRecord[] = [];

  constructor(private readonly spec: RunSpec) {}

  private commitOf(repository: string, ref: string): string {
    const dir = this.spec.repos[repository];
    if (!dir) throw new Error(`no local repository ${repository}`);
    return execFileSync('git', ['-C', dir, 'rev-parse', `${ref}^{commit}`], { encoding: 'utf8' }).trim();
  }

  async run(): Promise<RunResult> {
    const sha = this.commitOf(this.spec.repository, 'HEAD');
    const caller = await loadWorkflow(this.spec.repos[this.spec.repository]!, this.spec.workflow, sha);
    const [owner] = this.spec.repository.split('/');
    const github: Record<string, Json> = {
      event_name: this.spec.event.name,
      event: this.spec.event.payload,
      ref: this.spec.event.ref,
      sha,
      repository: this.spec.repository,
      repository_owner: owner!,
      actor: this.spec.actor ?? 'octocat',
      run_id: this.spec.runId,
      run_attempt: '1',
      server_url: 'https://github.com',
      api_url: 'http://127.0.0.1:9/api',
      workflow: this.spec.workflow,
      token: '',
    };
    const scope: Scope = { github, inputs: {}, secrets: this.spec.secrets, job: {}, needs: {}, vars: {} };
    await this.runJobs(caller, scope, '', sha);
    return { jobs: this.jobs, needs: scope.needs };
  }

  /** Every job of a workflow in `needs` order; fills scope.needs. */
  private async runJobs(wf: Loaded, scope: Scope, prefix: string, workflowSha: string): Promise<void> {
    const pending = [...wf.jobs];
    while (pending.length) {
      const i = pending.findIndex((j) => (j.needs ?? []).every((n) => n.value in scope.needs));
      if (i < 0) throw new Error(`jobs ${pending.map((j) => j.id.value).join(', ')}: their needs are never met`);
      const job = pending.splice(i, 1)[0]!;
      const needs: Needs = {};
      for (const n of job.needs ?? []) needs[n.value] = scope.needs[n.value]!;
      const jobScope = { ...scope, needs, job: { ...scope.job, status: 'success' } };
      const name = `${prefix}${job.id.value}`;
      const failedNeed = Object.values(needs).some((n) => n.result !== 'success');
      const go = evaluateIn(name, 'if', job.if.expression, this.contexts(jobScope, {}), failedNeed);
      if (!go) {
        // a skipped job's declared outputs are empty, as on GitHub
        const declared =
          job.type === 'job' ? [...(job.outputs ?? [])].map((p) => String(evaluateToken(p.key, {}))) : [];
        scope.needs[job.id.value] = { result: 'skipped', outputs: Object.fromEntries(declared.map((k) => [k, ''])) };
        this.jobs.push({ name, id: job.id.value, runsOn: null, result: 'skipped', outputs: {}, steps: [] });
        continue;
      }
      scope.needs[job.id.value] =
        job.type === 'reusableWorkflowJob'
          ? await this.callWorkflow(job, jobScope, name)
          : await this.runMatrix(job, find(wf.raw, 'jobs', job.id.value), jobScope, name, workflowSha);
    }
  }

  private contexts(scope: Scope, extra: Record<string, Json>): Record<string, Json> {
    const { github, inputs, secrets, job, needs, vars } = scope;
    return { github, inputs, secrets, job, needs: needs as unknown as Json, vars, env: {}, ...extra };
  }

  /** A `uses: ./.github/workflows/x.yml` job: its inputs and secrets, its jobs, its outputs. */
  private async callWorkflow(job: ReusableWorkflowJob, scope: Scope, name: string) {
    const ref = job.ref.value;
    if (!ref.startsWith('./')) throw new Error(`${name}: only local reusable workflows (./…) run here, not ${ref}`);
    const repo = this.spec.repos[this.spec.repository]!;
    const sha = String(scope.github.sha);
    const called = await loadWorkflow(repo, ref.slice(2), sha);
    const ctx = this.contexts(scope, {});
    const given = (job['input-values'] ? evaluateToken(job['input-values'], ctx) : {}) as Record<string, Json>;
    const inputs: Record<string, Json> = {};
    const defs = find(called.raw, 'on', 'workflow_call', 'inputs');
    for (const pair of defs && isMapping(defs) ? defs : []) {
      const key = String(evaluateToken(pair.key, {}));
      const def = find(pair.value, 'default');
      inputs[key] = key in given ? given[key]! : def ? evaluateToken(def, ctx) : '';
    }
    for (const key of Object.keys(given))
      if (!(key in inputs)) throw new Error(`${name}: input ${key} is not declared by ${ref}`);
    const secrets = (job['secret-values'] ? evaluateToken(job['secret-values'], ctx) : {}) as Record<string, string>;
    const inner: Scope = {
      ...scope,
      inputs,
      secrets,
      needs: {},
      job: {
        workflow_repository: this.spec.repository,
        workflow_sha: sha,
        workflow_ref: `${this.spec.repository}/${ref.slice(2)}@${String(scope.github.ref)}`,
        workflow_file_path: ref.slice(2),
      },
    };
    await this.runJobs(called, inner, `${name}/`, sha);
    const jobs = inner.needs as unknown as Json;
    const outputs: Record<string, string> = {};
    const outs = find(called.raw, 'on', 'workflow_call', 'outputs');
    for (const pair of outs && isMapping(outs) ? outs : []) {
      const key = String(evaluateToken(pair.key, {}));
      const value = find(pair.value, 'value');
      outputs[key] = asText(
        value ? evaluateIn(name, `output ${key}`, value, { ...this.contexts(inner, {}), jobs }) : '',
      );
    }
    const failed = Object.values(inner.needs).some((n) => n.result === 'failure');
    return { result: failed ? 'failure' : 'success', outputs };
  }

  /** A job with its matrix legs; outputs are merged over the legs, as GitHub does. */
  private async runMatrix(job: TemplateJob, raw: TemplateToken | undefined, scope: Scope, name: string, sha: string) {
    const strategy = job.strategy ? evaluateIn(name, 'strategy', job.strategy, this.contexts(scope, {})) : null;
    const legs = expandMatrix((strategy as { matrix?: Json } | null)?.matrix ?? null, name);
    const outputs: Record<string, string> = {};
    let failed = false;
    for (const matrix of legs) {
      const record = await this.runOne(job, raw, scope, name, matrix, sha);
      failed ||= record.result === 'failure';
      // a leg's non-empty value wins over another leg's empty one
      for (const [k, v] of Object.entries(record.outputs)) if (v !== '' || !(k in outputs)) outputs[k] = v;
    }
    return { result: failed ? 'failure' : 'success', outputs };
  }

  private async runOne(
    job: TemplateJob,
    raw: TemplateToken | undefined,
    scope: Scope,
    name: string,
    matrix: Record<string, Json> | undefined,
    sha: string,
  ): Promise<JobRecord> {
    const base = { ...this.contexts(scope, {}), matrix: matrix ?? {}, strategy: {} };
    // the job's own name (`shard ${{ matrix.platform }}`), as GitHub shows it
    const shown = job.name ? asText(evaluateIn(name, 'name', job.name, base)) : undefined;
    const legName = shown
      ? `${name.slice(0, name.length - job.id.value.length)}${shown}`
      : matrix
        ? `${name} (${Object.values(matrix).map(asText).join(', ')})`
        : name;
    const runsOn = job['runs-on'] ? evaluateIn(legName, 'runs-on', job['runs-on'], base) : null;
    const record: JobRecord = { name: legName, id: job.id.value, runsOn, result: 'success', outputs: {}, steps: [] };
    if (matrix) record.matrix = matrix;
    this.jobs.push(record);
    const machine = fs.mkdtempSync(path.join(os.tmpdir(), 'wfjob-'));
    const workspace = path.join(machine, 'work');
    const temp = path.join(machine, 'temp');
    fs.mkdirSync(workspace);
    fs.mkdirSync(temp);
    const jobRun = `${this.spec.runId}-${legName}`;
    const env: Record<string, string> = { ...(this.spec.jobEnv?.(jobRun) ?? {}) };
    const stepsCtx: Record<string, Json> = {};
    const rawSteps = find(raw, 'steps');
    for (const [i, step] of job.steps.entries()) {
      const rawStep = rawSteps && isSequence(rawSteps) ? rawSteps.get(i) : undefined;
      const ctx = { ...base, steps: stepsCtx, env, runner: { os: 'Linux', arch: 'X64', temp } };
      const where = `${legName}, step ${i + 1}${step.name ? ` (${asText(evaluateToken(step.name, ctx))})` : ''}`;
      const run = { workspace, temp, env, sha, jobName: job.id.value, where };
      const result = await this.runStep(step, rawStep, ctx, run, record.result === 'failure');
      record.steps.push(result);
      if (process.env.MULTIARCH_WF_DEBUG) console.log(`${where}: ${result.outcome}\n${result.log.slice(-4000)}`);
      stepsCtx[step.id] = { outputs: result.outputs, outcome: result.outcome, conclusion: result.outcome };
      if (result.outcome === 'failure') record.result = 'failure';
    }
    const outs = job.outputs;
    for (const pair of outs ?? []) {
      const key = String(evaluateToken(pair.key, {}));
      const ctx = { ...base, steps: stepsCtx, env };
      record.outputs[key] = asText(evaluateIn(legName, `output ${key}`, pair.value, ctx));
    }
    return record;
  }

  private async runStep(
    step: Step,
    raw: TemplateToken | undefined,
    ctx: Record<string, Json>,
    run: { workspace: string; temp: string; env: Record<string, string>; sha: string; jobName: string; where: string },
    failed: boolean,
  ): Promise<StepRecord> {
    const name = run.where;
    const record: StepRecord = { id: step.id, name, outcome: 'skipped', outputs: {}, log: '' };
    if (!('if' in step) || !step.if) throw new Error(`${name}: the runner cannot run this kind of step`);
    if (!evaluateIn(name, 'if', step.if.expression, ctx, failed)) return record;
    const stepEnv = 'env' in step && step.env ? (evaluateIn(name, 'env', step.env, ctx) as Record<string, Json>) : {};
    const env = { ...run.env };
    for (const [k, v] of Object.entries(stepEnv)) env[k] = asText(v);
    const withToken = find(raw, 'with');
    const inputs: Record<string, string> = {};
    if (withToken)
      for (const [k, v] of Object.entries(evaluateIn(name, 'with', withToken, ctx) as Record<string, Json>))
        inputs[k] = asText(v);
    if ('run' in step) return this.runScript(record, asText(evaluateIn(name, 'run', step.run, ctx)), env, run, ctx);
    if (!('uses' in step)) throw new Error(`${name}: the runner cannot run this kind of step`);
    const uses = step.uses.value;
    if (/^actions\/checkout@/.test(uses)) return this.checkoutStep(record, inputs, run, ctx);
    if (uses.startsWith('./')) {
      const job = await runAction({
        workspace: run.workspace,
        actionDir: path.resolve(run.workspace, uses),
        inputs,
        eventName: String((ctx.github as Record<string, Json>).event_name),
        payload: (ctx.github as Record<string, Json>).event as Record<string, unknown>,
        ref: String((ctx.github as Record<string, Json>).ref),
        sha: run.sha,
        env,
        runnerTemp: run.temp,
        github: this.githubEnv(ctx, run.jobName),
      });
      record.action = job;
      // every output the action declares is there (empty when the step did not set it), as on
      // GitHub; a name the action does not declare stays an error
      const declared = Object.keys(actionYml(path.resolve(run.workspace, uses)).outputs ?? {});
      record.outputs = { ...Object.fromEntries(declared.map((k) => [k, ''])), ...job.main.outputs };
      record.log = job.main.stdout + job.main.stderr;
      record.outcome = job.main.code === 0 ? 'success' : 'failure';
      return record;
    }
    throw new Error(`${name}: the runner cannot run \`uses: ${uses}\``);
  }

  private githubEnv(ctx: Record<string, Json>, jobName: string): Record<string, string> {
    const g = ctx.github as Record<string, Json>;
    return {
      GITHUB_REPOSITORY: asText(g.repository),
      GITHUB_REPOSITORY_OWNER: asText(g.repository_owner),
      GITHUB_ACTOR: asText(g.actor),
      GITHUB_RUN_ID: asText(g.run_id),
      GITHUB_JOB: jobName,
    };
  }

  private runScript(
    record: StepRecord,
    script: string,
    env: Record<string, string>,
    run: { workspace: string; temp: string; sha: string; jobName: string; env: Record<string, string> },
    ctx: Record<string, Json>,
  ): StepRecord {
    const files = fs.mkdtempSync(path.join(run.temp, 'step-'));
    const file = (n: string) => path.join(files, n);
    for (const n of ['output', 'env', 'summary']) fs.writeFileSync(file(n), '');
    fs.writeFileSync(file('script.sh'), script);
    const g = ctx.github as Record<string, Json>;
    const res = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file('script.sh')], {
      cwd: run.workspace,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: run.workspace,
        GITHUB_EVENT_NAME: asText(g.event_name),
        GITHUB_REF: asText(g.ref),
        GITHUB_SHA: run.sha,
        RUNNER_TEMP: run.temp,
        GITHUB_OUTPUT: file('output'),
        GITHUB_ENV: file('env'),
        GITHUB_STEP_SUMMARY: file('summary'),
        ...this.githubEnv(ctx, run.jobName),
        ...env,
      },
    });
    record.log = `${res.stdout ?? ''}${res.stderr ?? ''}`;
    record.outputs = parseFileCommands(fs.readFileSync(file('output'), 'utf8'));
    // GITHUB_ENV: for the job's later steps
    Object.assign(run.env, parseFileCommands(fs.readFileSync(file('env'), 'utf8')));
    record.outcome = res.status === 0 ? 'success' : 'failure';
    return record;
  }

  private checkoutStep(
    record: StepRecord,
    inputs: Record<string, string>,
    run: { workspace: string; sha: string },
    ctx: Record<string, Json>,
  ): StepRecord {
    const g = ctx.github as Record<string, Json>;
    const repository = inputs.repository || asText(g.repository);
    const gitDir = this.spec.repos[repository];
    if (!gitDir) throw new Error(`${record.name}: actions/checkout of ${repository}, which this run does not have`);
    const sparse = (inputs['sparse-checkout'] ?? '').split('\n').filter((l) => l.trim());
    const commit = checkout({
      gitDir,
      ref: inputs.ref || (repository === g.repository ? run.sha : 'HEAD'),
      workspace: run.workspace,
      path: inputs.path ?? '',
      sparse,
      cone: (inputs['sparse-checkout-cone-mode'] ?? 'true') !== 'false',
    });
    record.log = `checked out ${repository}@${commit} into ${inputs.path || '.'}`;
    record.outcome = 'success';
    return record;
  }
}

/** Evaluate an expression (text) or a token, naming the job/step and what it was on failure. */
function evaluateIn(
  where: string,
  what: string,
  expr: string | TemplateToken,
  contexts: Record<string, Json>,
  failed = false,
): Json {
  try {
    return typeof expr === 'string' ? evaluate(expr, contexts, { failed }) : evaluateToken(expr, contexts, { failed });
  } catch (err) {
    throw new Error(`${where}: ${what}: ${(err as Error).message}`, { cause: err });
  }
}

/** The legs of a matrix: the product of its array keys, then `include` rows (added or merged), less `exclude`. */
export function expandMatrix(matrix: Json, where: string): (Record<string, Json> | undefined)[] {
  if (matrix === null) return [undefined];
  if (typeof matrix !== 'object' || Array.isArray(matrix))
    throw new Error(`${where}: strategy.matrix is not a mapping`);
  const { include = [], exclude = [], ...axes } = matrix as Record<string, Json>;
  let legs: Record<string, Json>[] = [{}];
  for (const [key, values] of Object.entries(axes)) {
    if (!Array.isArray(values)) throw new Error(`${where}: matrix.${key} is not a list`);
    legs = legs.flatMap((leg) => values.map((v) => ({ ...leg, [key]: v })));
  }
  const matches = (leg: Record<string, Json>, row: Record<string, Json>) =>
    Object.entries(row).every(([k, v]) => JSON.stringify(leg[k]) === JSON.stringify(v));
  legs = legs.filter((leg) => !(exclude as Record<string, Json>[]).some((row) => matches(leg, row)));
  // an include row extends the combinations whose axis values it matches, else it is a leg of its own
  const combinations = Object.keys(axes).length ? legs : [];
  const added: Record<string, Json>[] = [];
  for (const row of include as Record<string, Json>[]) {
    const own = Object.fromEntries(Object.entries(row).filter(([k]) => k in axes));
    const extend = combinations.filter((leg) => matches(leg, own));
    if (extend.length) extend.forEach((leg) => Object.assign(leg, row));
    else added.push({ ...row });
  }
  const all = [...combinations, ...added];
  if (!all.length) throw new Error(`${where}: the matrix has no legs`);
  return all;
}

/** Run a caller workflow and everything it calls. */
export function runWorkflow(spec: RunSpec): Promise<RunResult> {
  return new Runner(spec).run();
}
