/** Types of the layer table that eslint.config.js exports (its test reads the table). */
export declare const layers: Record<string, { may: string[]; runtime: 'plain' | 'node' | 'tfjs' | 'electron' | 'preload' | 'browser' }>;
declare const config: unknown[];
export default config;
