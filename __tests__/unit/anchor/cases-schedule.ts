/** docker/metadata-action __tests__/meta.test.ts, describe('schedule'), describe('release'), describe('raw') (see cases-push.ts). */
import type { AnchorCase } from './table.js';

const TWO = ['org/app', 'ghcr.io/user/app'];
const both = (...tags: string[]) => TWO.flatMap((i) => tags.map((t) => `${i}:${t}`));

export const SCHEDULE_CASES: AnchorCase[] = [
  ['schedule01', 'schedule', { images: ['user/app'] }, 'nightly', ['master'], false, ['user/app:nightly', 'user/app:master']],
  ['schedule02', 'schedule', { images: ['user/app'], tags: ["type=schedule,pattern={{date 'YYYYMMDD'}}", "type=schedule,pattern=source-date-{{commit_date 'YYYY-MM-DD'}}"] }, '20200110', ['source-date-2020-01-10'], false,
    ['user/app:20200110', 'user/app:source-date-2020-01-10']],
  ['schedule03', 'schedule', { images: ['user/app'], tags: ["type=schedule,pattern={{date 'YYYYMMDD-HHmmss'}}"] }, '20200110-003000', [], false, ['user/app:20200110-003000']],
  ['schedule04', 'schedule', { images: TWO }, 'nightly', ['master'], false, both('nightly', 'master')],
  ['schedule05', 'schedule', { images: TWO, tags: ['type=schedule', 'type=sha'] }, 'nightly', ['sha-860c190'], false, both('nightly', 'sha-860c190')],
  ['schedule06', 'schedule', { images: TWO, tags: ['type=schedule', 'type=sha,priority=2000', 'type=raw,value=defbranch,enable={{is_default_branch}}'] }, 'sha-860c190', ['nightly', 'defbranch'], false,
    both('sha-860c190', 'nightly', 'defbranch')],
  ['schedule07', 'schedule', { images: TWO, tags: ['type=schedule'], flavor: ['prefix=glo-', 'suffix=-bal'] }, 'glo-nightly-bal', [], false, both('glo-nightly-bal')],
  ['schedule08', 'schedule', { images: ['user/app'], tags: ["type=schedule,pattern={{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}", "type=schedule,pattern=src-{{commit_date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}"] },
    '20200110-093000', ['src-20200110-093000'], false, ['user/app:20200110-093000', 'user/app:src-20200110-093000']],
  ['release01', 'release_created', { images: ['user/app'] }, 'v1.1.1', [], true, ['user/app:v1.1.1', 'user/app:latest']],
  ['release02', 'release_created', { images: ['user/app'], tags: ['type=ref,event=tag', 'type=raw,value=baseref-{{base_ref}}', 'type=raw,value=defbranch,enable={{is_default_branch}}'] }, 'v1.1.1', ['baseref-'], true,
    ['user/app:v1.1.1', 'user/app:baseref-', 'user/app:latest']],
  ['release03', 'release_created', { images: ['user/app'], tags: ["type=raw,value=src-{{commit_date 'YYYYMMDD-HHmmss'}}", "type=raw,value={{date 'YYYYMMDD-HHmmss'}}"] }, 'src-20200110-003000', ['20200110-003000'], false,
    ['user/app:src-20200110-003000', 'user/app:20200110-003000']],
  ['raw01', 'push_dev', { images: ['user/app'], tags: ['type=ref,event=branch', 'type=raw,my', 'type=raw,custom', 'type=raw,tags'] }, 'dev', ['my', 'custom', 'tags'], false,
    ['user/app:dev', 'user/app:my', 'user/app:custom', 'user/app:tags']],
  ['raw02', 'push_dev', { images: ['user/app'], tags: ['type=ref,event=branch', 'type=raw,my'] }, 'dev', ['my'], false, ['user/app:dev', 'user/app:my']],
];
