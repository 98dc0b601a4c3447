import { register } from 'node:module';

let registered = false;

/**
 * Lets job modules outside this repository import `@tsflow/*` packages: registers (once per
 * process) a resolve hook that falls back to resolving them from this package.
 */
export function resolveTsflowPackagesFromAnywhere(): void {
  if (registered) return;
  registered = true;
  register(new URL('../../worker/resolve_hooks.mjs', import.meta.url));
}
