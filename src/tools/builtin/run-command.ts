import { spawn } from "node:child_process";
import { z } from "zod";
import { commandEnvironment, redactSecrets } from "../secret-environment.ts";
import { defineTool } from "../tool.ts";

const maximumCapturedBytes = 200_000;

export const runCommandTool = defineTool({
  name: "run_command",
  description:
    "Run a shell command (bash) in the workspace folder. Returns the exit code and combined output. " +
    "Commands need the user's approval. Default timeout 120 seconds.",
  inputSchema: z.object({
    command: z.string().min(1).describe("The shell command line"),
    timeout_seconds: z.number().int().min(1).max(3600).optional(),
  }),
  needsApproval: true,
  readOnly: false,
  execute(input, { workspace, signal }) {
    return new Promise<string>((resolve) => {
      const child = spawn("bash", ["-c", input.command], {
        cwd: workspace.root,
        env: commandEnvironment(process.env),
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      let output = "";
      let dropped = 0;
      const capture = (chunk: Buffer) => {
        const room = maximumCapturedBytes - output.length;
        if (room > 0) output += chunk.toString("utf8", 0, Math.min(chunk.length, room));
        dropped += Math.max(0, chunk.length - Math.max(room, 0));
      };
      child.stdout.on("data", capture);
      child.stderr.on("data", capture);
      let timedOut = false;
      const killGroup = () => {
        try {
          if (child.pid) process.kill(-child.pid, "SIGKILL");
        } catch {}
      };
      const timer = setTimeout(
        () => {
          timedOut = true;
          killGroup();
        },
        (input.timeout_seconds ?? 120) * 1000,
      );
      signal.addEventListener("abort", killGroup, { once: true });
      child.on("close", (code, killedBy) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", killGroup);
        const status = timedOut
          ? `timed out after ${input.timeout_seconds ?? 120} s (killed)`
          : `exit code ${code ?? `signal ${killedBy}`}`;
        const tail = dropped > 0 ? `\n[${dropped} more bytes of output not captured]` : "";
        resolve(redactSecrets(`${status}\n${output}${tail}`, process.env));
      });
      child.on("error", (error) => {
        clearTimeout(timer);
        resolve(`failed to start: ${error.message}`);
      });
    });
  },
});
