// Map functions for the mapInWorkers timeout test: element 1 never finishes.
export function spinOnOne(x) {
  if (x === 1) for (;;);
  return x * 2;
}

export function neverSettlesOnOne(x) {
  return x === 1 ? new Promise(() => undefined) : x * 2;
}
