/** docker/metadata-action __tests__/meta.test.ts, describe('tag') tag21-tag33 and describe('latest') (see cases-push.ts). */
import type { AnchorCase } from './table.js';

const TWO = ['org/app', 'ghcr.io/user/app'];
const both = (...tags: string[]) => TWO.flatMap((i) => tags.map((t) => `${i}:${t}`));

export const TAG2_CASES: AnchorCase[] = [
  ['tag21', 'tag_v1.1.1', { images: TWO, tags: ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}.{{patch}}'], flavor: ['suffix=-dev,onlatest=true'] }, '1.1.1-dev', [], true, both('1.1.1-dev', 'latest-dev')],
  ['tag22', 'tag_v1.1.1', { images: TWO, tags: ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}.{{patch}}'], flavor: ['prefix=foo-,onlatest=true', 'suffix=-dev,onlatest=true'] },
    'foo-1.1.1-dev', [], true, both('foo-1.1.1-dev', 'foo-latest-dev')],
  ['tag23', 'tag_v1.1.1', { images: ['org/app'], tags: ['type=pep440,pattern={{raw}}', 'type=pep440,pattern={{major}}.{{minor}}'] }, 'v1.1.1', ['1.1'], true, ['org/app:v1.1.1', 'org/app:1.1', 'org/app:latest']],
  ['tag24', 'tag_1.2', { images: ['org/app'], tags: ['type=pep440,pattern={{version}}', 'type=pep440,pattern={{major}}.{{minor}}'] }, '1.2', [], true, ['org/app:1.2', 'org/app:latest']],
  ['tag25', 'tag_1.1beta2', { images: TWO, tags: ['type=pep440,pattern={{major}}.{{minor}}', 'type=pep440,pattern={{major}}'] }, '1.1b2', [], false, both('1.1b2')],
  ['tag26', 'tag_1.0dev4', { images: TWO, tags: ['type=pep440,pattern={{major}}.{{minor}}', 'type=pep440,pattern={{major}}'] }, '1.0.dev4', [], false, both('1.0.dev4')],
  ['tag27', 'tag_1.2.3rc2', { images: TWO, tags: ['type=pep440,pattern={{raw}}', 'type=pep440,pattern={{version}}', 'type=pep440,pattern={{major}}.{{minor}}', 'type=pep440,pattern={{major}}'] },
    '1.2.3rc2', [], false, both('1.2.3rc2')],
  ['tag28', 'tag_v1.1.1', { images: ['org/app'], tags: ['type=pep440,pattern={{version}}', 'type=pep440,pattern={{major}}.{{minor}}.{{patch}}', 'type=pep440,pattern={{major}}.{{minor}}', 'type=pep440,pattern={{major}}'] },
    '1.1.1', ['1.1', '1'], true, ['org/app:1.1.1', 'org/app:1.1', 'org/app:1', 'org/app:latest']],
  ['tag29', 'tag_1.2post1', { images: ['org/app'], tags: ['type=pep440,pattern={{version}}', 'type=pep440,pattern={{major}}.{{minor}}', 'type=pep440,pattern={{major}}'] }, '1.2.post1', [], false, ['org/app:1.2.post1']],
  ['tag30', 'tag_sometag', { images: ['ghcr.io/user/app'], tags: ['type=ref,event=tag', 'type=pep440,pattern={{version}}', 'type=pep440,pattern={{major}}.{{minor}}', 'type=pep440,pattern={{major}}'], flavor: ['latest=false'] },
    'sometag', [], false, ['ghcr.io/user/app:sometag']],
  ['tag31', 'tag_v2.0.8-beta.67', { images: TWO, tags: ['type=semver,pattern={{raw}}'] }, 'v2.0.8-beta.67', [], false, both('v2.0.8-beta.67')],
  ['tag32', 'tag_v1.2.3rc2', { images: TWO, tags: ['type=pep440,pattern={{raw}}', 'type=pep440,pattern={{major}}.{{minor}}'] }, 'v1.2.3rc2', ['1.2.3rc2'], false, both('v1.2.3rc2', '1.2.3rc2')],
  ['tag33', 'tag_v1.1.1', { images: [], tags: ['type=pep440,pattern={{version}}', 'type=pep440,pattern={{major}}.{{minor}}.{{patch}}', 'type=pep440,pattern={{major}}.{{minor}}', 'type=pep440,pattern={{major}}'] },
    '1.1.1', ['1.1', '1'], true, ['1.1.1', '1.1', '1', 'latest']],
  ['latest01', 'tag_release1', { images: ['user/app'], tags: ['type=match,"pattern=^release\\d{1,2}"'] }, 'release1', [], true, ['user/app:release1', 'user/app:latest']],
  ['latest02', 'tag_20200110-RC2', { images: ['user/app'], tags: ['type=match,"pattern=^\\d+-RC\\d{1,2}"'] }, '20200110-RC2', [], true, ['user/app:20200110-RC2', 'user/app:latest']],
];
