import { describe, expect, it } from 'vitest';
import { runSummary } from '../../testing/analysisFixtures.js';
import { nextRunChoice, type RunChoiceInput } from './runChoice.js';

const circles = runSummary('r-circles', { normalClasses: [0] });
const squares = runSummary('r-squares', { normalClasses: [1] });
const other = runSummary('r-other', { normalClasses: [2] });
const whole = runSummary('r-whole', {});
const input = (rest: Partial<RunChoiceInput>): RunChoiceInput => ({ candidates: [circles, squares, other, whole], chosen: [], handOff: [], handedIn: new Set(), selectedId: null, max: 64, ...rest });

describe('the anomaly panel’s choice of runs', () => {
  it('starts with the runs trained on normal classes, else the selected run, and keeps a choice while its runs are there', () => {
    expect(nextRunChoice(input({})).chosen).toEqual(['r-circles', 'r-squares', 'r-other']);
    expect(nextRunChoice(input({ candidates: [whole], selectedId: 'r-whole' })).chosen).toEqual(['r-whole']);
    expect(nextRunChoice(input({ chosen: ['r-whole', 'r-gone'] })).chosen).toEqual(['r-whole']);
  });

  it('starts with the runs another panel prefers, or the selected run where it prefers none', () => {
    expect(nextRunChoice(input({ prefer: (r) => r.id === 'r-whole' })).chosen).toEqual(['r-whole']);
    expect(nextRunChoice(input({ prefer: () => false, selectedId: 'r-squares' })).chosen).toEqual(['r-squares']);
  });

  it('chooses a recipe’s runs alone, each as it finishes training, and does not tick one again that the user unticked', () => {
    // Only circles has trained yet: squares, also handed over, is no candidate; other is not the recipe's.
    const first = nextRunChoice(input({ candidates: [circles, other], handOff: ['r-circles', 'r-squares'] }));
    expect(first.chosen).toEqual(['r-circles']);
    const second = nextRunChoice(input({ chosen: first.chosen, handedIn: first.handedIn, handOff: ['r-circles', 'r-squares'] }));
    expect(second.chosen).toEqual(['r-circles', 'r-squares']);
    const unticked = nextRunChoice(input({ chosen: ['r-squares'], handedIn: second.handedIn, handOff: ['r-circles', 'r-squares'] }));
    expect(unticked.chosen).toEqual(['r-squares']);
  });
});
