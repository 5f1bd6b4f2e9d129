// Shared bookkeeping for benchmark scripts: the row contract of bench/README.md.
export const argv = process.argv.slice(2);
export const quick = argv.includes('--quick') || process.env.BENCH_QUICK === '1';
export const json = argv.includes('--json');

export const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** One warm-up of each side, then `rounds` rounds, alternating which side goes first. */
export async function alternate(rounds, { floor, subject, warmup = true }) {
  if (warmup) {
    await floor();
    await subject();
  }
  const floorValues = [];
  const subjectValues = [];
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      floorValues.push(await floor());
      subjectValues.push(await subject());
    } else {
      subjectValues.push(await subject());
      floorValues.push(await floor());
    }
  }
  return { floorValues, subjectValues };
}

const round3 = (x) => (x == null || !Number.isFinite(x) ? x : Math.abs(x) >= 100 ? Math.round(x) : +x.toPrecision(3));

/** Builds a row from per-round values; ratio = median of the paired per-round subject/floor. */
export function row({ figure, floor = null, subject, unit, better = 'higher', target, note, floorValues, subjectValues }) {
  const hasFloor = floor != null && floorValues?.length;
  const ratios = hasFloor ? subjectValues.map((v, i) => v / floorValues[i]) : null;
  const ratio = ratios ? median(ratios) : null;
  const value = hasFloor ? ratio : median(subjectValues);
  let pass = null;
  if (target) {
    const m = /^\s*(>=|<=|>|<)\s*([\d.]+)/.exec(target);
    if (m) {
      const t = Number(m[2]);
      pass = m[1] === '>=' ? value >= t : m[1] === '<=' ? value <= t : m[1] === '>' ? value > t : value < t;
    }
  }
  return {
    figure,
    floor: hasFloor ? floor : null,
    subject,
    unit,
    better,
    floorMedian: hasFloor ? round3(median(floorValues)) : null,
    min: round3(Math.min(...subjectValues)),
    median: round3(median(subjectValues)),
    max: round3(Math.max(...subjectValues)),
    ratio: ratio == null ? null : +ratio.toFixed(3),
    target: target ?? null,
    pass,
    rounds: subjectValues.length,
    ...(note ? { note } : {}),
  };
}

/** Prints rows: JSON lines with --json, a table otherwise. */
export function emit(rows) {
  if (json) {
    for (const r of rows) process.stdout.write(JSON.stringify(r) + '\n');
    return;
  }
  for (const r of rows) {
    const ratio = r.ratio == null ? '' : ` ratio ${r.ratio}`;
    const floor = r.floor ? ` | floor ${r.floorMedian} ${r.unit} (${r.floor})` : '';
    const target = r.target ? ` target ${r.target}: ${r.pass ? 'met' : 'NOT met'}` : '';
    console.log(`${r.figure}: ${r.median} ${r.unit} [${r.min}..${r.max}]${floor}${ratio}${target}`);
  }
}
