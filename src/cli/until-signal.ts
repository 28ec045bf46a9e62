/** Resolves on the first SIGINT or SIGTERM, then stops listening (a second signal has Node's default effect). */
export const untilSignal = (): Promise<void> =>
  new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
