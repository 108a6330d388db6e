/** Types of build.mjs for the TypeScript that imports it (bench/startup.ts). */
export declare const DEFAULT_OUT: string;
export declare function isCurrent(outDir?: string): boolean;
export declare function build(outDir?: string): Promise<{ ms: number; files: number }>;
export declare function ensureBuilt(outDir?: string): Promise<void>;
