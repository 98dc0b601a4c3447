// CPU-bound map function for parallel_map.bench.mjs (runs inside worker threads).
export function burn(seed) {
  let acc = seed;
  for (let i = 0; i < 8_000_000; i++) acc = (acc * 1.0000001 + i) % 1_000_003;
  return Math.round(acc);
}
