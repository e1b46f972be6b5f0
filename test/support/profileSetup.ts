/**
 * Jest setup file of every project: a profile-matrix project names its release in
 * `globals.EMULATOR_PROFILE` (jest.config.js); it becomes this test file's EMULATOR_PROFILE,
 * which test/support/emulator.ts reads. An EMULATOR_PROFILE already set in the environment
 * wins for the default project (run everything against one older release).
 */
const profile = (globalThis as { EMULATOR_PROFILE?: unknown }).EMULATOR_PROFILE;
if (typeof profile === 'string') process.env.EMULATOR_PROFILE = profile;

export {};
