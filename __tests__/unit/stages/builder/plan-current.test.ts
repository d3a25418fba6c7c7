/** build-push-action's form builds on the builder an earlier step left current (setup-buildx-action's). */
import { currentBuilderToUse } from '../../../../src/stages/builder/plan.js';
import { builderRequest } from '../../fakes.js';

const bpa = (over: Parameters<typeof builderRequest>[0] = {}) => ({
  form: 'build-push-action',
  ...builderRequest(over),
});
const container = { name: 'builder-1', driver: 'docker-container' };

test("build-push-action's form with no builder inputs takes the current container builder", () => {
  expect(currentBuilderToUse(bpa(), container)).toBe('builder-1');
});

test.each<[string, ReturnType<typeof bpa>, { name: string; driver?: string } | undefined]>([
  ["this action's form", { ...bpa(), form: 'multiarch' }, container],
  ['a builder input', bpa({ builder: 'mine' }), container],
  ['a driver input', bpa({ driver: 'docker-container' }), container],
  ['a builder-setup input (driver-opts)', bpa({ driverOpts: ['network=host'] }), container],
  ["the current builder is the engine's own (docker driver)", bpa(), { name: 'default', driver: 'docker' }],
  ['no current builder could be read', bpa(), undefined],
])('not with %s', (_why, req, current) => {
  expect(currentBuilderToUse(req, current)).toBeUndefined();
});
