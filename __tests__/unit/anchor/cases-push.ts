/**
 * docker/metadata-action __tests__/meta.test.ts, describe('null') and describe('push'): id, event
 * fixture, inputs, expected version (main, partial, latest) and tags, as its table has them.
 * Every case there expects the standard labels (anchorLabels) unless `labels` says otherwise.
 */
import type { AnchorCase } from './table.js';

const S860 = '860c1904a1ce19322e91ac35af1ab07466440c37';

export const PUSH_CASES: AnchorCase[] = [
  ['null01', 'null', { images: ['user/app'] }, undefined, [], false, []],
  ['null02', 'empty', { images: ['user/app'], tags: ['type=sha', 'type=raw,{{branch}}'] }, undefined, [], false, []],
  ['push01', 'push_dev', { images: ['user/app'] }, 'dev', [], false, ['user/app:dev']],
  ['push02', 'push_master', { images: ['user/app'], tags: ['type=edge'] }, 'edge', [], false, ['user/app:edge']],
  ['push03', 'push_master', { images: ['user/app'] }, 'master', [], false, ['user/app:master']],
  ['push04', 'workflow_dispatch', { images: ['user/app'], tags: ['type=edge'] }, 'edge', [], false, ['user/app:edge']],
  ['push05', 'push_dev', { images: ['org/app', 'ghcr.io/user/app'] }, 'dev', [], false, ['org/app:dev', 'ghcr.io/user/app:dev']],
  ['push06', 'push_master', { images: ['org/app', 'ghcr.io/user/app'], tags: ['type=edge'] }, 'edge', [], false, ['org/app:edge', 'ghcr.io/user/app:edge']],
  ['push07', 'push_dev', { images: ['org/app', 'ghcr.io/user/app'], tags: ['type=ref,event=branch', 'type=sha'] }, 'dev', ['sha-860c190'], false,
    ['org/app:dev', 'org/app:sha-860c190', 'ghcr.io/user/app:dev', 'ghcr.io/user/app:sha-860c190']],
  ['push08', 'push_master', { images: ['org/app', 'ghcr.io/user/app'], tags: ['type=edge', 'type=sha'] }, 'edge', ['sha-2665741'], false,
    ['org/app:edge', 'org/app:sha-2665741', 'ghcr.io/user/app:edge', 'ghcr.io/user/app:sha-2665741']],
  ['push09', 'push_dev', { images: ['org/app', 'ghcr.io/user/app'], tags: ['type=edge,branch=dev', 'type=sha'] }, 'edge', ['sha-860c190'], false,
    ['org/app:edge', 'org/app:sha-860c190', 'ghcr.io/user/app:edge', 'ghcr.io/user/app:sha-860c190']],
  ['push10', 'push_master', { images: ['org/app', 'ghcr.io/user/app'], tags: ['type=edge,branch=dev', 'type=sha'] }, 'sha-2665741', [], false, ['org/app:sha-2665741', 'ghcr.io/user/app:sha-2665741']],
  ['push11', 'push_invalidchars', { images: ['org/app', 'ghcr.io/user/app'], tags: ['type=edge', 'type=sha'] }, 'sha-983315b', [], false, ['org/app:sha-983315b', 'ghcr.io/user/app:sha-983315b']],
  ['push12', 'push_invalidchars', { images: ['org/app', 'ghcr.io/user/app'], tags: ['type=semver,pattern={{version}}', 'type=pep440,pattern={{version}}', 'type=edge'] }, undefined, [], false, []],
  ['push13', 'push_master', { images: ['user/app'], tags: ['type=ref,priority=2000,event=branch', 'type=edge'] }, 'master', ['edge'], false, ['user/app:master', 'user/app:edge']],
  ['push14', 'push_master', { images: ['user/app'], tags: ['type=semver,pattern={{version}},value=v1.2.3', 'type=pep440,pattern={{version}},value=v1.2.3', 'type=edge'] }, '1.2.3', ['edge'], true,
    ['user/app:1.2.3', 'user/app:edge', 'user/app:latest']],
  ['push15', 'push_master', { images: ['user/app'], tags: ['type=match,pattern=v(.*),group=1,value=v1.2.3', 'type=edge'] }, '1.2.3', ['edge'], true, ['user/app:1.2.3', 'user/app:edge', 'user/app:latest']],
  ['push16', 'push_master', { images: ['user/app'], tags: ['type=match,enable=false,pattern=v(.*),group=1,value=v1.2.3', 'type=edge'] }, 'edge', [], false, ['user/app:edge']],
  ['push17', 'push_master', {
    images: ['user/app'],
    tags: ['type=raw,value=mytag-{{branch}}', "type=raw,value=mytag-{{date 'YYYYMMDD'}}", "type=raw,value=mytag-cd-{{commit_date 'YYYYMMDD'}}", "type=raw,value=mytag-{{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}",
      'type=raw,value=mytag-tag-{{tag}}', 'type=raw,value=mytag-baseref-{{base_ref}}', 'type=raw,value=mytag-defbranch,enable={{is_default_branch}}'],
  }, 'mytag-master', ['mytag-20200110', 'mytag-cd-20200110', 'mytag-20200110-093000', 'mytag-tag-', 'mytag-baseref-', 'mytag-defbranch'], false,
  ['user/app:mytag-master', 'user/app:mytag-20200110', 'user/app:mytag-cd-20200110', 'user/app:mytag-20200110-093000', 'user/app:mytag-tag-', 'user/app:mytag-baseref-', 'user/app:mytag-defbranch']],
  ['push18', 'push_dev', { images: ['org/app', 'ghcr.io/user/app'], tags: ['type=ref,event=branch', 'type=sha,format=long'] }, 'dev', [`sha-${S860}`], false,
    ['org/app:dev', `org/app:sha-${S860}`, 'ghcr.io/user/app:dev', `ghcr.io/user/app:sha-${S860}`]],
  ['push19', 'push_dev', { images: ['org/app', 'ghcr.io/user/app'], tags: ['type=edge,branch=master', 'type=ref,event=branch,enable=false', 'type=sha,format=long', 'type=raw,value=defbranch,enable={{is_default_branch}}'] },
    `sha-${S860}`, [], false, [`org/app:sha-${S860}`, `ghcr.io/user/app:sha-${S860}`]],
  ['push20', 'push_dev', { images: ['org/app', 'ghcr.io/user/app,enable=false'], tags: ['type=edge,branch=master', 'type=ref,event=branch,enable=false', 'type=sha,format=long'] },
    `sha-${S860}`, [], false, [`org/app:sha-${S860}`]],
  ['push21', 'push_master', {
    images: [],
    tags: ['type=raw,value=mytag-{{branch}}', "type=raw,value=mytag-{{date 'YYYYMMDD'}}", "type=raw,value=mytag-{{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}", "type=raw,value=mytag-src-{{commit_date 'YYYYMMDD'}}",
      'type=raw,value=mytag-tag-{{tag}}', 'type=raw,value=mytag-baseref-{{base_ref}}', 'type=raw,value=mytag-defbranch,enable={{is_default_branch}}'],
    labels: ["org.opencontainers.image.created={{commit_date 'YYYY-MM-DDTHH:mm:ss.SSS[Z]'}}"],
  }, 'mytag-master', ['mytag-20200110', 'mytag-20200110-093000', 'mytag-src-20200110', 'mytag-tag-', 'mytag-baseref-', 'mytag-defbranch'], false,
  ['mytag-master', 'mytag-20200110', 'mytag-20200110-093000', 'mytag-src-20200110', 'mytag-tag-', 'mytag-baseref-', 'mytag-defbranch']],
];
