/**
 * A fixed reference workload, timed beside the analyses, that tells how fast the machine is running
 * while they run.
 *
 *   const reference = machineReference(); reference.run() // milliseconds, about 15 when the machine is fast
 *
 * On the shared two-core machines this project is benchmarked on, the same build's median analysis
 * time moves between about 65 and 115 ms from one quarter of an hour to the next, while a tight
 * arithmetic loop keeps to 33–35 ms and random reads over 64 MB to 21–25 ms. What slows down is
 * code like the analysis's: branches on the kinds of many small objects, property loads through
 * several hidden classes, Map lookups by object identity. This workload is that kind of code with
 * nothing else in it: it evaluates a seeded random expression graph of 50,000 nodes of five kinds
 * (four hidden classes), five times, and allocates nothing while it is timed. It took 14 to 38 ms on
 * the same machine within an hour (docs/performance.md). Its time is not a property of Calc: a change
 * to Calc moves it only through what an analysis leaves the collector to finish on the other core
 * while it runs. It says how fast the machine was when an analysis took what it took.
 */

type RefNode =
  | { readonly k: 0; readonly v: number }
  | { readonly k: 1 | 2; readonly a: RefNode; readonly b: RefNode }
  | { readonly k: 3; readonly a: RefNode }
  | { readonly k: 4; readonly a: RefNode; readonly b: RefNode; readonly c: RefNode };

export interface MachineReference {
  /** Times one run of the workload, in milliseconds. */
  run(): number;
}

/** Builds the workload (the same graph on every call) and warms it up. */
export function machineReference(nodes = 50_000): MachineReference {
  let seed = 7;
  const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff;
  const graph: RefNode[] = [];
  // each node takes its operands among the 64 nodes made just before it, as a parser's trees do
  const operand = (): RefNode => graph[Math.max(0, graph.length - 64) + Math.floor(random() * Math.min(graph.length, 64))]!;
  for (let i = 0; i < nodes; i++) {
    const kind = graph.length < 10 ? 0 : Math.floor(random() * 5);
    graph.push(
      kind === 0 ? { k: 0, v: random() }
        : kind === 1 || kind === 2 ? { k: kind, a: operand(), b: operand() }
          : kind === 3 ? { k: 3, a: operand() }
            : { k: 4, a: operand(), b: operand(), c: operand() });
  }
  const index = new Map(graph.map((n, i) => [n, i] as const));
  const values = new Float64Array(graph.length);
  const at = (n: RefNode): number => values[index.get(n)!]!;
  const evaluateAll = (): number => {
    for (let i = 0; i < graph.length; i++) {
      const n = graph[i]!;
      switch (n.k) {
        case 0: values[i] = n.v; break;
        case 1: values[i] = at(n.a) + at(n.b); break;
        case 2: values[i] = 0.5 * at(n.a) + 0.5 * at(n.b); break;
        case 3: values[i] = Math.sin(at(n.a)); break;
        case 4: values[i] = at(n.a) > 0.5 ? at(n.b) : at(n.c); break;
      }
    }
    return values[graph.length - 1]!;
  };
  const run = (): number => {
    const t0 = performance.now();
    let check = 0;
    for (let r = 0; r < 5; r++) check += evaluateAll();
    const ms = performance.now() - t0;
    if (!Number.isFinite(check)) throw new Error('the machine reference workload went wrong');
    return ms;
  };
  for (let i = 0; i < 10; i++) run(); // compiled and optimised before it is timed
  return { run };
}
