/**
 * "Did you mean …?" for names people type: data fields, event types, subscription patterns,
 * severities. A near miss is a small edit away (a letter missing, extra, wrong, or two swapped),
 * ignoring case; short words allow fewer edits than long ones, so `ab` is not a near miss of `id`.
 */

/** Edits (insert, delete, substitute, swap two neighbours) between a and b; stops early past `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1);
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length];
}

/** The most edits that still make `word` a near miss (at most 2, fewer for short words). */
function allowedEdits(word: string, candidate: string): number {
  return Math.min(2, Math.ceil(Math.max(word.length, candidate.length) / 3));
}

/** The candidate `word` is most likely a typo of, or undefined when none is close. */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const limit = allowedEdits(word, candidate);
    const d = editDistance(lower, candidate.toLowerCase(), limit);
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
