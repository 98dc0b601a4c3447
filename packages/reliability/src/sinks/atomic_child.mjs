// A writer process for the tests that need a process of their own: signals, kill -9, a low
// open-file limit, another user. Modes:
//   hang     start a write that never finishes, print the temporary path, wait to be killed
//   listen   the same, with an application SIGTERM handler installed
//   report   write 'data' once and print {ok} or {name, message} as JSON
//   emfile   use up every file descriptor first, then as 'report'
import { openSync } from 'node:fs';
import { writeAtomically } from '@tsflow/data';

const [target, mode = 'hang'] = process.argv.slice(2);

if (mode === 'hang' || mode === 'listen') {
  if (mode === 'listen') process.on('SIGTERM', () => console.log('app handler ran'));
  await writeAtomically('child', target, async (tmpPath, handle) => {
    await handle.write('partial data');
    console.log(tmpPath);
    await new Promise(() => setInterval(() => undefined, 1000));
  });
} else {
  if (mode === 'emfile') {
    try {
      for (;;) openSync('/dev/null', 'r');
    } catch (error) {
      if (error.code !== 'EMFILE') throw error;
    }
  }
  try {
    await writeAtomically('child', target, (_tmpPath, handle) => handle.writeFile('data'));
    console.log(JSON.stringify({ ok: true }));
  } catch (error) {
    console.log(JSON.stringify({ name: error.name, message: error.message }));
  }
}
