/**
 * Every channel name of the lab's contract. Dependency-free so that the sandboxed
 * preload can bundle it without pulling in schemas.
 */
export const requestChannels = [
  'lab.info',
  'datasets.list',
  'datasets.importPaths',
  'datasets.importFiles',
  'datasets.cancelImport',
  'datasets.preview',
  'datasets.rename',
  'datasets.delete',
  'runs.create',
  'runs.list',
  'runs.get',
  'runs.pause',
  'runs.resume',
  'runs.cancel',
  'runs.delete',
  'runs.decode',
  'runs.encode',
  'runs.reconstruct',
  'runs.sample',
  'runs.codes',
  'runs.exportOnnx',
  'presets.list',
  'presets.save',
  'presets.delete',
  'jobs.list',
  'jobs.pause',
  'jobs.resume',
  'jobs.cancel',
  'analyses.run',
  'analyses.result',
  'analyses.classifier',
  'analyses.pca',
  'sweeps.create',
  'sweeps.results',
  'workspace.check',
  'workspace.repair',
] as const;

export const eventChannels = ['datasets.importProgress', 'datasets.importFinished', 'datasets.changed', 'runs.progress', 'runs.changed', 'jobs.changed', 'jobs.progress'] as const;

export type RequestChannel = (typeof requestChannels)[number];
export type EventChannel = (typeof eventChannels)[number];

/** Electron IPC channel names, derived so no other string literal names a channel. */
export const ipcRequestChannel = (name: RequestChannel): string => `lab:request:${name}`;
export const ipcEventChannel = (name: EventChannel): string => `lab:event:${name}`;
