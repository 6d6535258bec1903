// The Kubernetes and Karpenter model packages (and two of their dependencies) export ESM
// only. Jest runs the tests as CommonJS, so these are resolved with the "import" condition
// and compiled to CommonJS by the transform in jest.config.js; every other package resolves
// as usual. Production code loads them with `await import(...)`, which tsx runs natively.
const ESM_ONLY = /^(@kubernetes-models\/|kubernetes-models(\/|$)|is-cidr$|cidr-regex$)/;

module.exports = (request, options) => options.defaultResolver(request, ESM_ONLY.test(request) ? { ...options, conditions: ['import', 'default'] } : options);
