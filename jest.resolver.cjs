// middy 7 publishes only an `import` export condition; resolve it with that condition so that
// @swc/jest (see jest.base.cjs) can compile it to CommonJS like our own code.
module.exports = (request, options) => {
  if (request.startsWith('@middy/')) {
    return options.defaultResolver(request, { ...options, conditions: ['import', 'default'] });
  }
  return options.defaultResolver(request, options);
};
