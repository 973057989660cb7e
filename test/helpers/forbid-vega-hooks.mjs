// Module hooks for forbid-vega.mjs.
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (/\/node_modules\/vega(-lite)?\//.test(result.url)) throw new Error(`Vega was loaded: ${result.url}`);
  return result;
}
