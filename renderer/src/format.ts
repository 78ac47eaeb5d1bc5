export const formatBytes = (bytes: number): string =>
  bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GiB` : bytes >= 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`;

export const formatCount = (n: number): string => n.toLocaleString('en-US');

export const formatShape = (shape: readonly number[]): string => {
  const [h, w, c] = shape;
  return `${w}×${h} px, ${c === 1 ? 'grayscale' : c === 3 ? 'RGB' : `${c} channels`}`;
};
