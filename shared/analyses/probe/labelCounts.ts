import { labelsPerClassSchema, probeSpecSchema, type LabelsPerClass } from './probeSpec.js';

const maxCount = 1_000_000;

/** Ascending, with 'all' (every labelled sample) after every count. */
export function sortedLabelCounts(counts: readonly LabelsPerClass[]): LabelsPerClass[] {
  return [...counts].sort((a, b) => (a === b ? 0 : a === 'all' ? 1 : b === 'all' ? -1 : a - b));
}

/**
 * The labels-per-class list as a person types it, in the CLI's `--labels` and the probe form
 * alike ("1, 5,10,all"): comma-separated whole numbers ≥ 1 or `all`, each once. Returns the
 * counts sorted, or what is wrong without a field name, so that each caller names the field
 * its own way and both say the same thing. A repeat is refused, not dropped: a user who types
 * 5 twice may have meant another count.
 */
export function parseLabelCounts(text: string): { counts: LabelsPerClass[] } | { problem: string } {
  if (text.trim() === '') return { problem: "list at least one count, such as '1, 5, 10, all'" };
  const entries = text.split(',').map((entry) => entry.trim());
  const counts: LabelsPerClass[] = [];
  for (const entry of entries) {
    if (entry === '') return { problem: 'an entry is empty (two commas in a row, or a comma at an end); give whole numbers ≥ 1 or all, separated by commas' };
    const value: unknown = entry.toLowerCase() === 'all' ? 'all' : /^[0-9]+$/.test(entry) ? Number(entry) : NaN;
    if (typeof value === 'number' && value > maxCount) return { problem: `'${entry}' is more than the lab's limit of 1,000,000 labels per class` };
    const parsed = labelsPerClassSchema.safeParse(value);
    if (!parsed.success) return { problem: `'${entry}' is not a count of labels per class (a whole number ≥ 1, or all)` };
    if (counts.includes(parsed.data)) return { problem: `${String(parsed.data)} is given twice` };
    counts.push(parsed.data);
  }
  // How many counts one probe takes is the spec's own limit.
  const whole = probeSpecSchema.shape.labelsPerClass.safeParse(counts);
  const [issue] = whole.success ? [] : whole.error.issues;
  if (issue) return { problem: `at most ${issue.code === 'too_big' ? String(issue.maximum) : 'a few'} counts can be probed at once; ${counts.length} were given` };
  return { counts: sortedLabelCounts(counts) };
}
