#!/usr/bin/env node
// Run before the @tsflow/jobs tests (its `npm test`): the distributed-mode and Redis Streams tests
// start their own redis-server (the Debian package) on a free port, so the binary must be
// there. As root it is installed with apt-get; otherwise this prints the one command to run and
// fails. It never lets the tests skip silently.
import { spawnSync } from 'node:child_process';

const SERVER = process.env.TSFLOW_REDIS_SERVER ?? 'redis-server';
const found = () => spawnSync(SERVER, ['--version'], { stdio: 'ignore' }).status === 0;

if (found()) process.exit(0);
const say = (line) => process.stderr.write(`[@tsflow/jobs] ${line}\n`);
const isRoot = process.getuid?.() === 0;
const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
if (!isRoot || !hasApt || process.env.TSFLOW_REDIS_SERVER !== undefined) {
  say(`'${SERVER}' was not found; the Redis tests need it. Install it with: sudo apt-get install -y redis-server`);
  process.exit(1);
}
say('redis-server is missing: installing the Debian package (apt-get install -y redis-server) for the Redis tests ...');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [
  ['update', '-qq'],
  ['install', '-y', '-qq', '--no-install-recommends', 'redis-server'],
]) {
  const result = spawnSync('apt-get', args, { env, encoding: 'utf8' });
  if (result.status !== 0) {
    say(`'apt-get ${args.join(' ')}' failed (exit ${result.status}):\n${(result.stderr || result.stdout).trim()}`);
    process.exit(1);
  }
}
if (!found()) {
  say('apt-get installed redis-server, but it still does not run; install it by hand: apt-get install -y redis-server');
  process.exit(1);
}
say('redis-server installed.');
