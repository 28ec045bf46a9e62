import { useEffect, useState } from "preact/hooks";

/** The clock, ticking each `intervalMilliseconds`, so running durations count up. */
export function useNow(intervalMilliseconds = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMilliseconds);
    return () => clearInterval(timer);
  }, [intervalMilliseconds]);
  return now;
}
