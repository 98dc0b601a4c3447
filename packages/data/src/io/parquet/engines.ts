import { InvalidArgumentError } from '@tsflow/core';
import type { ParquetEngine, ParquetEngineOption } from './engine.js';
import { hyparquetEngine } from './hyparquet_engine.js';
import { parquetjsEngine } from './parquetjs_engine.js';
import { parquetWasmEngine } from './wasm_engine.js';

const ENGINES: Record<string, ParquetEngine> = {
  'parquet-wasm': parquetWasmEngine,
  hyparquet: hyparquetEngine,
  'parquetjs-lite': parquetjsEngine,
};

/** The engine for `engine` (default `'auto'` → parquet-wasm, the fastest measured; README "Engines"). */
export function resolveParquetEngine(engine: ParquetEngineOption | undefined): ParquetEngine {
  const name = engine === undefined || engine === 'auto' ? 'parquet-wasm' : engine;
  const found = Object.hasOwn(ENGINES, name) ? ENGINES[name] : undefined;
  if (!found) {
    throw new InvalidArgumentError(
      `fromParquet: unknown engine ${JSON.stringify(engine)}; expected 'auto', ${Object.keys(ENGINES)
        .map((n) => `'${n}'`)
        .join(', ')}`,
    );
  }
  return found;
}
