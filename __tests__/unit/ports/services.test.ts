import { artifactServiceAvailable, isGhes } from '../../../src/ports/services.js';

describe('the Actions artifact service port', () => {
  test('the artifact service: token and results URL, not on GHES', () => {
    const env = { ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'https://results/' };
    expect(artifactServiceAvailable(env)).toBe(true);
    expect(artifactServiceAvailable({ ...env, GITHUB_SERVER_URL: 'https://octo.ghe.com' })).toBe(true);
    expect(artifactServiceAvailable({ ...env, GITHUB_SERVER_URL: 'https://ghes.corp.example' })).toBe(false);
    expect(artifactServiceAvailable({ ACTIONS_RUNTIME_TOKEN: 't' })).toBe(false);
    expect(artifactServiceAvailable({})).toBe(false);
    expect(isGhes(undefined)).toBe(false);
  });
});
