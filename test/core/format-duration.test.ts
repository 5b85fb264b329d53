// The one duration formatter: two adjacent units at most, largest first, the rest rounded down.
import { describe, expect, it } from "vitest";
import { formatDuration } from "../../src/core/duration.js";

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe("formatDuration", () => {
  it.each([
    [100 * D, "100d"],
    [100 * D + 4 * S, "100d"],
    [195 * D + 1 * S, "195d"],
    [4 * D + 23 * H, "4d23h"],
    [4 * D + 23 * H + 59 * M + 59 * S, "4d23h"],
    [2 * M + 30 * S, "2m30s"],
    [252 * S, "4m12s"],
    [2 * H, "2h"],
    [2 * H + 5 * S, "2h"],
    [1 * H + 30 * M, "1h30m"],
    [13 * D + 4 * H, "13d4h"],
    [59 * S + 999, "59s"],
    [1 * S, "1s"],
    [850, "850ms"],
    [999.9, "999ms"],
    [0, "0ms"],
    [-(3 * D + 2 * H + 7 * S), "-3d2h"],
  ])("%d ms is %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it("prints what is not a number as it is", () => {
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe("Infinity");
    expect(formatDuration(Number.NaN)).toBe("NaN");
  });
});
