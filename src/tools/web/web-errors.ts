import { ToolInputError } from "../tool-errors.ts";

/** fetch_url refused an address or a URL before any byte was sent to it; the text says how to allow it. */
export class WebAccessRefusedError extends ToolInputError {}
