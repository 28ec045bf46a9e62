import { useEffect, useState } from "preact/hooks";

/** The clock, ticking each `intervalMilliseconds` while `ticking`, so running durations count up. */
export function useNow(ticking: boolean, intervalMilliseconds = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    // Nothing counts up on a page of finished runs: no re-render each second.
    if (!ticking) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMilliseconds);
    return () => clearInterval(timer);
  }, [ticking, intervalMilliseconds]);
  return now;
}
