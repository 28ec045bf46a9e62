import { useEffect, useState } from "preact/hooks";

/** A typed value that settles: `onSettled` runs once typing pauses for `delayMilliseconds`. */
export function useDebounced(
  initial: string,
  onSettled: (value: string) => void,
  delayMilliseconds = 300,
): [string, (value: string) => void] {
  const [value, setValue] = useState(initial);
  const [dirty, setDirty] = useState(false);
  useEffect(() => {
    if (!dirty) return;
    const timer = setTimeout(() => {
      setDirty(false);
      onSettled(value);
    }, delayMilliseconds);
    return () => clearTimeout(timer);
  }, [value, dirty]);
  return [
    value,
    (next: string) => {
      setValue(next);
      setDirty(true);
    },
  ];
}
