import { parse } from 'csv-parse/sync';

import { buildxCsvField, hasControlCharacter, parseBool, parseList } from '../../src/lists.js';

describe('parseList (build-push-action list syntax)', () => {
  test.each([
    ['', {}, []],
    ['a,b', {}, ['a', 'b']],
    ['a\nb\n\n c ', {}, ['a', 'b', 'c']],
    ['a, b\nc', {}, ['a', 'b', 'c']],
    ['# comment\na\n  # indented comment\nb', {}, ['a', 'b']],
    ['a#not-a-comment', {}, ['a#not-a-comment']],
    ['"a,b",c', {}, ['a,b', 'c']],
    ['K=1,2\nL=3', { ignoreComma: true }, ['K=1,2', 'L=3']],
    ['"K=multi\nline"\nL=x', { ignoreComma: true }, ['K=multi\nline', 'L=x']],
  ])('%j %j', (value, opts, want) => {
    expect(parseList(value, opts)).toEqual(want);
  });
});

describe('parseBool', () => {
  test.each([
    ['true', true],
    ['True', true],
    ['FALSE', false],
    ['', undefined],
  ])('%j → %s', (v, want) => expect(parseBool(v)).toBe(want));
  test('rejects yes', () => expect(() => parseBool('yes')).toThrow(/true or false/));
});

describe('hasControlCharacter', () => {
  test.each([
    ['usr/bin/x', false],
    ['x\n::error::boom', true],
    ['tab\there', true],
    ['del\u007f', true],
    ['caf\u00e9', false],
  ])('%j: %s', (v, has) => expect(hasControlCharacter(v)).toBe(has));
});

describe('buildxCsvField (one key=value of buildx CSV attributes)', () => {
  test.each([
    ['dest', '/tmp/a', 'dest=/tmp/a'],
    ['name', 'a:1,b:2', '"name=a:1,b:2"'],
    ['src', '/tmp/say "hi"', '"src=/tmp/say ""hi"""'],
    ['dest', '/tmp/a\nb', '"dest=/tmp/a\nb"'],
    ['dest', '/tmp/a\rb', '"dest=/tmp/a\rb"'],
  ])('%s=%j', (key, value, want) => {
    expect(buildxCsvField(key, value)).toBe(want);
  });

  test('buildx CSV reader reads the field back whole', () => {
    const field = buildxCsvField('src', '/tmp/a,"b"\r\nc');
    expect(parse(`id=x,${field}`, { relax_quotes: false })).toEqual([['id=x', 'src=/tmp/a,"b"\r\nc']]);
  });
});
