// Entry of the task processes that `tsflow job run --workers N` forks. Plain JS on purpose:
// the same relative path works from src/ (under vitest) and dist/, and it loads the built
// package, like a user's job module does.
const { serveTaskProcess } = await import('@tsflow/jobs');
serveTaskProcess();
