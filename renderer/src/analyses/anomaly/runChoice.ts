import type { RunSummary } from '../../../../shared/domain/run.js';

export interface RunChoiceInput {
  /** The trained runs of the panel's dataset. */
  candidates: readonly RunSummary[];
  chosen: readonly string[];
  /** The runs a recipe opened the panel on (the analyses store's hand-off); empty when none. */
  handOff: readonly string[];
  /** Of those, the ones already put among the chosen: they are not put back once unticked. */
  handedIn: ReadonlySet<string>;
  selectedId: string | null;
  max: number;
  /** The runs an empty choice starts with, where there are any; the anomaly panel's: those trained on normal classes. */
  prefer?: (run: RunSummary) => boolean;
}

/**
 * The runs chosen for scoring after the candidates changed. Those chosen stay while they are
 * candidates. A recipe's runs are what it opened the panel for: each joins the choice as it
 * finishes training, and nothing else is chosen for the user meanwhile. Without a hand-off,
 * an empty choice starts with the preferred runs (trained on normal classes, unless told), else the selected run.
 */
export function nextRunChoice(input: RunChoiceInput): { chosen: string[]; handedIn: Set<string> } {
  const ids = new Set(input.candidates.map((r) => r.id));
  const chosen = input.chosen.filter((id) => ids.has(id));
  const handedIn = new Set(input.handedIn);
  if (input.handOff.length > 0) {
    for (const id of input.handOff) {
      if (!ids.has(id) || handedIn.has(id)) continue;
      handedIn.add(id);
      if (!chosen.includes(id) && chosen.length < input.max) chosen.push(id);
    }
    return { chosen, handedIn };
  }
  if (chosen.length > 0) return { chosen, handedIn };
  const subset = input.candidates.filter(input.prefer ?? ((r) => Boolean(r.config.normalClasses)));
  const selected = input.candidates.find((r) => r.id === input.selectedId);
  return { chosen: (subset.length > 0 ? subset : selected ? [selected] : []).slice(0, input.max).map((r) => r.id), handedIn };
}
