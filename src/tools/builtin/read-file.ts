import { z } from "zod";
import { openFileForReading } from "../files/open-file-for-reading.ts";
import { readDescriptor } from "../files/read-descriptor.ts";
import { describeImage, detectImageType, maximumImageBytes } from "../images/image-format.ts";
import { defineTool, ToolInputError } from "../tool.ts";
import type { ToolOutput } from "../tool-output.ts";

const maximumReadBytes = 10 * 1024 * 1024;

export const readFileTool = defineTool({
  name: "read_file",
  description:
    "Read a text file in the workspace. Returns its lines numbered from 1. Use offset and limit for long files. " +
    "An image (PNG, JPEG, WebP, GIF) is returned as the image when you can see images, else as a short note.",
  inputSchema: z.object({
    path: z.string().describe("Path relative to the workspace root"),
    offset: z.number().int().min(1).optional().describe("First line to return, from 1"),
    limit: z.number().int().min(1).optional().describe("How many lines to return"),
  }),
  needsApproval: false,
  readOnly: true,
  async execute(input, { workspace, policy, signal, vision }) {
    signal.throwIfAborted();
    const entry = openFileForReading(workspace, input.path, { allowHardLinks: policy.allowHardLinks, signal });
    let bytes: Buffer;
    try {
      if (entry.target.stats.size > maximumReadBytes) {
        throw new ToolInputError(
          `"${input.path}" is ${entry.target.stats.size} bytes, over the ${maximumReadBytes}-byte limit; use search_files, or run_command with head or grep.`,
        );
      }
      bytes = readDescriptor(entry.target.fd, maximumReadBytes, signal);
    } finally {
      entry.close();
    }
    const imageType = detectImageType(bytes);
    if (imageType) return imageResult(input.path, bytes, imageType, vision === true);
    const content = bytes.toString("utf8");
    const lines = content.split("\n");
    const start = (input.offset ?? 1) - 1;
    const end = input.limit ? start + input.limit : lines.length;
    return lines
      .slice(start, end)
      .map((line, index) => `${String(start + index + 1).padStart(6)}\t${line}`)
      .join("\n");
  },
});

/** An image file: the image itself for a model that sees, else a note; recognised by content, not by name. */
function imageResult(
  filePath: string,
  bytes: Buffer,
  type: NonNullable<ReturnType<typeof detectImageType>>,
  vision: boolean,
): string | ToolOutput {
  const description = describeImage(bytes, type);
  if (!vision) {
    return `"${filePath}" is an image (${description}). This model cannot see images, so its content is not shown.`;
  }
  if (bytes.length > maximumImageBytes) {
    throw new ToolInputError(
      `"${filePath}" is an image (${description}), over the ${maximumImageBytes}-byte limit for one image; scale it down first (run_command with an image tool) or read a smaller one.`,
    );
  }
  return { text: `"${filePath}": ${description}`, images: [{ mediaType: type, base64: bytes.toString("base64") }] };
}
