// The depth checks live with the tools, a layer both the gateway and the agent may import.
export { jsonTextTooDeep, maximumJsonDepth, tooDeepPath } from "../tools/json-depth.ts";
