import { useEffect, useRef, useState } from "preact/hooks";
import { followEvents } from "../api.ts";
import { type LiveStep, nextLiveStep } from "./live-step.ts";

// Events after which the stored steps or the run's state differ from what the page shows.
const changing = new Set(["status", "usage", "tool-call", "tool-result", "approval-required", "finished"]);

/** Follows a working run's events: streams the current step's text and asks for a re-fetch when something commits. */
export function useRunEvents(
  runId: string,
  live: boolean,
  onChange: () => void,
): { live: LiveStep | undefined; connected: boolean } {
  const [liveStep, setLiveStep] = useState<LiveStep | undefined>();
  const [connected, setConnected] = useState(false);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  useEffect(() => {
    if (!live) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Many events come at once on a replay: one re-fetch for the lot.
    const changed = () => {
      clearTimeout(timer);
      timer = setTimeout(() => onChangeRef.current(), 250);
    };
    const stop = followEvents(
      `/runs/${encodeURIComponent(runId)}/events`,
      {},
      (event) => {
        let data: { type?: string; step?: number; text?: string } = {};
        try {
          data = JSON.parse(event.data) as typeof data;
        } catch {
          return;
        }
        setLiveStep((current) => nextLiveStep(current, { ...data, type: event.event }));
        if (changing.has(event.event)) changed();
      },
      setConnected,
    );
    return () => {
      stop();
      clearTimeout(timer);
      setConnected(false);
    };
  }, [runId, live]);
  return { live: live ? liveStep : undefined, connected };
}
