/** The folder of one model's run under `--models`: its id made safe for a file name (`provider/model` → `provider_model`). */
export const modelFolderName = (modelId: string): string => modelId.replace(/[^A-Za-z0-9._-]+/g, "_");
