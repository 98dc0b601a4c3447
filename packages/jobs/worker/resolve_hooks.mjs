// Module resolution hook registered by loadJob: a job module may live anywhere (a temp folder, a
// shared volume) and still `import { defineJob } from '@tsflow/jobs'`. When Node can't find a
// `@tsflow/*` package from the job module's folder, it is resolved from this package instead.
// Plain JS: hooks run in a separate loader thread, from src/ (under vitest) or dist/ alike.
const FROM_HERE = import.meta.url;

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !specifier.startsWith('@tsflow/')) throw error;
    return nextResolve(specifier, { ...context, parentURL: FROM_HERE });
  }
}
