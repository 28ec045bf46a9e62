import { type ChildProcess, spawn } from "node:child_process";

/** One state the flipped path takes: gone, a symlink to `to`, a regular file, or a folder holding one file. */
export type FlipState =
  | { kind: "absent" }
  | { kind: "link"; to: string }
  | { kind: "file"; content: string }
  | { kind: "folder"; file: string; content: string };

// Runs in its own process so the swaps race the tools for real, not between their awaits.
const flipperSource = `
const fs = require("node:fs");
const [target, statesJson] = process.argv.slice(1);
const states = JSON.parse(statesJson);
const staging = target + ".flip";
const remove = (file) => { try { fs.rmSync(file, { recursive: true, force: true }); } catch {} };
const put = (state) => {
  if (state.kind === "absent") return remove(target);
  remove(staging);
  if (state.kind === "link") fs.symlinkSync(state.to, staging);
  else if (state.kind === "file") fs.writeFileSync(staging, state.content);
  else { fs.mkdirSync(staging); fs.writeFileSync(staging + "/" + state.file, state.content); }
  // A folder cannot be renamed over a link or a folder: clear the way first, which also opens a gap.
  if (state.kind === "folder") remove(target);
  try { fs.renameSync(staging, target); } catch { remove(target); try { fs.renameSync(staging, target); } catch {} }
};
let flips = 0;
const batch = () => {
  for (let index = 0; index < 200; index++) put(states[flips++ % states.length]);
  setImmediate(batch);
};
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
process.stdout.write("ready\\n");
batch();
`;

/** A child process that keeps swapping `target` through `states` until stopped. */
export class LinkFlipper {
  private constructor(private readonly child: ChildProcess) {}

  static async start(target: string, states: readonly FlipState[]): Promise<LinkFlipper> {
    const child = spawn(process.execPath, ["-e", flipperSource, target, JSON.stringify(states)], {
      stdio: ["pipe", "pipe", "ignore"],
    });
    await new Promise<void>((resolve, reject) => {
      child.once("error", reject);
      child.stdout?.once("data", () => resolve());
      child.once("exit", (code) => reject(new Error(`the link flipper exited with code ${code} before starting`)));
    });
    return new LinkFlipper(child);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill("SIGKILL");
    await exited;
  }
}
