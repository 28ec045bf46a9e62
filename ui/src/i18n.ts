// Interface text in English, Simplified and Traditional Chinese: chosen from the browser's languages, or the switch.

export const languages = ["en", "zh-Hans", "zh-Hant"] as const;
export type Language = (typeof languages)[number];

/** Each feature's strings live in ui/src/messages/<feature>.ts as `export const messages: MessageTable`. */
export type MessageTable = Record<Language, Record<string, string>>;

const languageStorageName = "tansuo.language";

const tables = import.meta.glob<{ messages: MessageTable }>("./messages/*.ts", { eager: true });
const merged: MessageTable = { en: {}, "zh-Hans": {}, "zh-Hant": {} };
for (const { messages } of Object.values(tables)) {
  for (const language of languages) Object.assign(merged[language], messages[language]);
}

/** The best of our languages for a browser's list (zh-TW, zh-HK and zh-Hant read Traditional). */
export function languageFor(browserLanguages: readonly string[]): Language {
  for (const tag of browserLanguages) {
    const lower = tag.toLowerCase();
    if (/^zh-(hant|tw|hk|mo)/.test(lower)) return "zh-Hant";
    if (lower.startsWith("zh")) return "zh-Hans";
    if (lower.startsWith("en")) return "en";
  }
  return "en";
}

let current: Language = (() => {
  const stored = localStorage.getItem(languageStorageName);
  return (languages as readonly string[]).includes(stored ?? "")
    ? (stored as Language)
    : languageFor(navigator.languages);
})();
document.documentElement.lang = current;

export const currentLanguage = (): Language => current;

export function setLanguage(language: Language): void {
  current = language;
  localStorage.setItem(languageStorageName, language);
  document.documentElement.lang = language;
}

/** The text for `key` in the current language ({name} placeholders filled); English, then the key, when missing. */
export function t(key: string, values: Record<string, string | number> = {}): string {
  const text = merged[current][key] ?? merged.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** Numbers and dates in the current language's way. */
export const locale = (): string => (current === "en" ? "en" : current === "zh-Hans" ? "zh-CN" : "zh-TW");
