/**
 * Every suite talks to real servers on port 0; they run in parallel workers.
 *
 * Profile matrix (emulator/profile.ts): the default project runs every suite against the
 * emulator's default release; one more project per older release runs the bridge's end-to-end
 * suites listed in MATRIX_SUITES against it. test/support/profileSetup.ts turns the project's
 * `globals.EMULATOR_PROFILE` into the env var test/support/emulator.ts reads.
 */

/** The bridge suites that must be green on every release profile; extend here. */
const MATRIX_SUITES = [
  'test/bridge/foundation.test.ts',
  'test/bridge/sessions.test.ts',
  'test/bridge/resume.test.ts',
  'test/bridge/sameTokenKick.test.ts',
  'test/bridge/tokenExpiry.test.ts',
  'test/bridge/upstreamFaults.test.ts',
  'test/bridge/api/message*.test.ts',
  'test/bridge/api/conversation*.test.ts',
  'test/bridge/api/sdkCore.test.ts',
  'test/bridge/api/group.test.ts',
  'test/bridge/api/setGroupInfoRoute.test.ts',
  'test/bridge/continuity*.test.ts',
  'test/bridge/continuity/**/*.test.ts',
];

/** Releases other than the default (v3.8.3-patch.16) that the matrix suites also run against. */
const OLDER_PROFILES = ['v3.8.0', 'v3.8.3'];

const base = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  setupFiles: ['<rootDir>/test/support/profileSetup.ts'],
};

module.exports = {
  testTimeout: 60000,
  maxWorkers: 2,
  globalSetup: '<rootDir>/test/globalSetup.ts',
  projects: [
    { ...base, displayName: 'default', testMatch: ['**/*.test.ts'] },
    ...OLDER_PROFILES.map((profile) => ({
      ...base,
      displayName: profile,
      testMatch: MATRIX_SUITES.map((p) => `<rootDir>/${p}`),
      globals: { EMULATOR_PROFILE: profile },
    })),
  ],
};
