import { describe, expect, it } from 'vitest';
import { builtinDatasets, isBuiltinDatasetId, missingDatasetNotice } from './builtinDatasets.js';

describe('a configuration written for a dataset the workspace lacks', () => {
  it('says which built-in it needs and how to get it', () => {
    const notice = missingDatasetNotice('Pretrained encoders', 'fashion-mnist', ['shapes']);
    expect(notice).toMatch(/^“Pretrained encoders” needs Fashion-MNIST \('fashion-mnist'\), which this workspace does not have\./);
    expect(notice).toContain('sudo apt-get install dataset-fashion-mnist');
    expect(notice).toContain('/usr/share/datasets/fashion-mnist');
  });

  it('knows Colour Shapes as a built-in the lab generates', () => {
    expect(isBuiltinDatasetId('colour-shapes')).toBe(true);
    expect(Object.keys(builtinDatasets)).toEqual(['shapes', 'colour-shapes', 'fashion-mnist']);
    expect(missingDatasetNotice('Colorize', 'colour-shapes', ['shapes'])).toMatch(/^“Colorize” needs Colour Shapes \('colour-shapes'\), which this workspace does not have\. To get it, the lab generates it on first start/);
  });

  it('names a dataset that is not built in, and says nothing where the dataset is there or none is named', () => {
    expect(missingDatasetNotice('Mine', 'cells', [])).toMatch(/^“Mine” is written for the dataset 'cells'/);
    expect(missingDatasetNotice('Mine', 'fashion-mnist', ['shapes', 'fashion-mnist'])).toBeNull();
    expect(missingDatasetNotice('Mine', undefined, [])).toBeNull();
  });
});
