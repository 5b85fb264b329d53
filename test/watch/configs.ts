// The watch tests' smallest config: one drift check on the quickstart's search configs, run every
// second, no history. Tests copy examples/quickstart/configs next to it.
export const ONE_DRIFT_EVERY_SECOND = `version: 1
scoring: { minScore: 0 }
defaults: { timeout: 2s, schedule: "* * * * * *" }
watch: { jitter: 50ms }
history: { enabled: false }
services:
  - name: orders
    checks:
      - id: search-drift
        kind: config-drift
        primary: { file: configs/primary/search.json }
        standby: { file: configs/standby/search.json }
`;
