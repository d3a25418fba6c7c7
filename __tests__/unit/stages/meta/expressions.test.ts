/** The global expressions and patterns (expressions.ts). */

// docker/metadata-action's own table (pr12): an unquoted format is a name Handlebars leaves undefined,
// so the date comes in the default format; we do the same, and say how to quote it
test('an unquoted date format renders the default format, with a note', async () => {
  const { unquotedDateFormats } = await import('../../../../src/stages/meta/expressions.js');
  expect(
    unquotedDateFormats([
      '{{date YYYYMMDD}}',
      "{{date 'YYYYMMDD'}}",
      "{{date tz='UTC'}}",
      '{{commit_date YYYY-MM tz="UTC"}}',
      '{{date}}',
    ]),
  ).toEqual(['{{date YYYYMMDD}}', '{{commit_date YYYY-MM tz="UTC"}}']);
});
