export declare const ROOT: string;
export declare const SOURCE_DIR: string;
export declare const OUT_DIR: string;
/** Bundles dashboard/ with esbuild; resolves with the output files by relative path ('index.html', 'assets/app.js', …). */
export declare function buildDashboard(options?: { write?: boolean; outDir?: string }): Promise<Map<string, Uint8Array>>;
