/** docker/metadata-action __tests__/meta.test.ts, describe('schedule'), describe('release'), describe('raw') (see cases-push.ts). */
import { anchorLabels } from './events.js';
import type { AnchorCase } from './table.js';

const TWO = ['org/app', 'ghcr.io/user/app'];
const both = (...tags: string[]) => TWO.flatMap((i) => tags.map((t) => `${i}:${t}`));
const SHA860 = '860c1904a1ce19322e91ac35af1ab07466440c37';

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
  ['raw03', 'tag_release1', { images: ['user/app'], tags: ['type=ref,event=tag', 'type=raw,my', 'type=raw,custom', 'type=raw,tags'] }, 'release1', ['my', 'custom', 'tags'], true,
    ['user/app:release1', 'user/app:my', 'user/app:custom', 'user/app:tags', 'user/app:latest']],
  ['raw04', 'tag_20200110-RC2', { images: ['user/app'], tags: ['type=match,pattern=\\d{8}', 'type=raw,my', 'type=raw,custom', 'type=raw,tags'], flavor: ['latest=false'] }, '20200110', ['my', 'custom', 'tags'], false,
    ['user/app:20200110', 'user/app:my', 'user/app:custom', 'user/app:tags']],
  ['raw05', 'tag_v1.1.1', { images: TWO, tags: ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}', 'type=semver,pattern={{major}}', 'type=raw,my', 'type=raw,custom', 'type=raw,tags'] },
    '1.1.1', ['1.1', '1', 'my', 'custom', 'tags'], true, both('1.1.1', '1.1', '1', 'my', 'custom', 'tags', 'latest')],
  ['raw06', 'tag_v1.1.1', { images: TWO, tags: ['type=raw,my', 'type=raw,custom', 'type=raw,tags'] }, 'my', ['custom', 'tags'], false, both('my', 'custom', 'tags')],
  ['raw07', 'push_dev', { images: ['user/app'], tags: ['type=ref,priority=90,event=branch', 'type=raw,my', 'type=raw,custom', 'type=raw,tags'], flavor: ['latest=true'] }, 'my', ['custom', 'tags', 'dev'], true,
    ['user/app:my', 'user/app:custom', 'user/app:tags', 'user/app:dev', 'user/app:latest']],
  ['raw08', 'push_dev', { images: ['user/app'], tags: ['type=match,pattern=\\d{8}', 'type=raw,my', 'type=raw,custom', 'type=raw,tags'], flavor: ['latest=false'] }, 'my', ['custom', 'tags'], false,
    ['user/app:my', 'user/app:custom', 'user/app:tags']],
  ['raw09', 'push_dev', { images: ['user/app'], tags: ['type=match,pattern=\\d{8}', 'type=raw,my,prefix=foo-,suffix=-bar', 'type=raw,custom', 'type=raw,tags'], flavor: ['latest=false', 'prefix=glo-', 'suffix=-bal'] },
    'foo-my-bar', ['glo-custom-bal', 'glo-tags-bal'], false, ['user/app:foo-my-bar', 'user/app:glo-custom-bal', 'user/app:glo-tags-bal']],
  ['raw10', 'push_dev', { images: ['user/app'], tags: ['type=raw,foo', 'type=raw,bar,enable=false', 'type=raw,baz,enable=true'], flavor: ['latest=false'] }, 'foo', ['baz'], false, ['user/app:foo', 'user/app:baz']],
  // describe('json'): the same data as the json output; json01's "invalid" label is dropped and foo= kept empty
  ['json01', 'push_dev', { images: ['user/app'], tags: ['type=ref,event=branch', 'type=raw,my', 'type=raw,custom', 'type=raw,tags'], labels: ['invalid', 'foo='] }, 'dev', ['my', 'custom', 'tags'], false,
    ['user/app:dev', 'user/app:my', 'user/app:custom', 'user/app:tags'], ['foo=', ...anchorLabels('dev', SHA860)], anchorLabels('dev', SHA860)],
  ['json02', 'push_dev', { images: ['user/app'], tags: ['type=ref,event=branch', 'type=raw,my'] }, 'dev', ['my'], false, ['user/app:dev', 'user/app:my']],
  ['json03', 'tag_release1', { images: ['user/app'], tags: ['type=ref,event=tag', 'type=raw,my', 'type=raw,custom', 'type=raw,tags'] }, 'release1', ['my', 'custom', 'tags'], true,
    ['user/app:release1', 'user/app:my', 'user/app:custom', 'user/app:tags', 'user/app:latest']],
  ['json04', 'tag_20200110-RC2', { images: ['user/app'], tags: ['type=match,pattern=\\d{8}', 'type=raw,my', 'type=raw,custom', 'type=raw,tags'], flavor: ['latest=false'] }, '20200110', ['my', 'custom', 'tags'], false,
    ['user/app:20200110', 'user/app:my', 'user/app:custom', 'user/app:tags']],
  ['json05', 'tag_v1.1.1', { images: TWO, tags: ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}', 'type=semver,pattern={{major}}', 'type=raw,my', 'type=raw,custom', 'type=raw,tags'] },
    '1.1.1', ['1.1', '1', 'my', 'custom', 'tags'], true, both('1.1.1', '1.1', '1', 'my', 'custom', 'tags', 'latest')],
  ['json06', 'tag_v1.1.1', { images: TWO, tags: ['type=raw,my', 'type=raw,custom', 'type=raw,tags'] }, 'my', ['custom', 'tags'], false, both('my', 'custom', 'tags')],
  ['json07', 'tag_v1.1.1', {
    images: ['org/app'],
    labels: ['foo', 'maintainer=CrazyMax', 'org.opencontainers.image.title=MyCustom=Title', 'org.opencontainers.image.description=Another description', 'org.opencontainers.image.vendor=MyCompany'],
  }, 'v1.1.1', [], true, ['org/app:v1.1.1', 'org/app:latest'],
  ['maintainer=CrazyMax', 'org.opencontainers.image.created=2020-01-10T00:30:00.000Z', 'org.opencontainers.image.description=Another description', 'org.opencontainers.image.licenses=MIT',
    `org.opencontainers.image.revision=${SHA860}`, 'org.opencontainers.image.source=https://github.com/octocat/Hello-World', 'org.opencontainers.image.title=MyCustom=Title',
    'org.opencontainers.image.url=https://github.com/octocat/Hello-World', 'org.opencontainers.image.vendor=MyCompany', 'org.opencontainers.image.version=v1.1.1'],
  anchorLabels('v1.1.1', SHA860)],
];
