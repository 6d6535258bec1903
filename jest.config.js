/** @type {import('jest').Config} */
const ESM_ONLY_PACKAGES = '(kubernetes-models|@kubernetes-models|is-cidr|cidr-regex)';

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  resolver: '<rootDir>/test/support/esm-resolver.js',
  transform: {
    // TypeScript, and the ESM-only model packages compiled to CommonJS (see test/support/esm-resolver.js).
    '^.+\\.ts$': '<rootDir>/test/support/esbuild-transform.js',
    [`^.+/node_modules/${ESM_ONLY_PACKAGES}/.+\\.js$`]: '<rootDir>/test/support/esbuild-transform.js',
  },
  transformIgnorePatterns: [`/node_modules/(?!${ESM_ONLY_PACKAGES}/)`],
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  maxWorkers: 2,
  testTimeout: 60000,
};
