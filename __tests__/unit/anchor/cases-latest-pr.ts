/** docker/metadata-action __tests__/meta.test.ts, describe('latest') latest03-10 and describe('pr') (see cases-push.ts). */
import type { AnchorCase } from './table.js';

const TWO = ['org/app', 'ghcr.io/user/app'];
const both = (...tags: string[]) => TWO.flatMap((i) => tags.map((t) => `${i}:${t}`));
const S860 = '860c1904a1ce19322e91ac35af1ab07466440c37';

const custom = (maintainer: string, description: string, title: string, vendor: string) => [
  `maintainer=${maintainer}`,
  'org.opencontainers.image.created=2020-01-10T00:30:00.000Z',
  `org.opencontainers.image.description=${description}`,
  'org.opencontainers.image.licenses=MIT',
  `org.opencontainers.image.revision=${S860}`,
  'org.opencontainers.image.source=https://github.com/octocat/Hello-World',
  `org.opencontainers.image.title=${title}`,
  'org.opencontainers.image.url=https://github.com/octocat/Hello-World',
  `org.opencontainers.image.vendor=${vendor}`,
  'org.opencontainers.image.version=v1.1.1',
];

export const LATEST_PR_CASES: AnchorCase[] = [
  ['latest03', 'tag_20200110-RC2', { images: ['user/app'], tags: ['type=match,pattern=\\d{8}'] }, '20200110', [], true, ['user/app:20200110', 'user/app:latest']],
  ['latest04', 'tag_v1.1.1', { images: ['user/app'], tags: ['type=match,"pattern=\\d.\\d.\\d"'] }, '1.1.1', [], true, ['user/app:1.1.1', 'user/app:latest']],
  ['latest05', 'tag_v1.1.1', { images: TWO }, 'v1.1.1', [], true, both('v1.1.1', 'latest')],
  ['latest06', 'tag_v2.0.8-beta.67', { images: TWO, tags: ['type=match,"pattern=\\d.\\d.\\d"'] }, '2.0.8', [], true, both('2.0.8', 'latest')],
  ['latest07', 'tag_v1.1.1', { images: TWO, tags: ['type=ref,event=tag'], flavor: ['latest=false'] }, 'v1.1.1', [], false, both('v1.1.1')],
  ['latest08', 'tag_v1.1.1', { images: ['org/app', 'ghcr.io/MyUSER/MyApp'], tags: ['type=ref,event=tag'], flavor: ['latest=false'] }, 'v1.1.1', [], false, ['org/app:v1.1.1', 'ghcr.io/myuser/myapp:v1.1.1']],
  ['latest09', 'tag_v1.1.1', {
    images: ['org/app', 'ghcr.io/MyUSER/MyApp'],
    tags: ['type=ref,event=tag'],
    flavor: ['latest=false'],
    labels: ['maintainer=CrazyMax', 'org.opencontainers.image.description=this is a "good" example', 'org.opencontainers.image.title=MyCustomTitle', 'org.opencontainers.image.vendor=MyCompany'],
    annotations: ['maintainer=Foo', 'org.opencontainers.image.description=this is a "bad" example', 'org.opencontainers.image.title=MyNotTitle', 'org.opencontainers.image.vendor=MyNotCompany'],
  }, 'v1.1.1', [], false, ['org/app:v1.1.1', 'ghcr.io/myuser/myapp:v1.1.1'],
  custom('CrazyMax', 'this is a "good" example', 'MyCustomTitle', 'MyCompany'), custom('Foo', 'this is a "bad" example', 'MyNotTitle', 'MyNotCompany')],
  ['latest10', 'tag_v2.0.8-beta.67', { images: [], tags: ['type=match,"pattern=\\d.\\d.\\d"'] }, '2.0.8', [], true, ['2.0.8', 'latest']],
  ['pr01', 'pull_request', { images: ['user/app'] }, 'pr-15', [], false, ['user/app:pr-15']],
  ['pr02', 'pull_request', { images: TWO }, 'pr-15', [], false, both('pr-15')],
  ['pr03', 'pull_request', { images: TWO, tags: ['type=ref,event=pr', 'type=sha'] }, 'pr-15', ['sha-a9c8c58'], false, both('pr-15', 'sha-a9c8c58')],
  ['pr04', 'pull_request', { images: TWO, tags: ['type=sha,priority=2000', 'type=ref,event=pr'] }, 'sha-a9c8c58', ['pr-15'], false, both('sha-a9c8c58', 'pr-15')],
  ['pr05', 'pull_request', { images: TWO, tags: ['type=ref,event=pr'], flavor: ['prefix=glo-', 'suffix=-bal'] }, 'pr-15-bal', [], false, both('pr-15-bal')],
  ['pr06', 'pull_request', { images: TWO, tags: ['type=ref,event=pr,prefix='], flavor: ['prefix=glo-', 'suffix=-bal'] }, '15-bal', [], false, both('15-bal')],
  ['pr07', 'pull_request_target', { images: TWO, tags: ['type=sha,priority=2000', 'type=ref,event=pr'] }, 'sha-2665741', ['pr-15'], false, both('sha-2665741', 'pr-15')],
];
