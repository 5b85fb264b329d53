// Kept in step with package.json by test/version.test.ts (no JSON import on the startup path).
export const VERSION = "0.1.0";
