import { ToolInputError } from "../../tool-errors.ts";

/** The search service failed or is not set up; the text names the service and what the user can change. */
export class SearchBackendError extends ToolInputError {}
