// Small presentational pieces: styled lines, the spinner (one shared tick, no ink-spinner), and
// the terminal size hook that follows resizes.
import { Text, useStdout } from "ink";
import { createContext, useContext, useEffect, useState, type ReactElement } from "react";
import type { Line } from "./detail.js";
import { clipLine, sizeOf, type Size } from "./screen.js";

/** Colors on or off (NO_COLOR): components read it instead of each deciding. */
export const ColorContext = createContext(true);

export function Segs({ line, width }: { line: Line; width?: number }): ReactElement {
  const color = useContext(ColorContext);
  const parts = clipLine(line, width).map((s, i) => (
    <Text key={i} color={color ? s.color : undefined} bold={s.bold} dimColor={s.dim}>
      {s.text}
    </Text>
  ));
  return <Text wrap="truncate-end">{parts.length ? parts : " "}</Text>;
}

export const SPINNER_FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** The current spinner frame, advanced by one interval in <App> while anything runs. */
export const TickContext = createContext(0);

export function Spinner(): ReactElement {
  const tick = useContext(TickContext);
  const color = useContext(ColorContext);
  return <Text color={color ? "cyan" : undefined}>{SPINNER_FRAMES[tick % SPINNER_FRAMES.length]}</Text>;
}

/** Advances while `active`; one timer for every spinner on screen. */
export function useTicker(active: boolean, ms = 90): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!active || ms <= 0) return;
    const id = setInterval(() => setTick((n) => n + 1), ms);
    return () => clearInterval(id);
  }, [active, ms]);
  return tick;
}

export type { Size };

/** The terminal size, following resize events; `fixed` overrides it (tests). */
export function useSize(fixed?: Size): Size {
  const { stdout } = useStdout();
  const read = (): Size => sizeOf(stdout);
  const [size, setSize] = useState<Size>(fixed ?? read());
  useEffect(() => {
    if (fixed || !stdout) return;
    const on = (): void => setSize(read());
    stdout.on("resize", on);
    return () => {
      stdout.off("resize", on);
    };
  }, [stdout, fixed?.columns, fixed?.rows]);
  return fixed ?? size;
}

/** A clock that re-renders every `ms` (relative times stay true); 0 freezes it (tests). */
export function useNow(now: (() => number) | undefined, ms: number): number {
  const clock = now ?? Date.now;
  const [value, setValue] = useState(clock());
  useEffect(() => {
    if (ms <= 0) return;
    const id = setInterval(() => setValue(clock()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return ms <= 0 ? clock() : value;
}
