/** docker/metadata-action __tests__/meta.test.ts, describe('tag') (see cases-push.ts for the form). */
import type { AnchorCase } from './table.js';

export const TAG_CASES: AnchorCase[] = [
  ['tag01', 'tag_release1', { images: ['user/app'] }, 'release1', [], true, ['user/app:release1', 'user/app:latest']],
  ['tag02', 'tag_20200110-RC2', { images: ['user/app'] }, '20200110-RC2', [], true, ['user/app:20200110-RC2', 'user/app:latest']],
  ['tag03', 'tag_20200110-RC2', { images: ['user/app'], tags: ['type=match,pattern=\\d{8}'], flavor: ['latest=false'] }, '20200110', [], false, ['user/app:20200110']],
  ['tag04', 'tag_20200110-RC2', { images: ['user/app'], tags: ['type=match,pattern=(.*)-RC,group=1'], flavor: ['latest=false'] }, '20200110', [], false, ['user/app:20200110']],
  ['tag05', 'tag_v1.1.1', { images: ['org/app', 'ghcr.io/user/app'], tags: ['type=match,"pattern=\\d.\\d.\\d"'] }, '1.1.1', [], true,
    ['org/app:1.1.1', 'org/app:latest', 'ghcr.io/user/app:1.1.1', 'ghcr.io/user/app:latest']],
  ['tag06', 'tag_v1.1.1', { images: ['org/app', 'ghcr.io/user/app'], tags: ['type=match,"pattern=^v(\\d.\\d.\\d)$",group=1'] }, '1.1.1', [], true,
    ['org/app:1.1.1', 'org/app:latest', 'ghcr.io/user/app:1.1.1', 'ghcr.io/user/app:latest']],
];
