/** The chat session's slash commands, as the command listing, the chat banner and `/help`-style errors name them. */
export const chatCommandList = "/cost, /model <id>, /tools, /undo, /redo, /plan, /go, /exit";
