/**
 * The plot sampler's level curves (marching squares on the server) and the packed number
 * encoding the plot protocol uses. References are closed forms: points of a level curve of a
 * linear function lie exactly on its line, those of x² + y² = r² on the circle up to the
 * interpolation error, and packing round-trips through IEEE single precision.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gridRows, pack, unpack } from '../../protocol/plot';
import { seeded } from '../../server/src/core/calculus/random';
import { levelCurves, niceLevels, packGrid } from '../../server/src/core/plot/contour';
import { sampleGrid } from '../../server/src/core/plot/sample';

/** The polylines between NaN separators, as [x, y] point lists. */
function lines(c: { x: ArrayLike<number>; y: ArrayLike<number> }): [number, number][][] {
  const out: [number, number][][] = [[]];
  for (let k = 0; k < c.x.length; k++) {
    if (Number.isNaN(c.x[k]!)) out.push([]);
    else out[out.length - 1]!.push([c.x[k]!, c.y[k]!]);
  }
  return out.filter((l) => l.length > 0);
}

test('level curves of random linear functions lie exactly on their lines and cross the whole window', () => {
  const rand = seeded(20261121);
  for (let trial = 0; trial < 20; trial++) {
    const [p, q, r] = [rand() * 4 - 2, rand() * 4 - 2, rand() - 0.5];
    const f = (x: number, y: number) => p * x + q * y + r;
    const grid = sampleGrid(f, [-1, 1], [-1, 1], 37, 41);
    // Through a point (x, 0) with |x| ≤ 1/4: the line crosses the square.
    const c = r + (rand() - 0.5) * Math.abs(p) * 0.5;
    const curves = lines(levelCurves(grid, [c]));
    // A line crossing the square is one open polyline.
    assert.equal(curves.length, 1, `p = ${p}, q = ${q}, r = ${r}, c = ${c}`);
    for (const [x, y] of curves[0]!) assert.ok(Math.abs(f(x, y) - c) < 1e-12, `f(${x}, ${y}) = ${f(x, y)}, not ${c}`);
    // Its ends lie on the window's frame.
    for (const [x, y] of [curves[0]![0]!, curves[0]![curves[0]!.length - 1]!]) {
      assert.ok(Math.abs(Math.abs(x) - 1) < 1e-12 || Math.abs(Math.abs(y) - 1) < 1e-12, `end (${x}, ${y}) on the frame`);
    }
  }
});

test('the level curve x² + y² = r² is one closed loop on the circle of radius r', () => {
  const h = 4 / 199;
  for (const r of [0.5, 1, 1.7]) {
    const curves = lines(levelCurves(sampleGrid((x, y) => x * x + y * y, [-2, 2], [-2, 2], 200, 200), [r * r]));
    assert.equal(curves.length, 1);
    const loop = curves[0]!;
    assert.deepEqual(loop[0], loop[loop.length - 1], 'it closes where it began');
    // Linear interpolation of a quadratic along an edge errs by at most h²/4 in f, so by h²/(8r) in radius.
    for (const [x, y] of loop) assert.ok(Math.abs(Math.hypot(x, y) - r) <= (h * h) / (8 * r) + 1e-12, `(${x}, ${y}) at radius ${Math.hypot(x, y)}`);
    // It goes all the way round: every octant holds points.
    const octants = new Set(loop.map(([x, y]) => Math.floor(((Math.atan2(y, x) + Math.PI) / (2 * Math.PI)) * 8) % 8));
    assert.equal(octants.size, 8);
  }
});

test('near a saddle the curves of x·y = −ε stay in their own quadrants, not joined across the middle', () => {
  // An even number of samples puts the saddle point (0, 0) inside a cell, whose corners are
  // ±h²/4 − ε: two opposite corners above the level, two below. The true curves are the two
  // branches of the hyperbola x·y = −ε, in the second and the fourth quadrant.
  const eps = 1e-4;
  const curves = lines(levelCurves(sampleGrid((x, y) => x * y + eps, [-1, 1], [-1, 1], 40, 40), [0]));
  assert.equal(curves.length, 2);
  for (const l of curves) {
    const quadrants = new Set(l.map(([x, y]) => (x < 0 ? (y > 0 ? 2 : 3) : y > 0 ? 1 : 4)));
    assert.equal(quadrants.size, 1, `one branch in one quadrant, not across the saddle: ${[...quadrants]}`);
    assert.ok(quadrants.has(2) || quadrants.has(4));
  }
});

test('level curves stop at the edge of the domain instead of crossing a gap', () => {
  // log(x) + y is undefined for x ≤ 0.
  const grid = sampleGrid((x, y) => Math.log(x) + y, [-1, 2], [-2, 2], 120, 120);
  const curves = lines(levelCurves(grid, [0.5]));
  assert.ok(curves.length >= 1);
  for (const l of curves) for (const [x, y] of l) {
    assert.ok(x > 0, `a point at x = ${x}`);
    // Linear interpolation along a vertical edge is exact here (f is linear in y).
    if (x === grid.x.find((g) => Math.abs(g - x) < 1e-15)) assert.ok(Math.abs(Math.log(x) + y - 0.5) < 1e-12);
  }
});

test('a point budget bounds the output of a wildly oscillating function', () => {
  const grid = sampleGrid((x, y) => Math.sin(40 * x) * Math.cos(40 * y), [-1, 1], [-1, 1], 200, 200);
  const out = levelCurves(grid, niceLevels(-1, 1, 24), 5000);
  assert.ok(out.truncated);
  assert.ok(out.x.length <= 5001 && out.x.length === out.y.length);
  // packGrid drops levels until the lines fit its budget.
  const packed = packGrid(grid, 24, 20_000);
  assert.ok(packed.contours && packed.contours.x.length <= 20_000 && packed.contours.levels.length < niceLevels(-1, 1, 24).length);
});

test('nice levels are round multiples strictly inside the range, about as many as asked', () => {
  assert.deepEqual(niceLevels(0, 1, 4), [0.25, 0.5, 0.75]);
  assert.deepEqual(niceLevels(-3, 7, 5), [-2, 0, 2, 4, 6]);
  const rand = seeded(7);
  for (let k = 0; k < 50; k++) {
    const lo = (rand() - 0.5) * 10 ** (rand() * 8 - 4), hi = lo + 10 ** (rand() * 8 - 4);
    const ls = niceLevels(lo, hi, 24);
    assert.ok(ls.length >= 8 && ls.length <= 24, `${ls.length} levels in [${lo}, ${hi}]`);
    assert.ok(ls.every((v, i) => v > lo && v < hi && (i === 0 || v > ls[i - 1]!)));
  }
  assert.deepEqual(niceLevels(1, 1), []);
  assert.deepEqual(niceLevels(NaN, 1), []);
});

test('packed numbers come back as the nearest single-precision floats, gaps as NaN', () => {
  const rand = seeded(99);
  const values = Array.from({ length: 1001 }, (_, k) => (k % 97 === 0 ? null : (rand() - 0.5) * 10 ** (rand() * 20 - 10)));
  const back = unpack(pack(values));
  assert.equal(back.length, values.length);
  values.forEach((v, k) => {
    if (v === null) assert.ok(Number.isNaN(back[k]!));
    else assert.equal(back[k], Math.fround(v));
  });
  // Beyond single precision's range the packing switches to double precision: nothing is lost.
  const big = [1e300, -2.5e-310, Math.PI];
  assert.equal(pack(big).dtype, 'f64');
  assert.deepEqual([...unpack(pack(big))], big);
  // Infinite values and malformed input become gaps or nothing, never exceptions.
  assert.ok(Number.isNaN(unpack(pack([Infinity]))[0]!));
  assert.equal(unpack({ dtype: 'f32', length: 5, base64: 'AACAPw==' }).length, 0);
  assert.equal(unpack({ dtype: 'f32', length: 1, base64: '%%%' }).length, 0);
  // The encoding is standard base64 of little-endian IEEE floats (what Node's Buffer gives).
  const f = new Float32Array([1, -0.5, 3e-7]);
  assert.equal(pack([...f]).base64, Buffer.from(f.buffer).toString('base64'));
});

test('grid rows put the value at (x[i], y[j]) in row j, column i', () => {
  const grid = packGrid(sampleGrid((x, y) => 10 * y + x, [0, 2], [0, 1], 3, 2), 0);
  assert.deepEqual(gridRows(grid), [[0, 1, 2], [10, 11, 12]]);
  assert.equal(grid.contours, undefined);
});

test('near a pole the colours and the contour levels span the robust range, not the pole\'s huge values', () => {
  // 1/(x² + y²) on [-1, 1]²: 1/2 at the corners, up to ~10⁴ at the samples nearest the pole.
  const f = (x: number, y: number) => 1 / (x * x + y * y);
  const grid = sampleGrid(f, [-1, 1], [-1, 1], 200, 200);
  const packed = packGrid(grid);
  const [lo, hi] = packed.zRange!;
  assert.ok(lo < 0.6 && hi > 2 && hi < 200, `colour range [${lo}, ${hi}]`);
  const levels = packed.contours!.levels;
  assert.ok(levels.length >= 8 && levels.every((c) => c > lo && c < hi), `${levels}`);
  // The level curves are circles x² + y² = 1/c about the pole.
  const curves = lines({ x: unpack(packed.contours!.x), y: unpack(packed.contours!.y) });
  for (const l of curves) for (const [x, y] of l) assert.ok(levels.some((c) => Math.abs(Math.hypot(x, y) - 1 / Math.sqrt(c)) < 0.01), `(${x}, ${y})`);
  // A function without a pole keeps its full range.
  assert.equal(packGrid(sampleGrid((x, y) => x * y, [-1, 1], [-1, 1], 50, 50)).zRange, undefined);
});
