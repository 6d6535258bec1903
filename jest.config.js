/** @type {import('jest').Config} */
const ESM_ONLY_PACKAGES = '(kubernetes-models|@kubernetes-models|is-cidr|cidr-regex)';

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  resolver: '<rootDir>/test/support/esm-resolver.js',
  transform: {
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, tsconfig: 'tsconfig.json' }],
    // ESM-only model packages, compiled to CommonJS for jest (see test/support/esm-resolver.js).
    [`^.+/node_modules/${ESM_ONLY_PACKAGES}/.+\\.js$`]: [
      'ts-jest',
      { isolatedModules: true, tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!${ESM_ONLY_PACKAGES}/)`],
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  maxWorkers: 2,
  testTimeout: 60000,
};
