/** docker/metadata-action __tests__/meta.test.ts, describe('pr') pr08-pr12 and describe('pr-head-sha') as prh01-prh10 (see cases-push.ts). */
import type { AnchorCase } from './table.js';

const TWO = ['org/app', 'ghcr.io/user/app'];
const both = (...tags: string[]) => TWO.flatMap((i) => tags.map((t) => `${i}:${t}`));
const S266 = '266574110acf203503badf966df2ea24b5d732d7';
const HEAD = '3370e228f2209994d57af4427fe64e71bb79ac96';
const REFS = ['type=ref,event=tag', 'type=ref,event=pr', 'type=ref,event=branch', 'type=sha', 'type=sha,format=long'];
const BASE = ['type=raw,value=mytag-{{base_ref}}', 'type=raw,mytag-defbranch,enable={{is_default_branch}}'];
const GLOBAL = ['prefix=glo-', 'suffix=-bal'];

export const PR_CASES: AnchorCase[] = [
  ['pr08', 'pull_request_target', { images: TWO, tags: ['type=ref,event=pr,prefix='], flavor: GLOBAL }, '15-bal', [], false, both('15-bal')],
  ['pr09', 'pull_request_target', { images: ['org/app'], tags: REFS }, 'pr-15', ['sha-2665741', `sha-${S266}`], false, ['org/app:pr-15', 'org/app:sha-2665741', `org/app:sha-${S266}`]],
  ['pr10', 'pull_request_target', { images: ['org/app'], tags: BASE }, 'mytag-master', [], false, ['org/app:mytag-master']],
  ['pr11', 'pull_request', { images: ['org/app'], tags: BASE }, 'mytag-master', [], false, ['org/app:mytag-master']],
  ['pr12', 'pull_request', { images: ['org/app'], tags: ['type=raw,value={{commit_date YYYY-MM-DD-HHmmSS}}'] }, '2020-01-10T00-30-00Z', [], false, ['org/app:2020-01-10T00-30-00Z']],
  ['prh01', 'pull_request_head', { images: ['user/app'] }, 'pr-15', [], false, ['user/app:pr-15']],
  ['prh02', 'pull_request_head', { images: TWO }, 'pr-15', [], false, both('pr-15')],
  ['prh03', 'pull_request_head', { images: TWO, tags: ['type=ref,event=pr', 'type=sha'] }, 'pr-15', ['sha-3370e22'], false, both('pr-15', 'sha-3370e22')],
  ['prh04', 'pull_request_head', { images: TWO, tags: ['type=sha,priority=2000', 'type=ref,event=pr'] }, 'sha-3370e22', ['pr-15'], false, both('sha-3370e22', 'pr-15')],
  ['prh05', 'pull_request_head', { images: TWO, tags: ['type=ref,event=pr'], flavor: GLOBAL }, 'pr-15-bal', [], false, both('pr-15-bal')],
  ['prh06', 'pull_request_head', { images: TWO, tags: ['type=ref,event=pr,prefix='], flavor: GLOBAL }, '15-bal', [], false, both('15-bal')],
  ['prh07', 'pull_request_target_head', { images: TWO, tags: ['type=sha,priority=2000', 'type=ref,event=pr'] }, 'sha-3370e22', ['pr-15'], false, both('sha-3370e22', 'pr-15')],
  ['prh08', 'pull_request_target_head', { images: TWO, tags: ['type=ref,event=pr,prefix='], flavor: GLOBAL }, '15-bal', [], false, both('15-bal')],
  ['prh09', 'pull_request_target_head', { images: ['org/app'], tags: REFS }, 'pr-15', ['sha-3370e22', `sha-${HEAD}`], false, ['org/app:pr-15', 'org/app:sha-3370e22', `org/app:sha-${HEAD}`]],
  ['prh10', 'pull_request_target_head', { images: ['org/app'], tags: BASE }, 'mytag-master', [], false, ['org/app:mytag-master']],
  ['prh11', 'pull_request_head', { images: ['org/app'], tags: BASE }, 'mytag-master', [], false, ['org/app:mytag-master']],
  ['prh12', 'pull_request_head', { images: ['org/app'], tags: ['type=raw,value=src-{{commit_date YYYY-MM-DD}}'] }, 'src-2020-01-10T00-30-00Z', [], false, ['org/app:src-2020-01-10T00-30-00Z']],
];
