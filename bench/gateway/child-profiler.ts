import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";

/**
 * Lets a benchmark child be profiled on request over its IPC channel: `profile-start`, then `profile-stop`
 * answers with the path of the `.cpuprofile` written, so warm-up and start-up stay out of the profile.
 */
export function answerProfileRequests(file: string): void {
  const session = new Session();
  session.connect();
  process.on("message", async (message) => {
    if (message === "profile-start") {
      await session.post("Profiler.enable");
      await session.post("Profiler.start");
      process.send?.("profile-started");
    } else if (message === "profile-stop") {
      const { profile } = await session.post("Profiler.stop");
      writeFileSync(file, JSON.stringify(profile));
      process.send?.({ profile: file });
    }
  });
}
