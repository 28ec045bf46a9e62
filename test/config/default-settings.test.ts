import { expect, it } from "vitest";
import { defaultSettings } from "../../src/config/default-settings.ts";
import { settingsSchema } from "../../src/config/settings-schema.ts";

// A light command with no config file starts from these without loading zod; they must be what the schema gives.
it("writes out exactly the settings an empty config file gives", () => {
  expect(defaultSettings()).toStrictEqual(settingsSchema.parse({}));
});
