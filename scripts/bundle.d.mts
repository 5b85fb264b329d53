// Types for scripts/bundle.mjs, so test/action/bundle.test.ts can import it under strict tsc.
import type { BuildOptions, BuildResult } from "esbuild";

export const ROOT: string;
export const OUTFILE: string;
export const NO_SHELL_STUBS: string[];
export const bundleOptions: BuildOptions & { outfile: string; metafile: true };
export function bundle(overrides?: BuildOptions): Promise<BuildResult<{ metafile: true }>>;
