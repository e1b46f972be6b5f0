/** Every suite talks to real servers on port 0; they run in parallel workers. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 60000,
  maxWorkers: 2,
  globalSetup: '<rootDir>/test/globalSetup.ts',
};
