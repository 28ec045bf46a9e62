import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { forgetKey, onKeyRequired, storedKey, storeKey } from "./api.ts";
import { currentLanguage, type Language, languages, setLanguage, t } from "./i18n.ts";
import { CostsPage } from "./pages/costs-page.tsx";
import { EvalsPage } from "./pages/evals-page.tsx";
import { RunPage } from "./pages/run-page.tsx";
import { RunsPage } from "./pages/runs-page.tsx";
import { useRoute } from "./router.ts";
import "./styles.css";

const languageNames: Record<Language, string> = { en: "English", "zh-Hans": "简体中文", "zh-Hant": "繁體中文" };

function KeyForm({ onDone }: { onDone: () => void }) {
  const [key, setKey] = useState("");
  return (
    <form
      class="key-form"
      aria-labelledby="key-title"
      onSubmit={(event) => {
        event.preventDefault();
        if (key.trim() === "") return;
        storeKey(key);
        onDone();
      }}
    >
      <h2 id="key-title">{t("key.title")}</h2>
      <p>{t("key.explain")}</p>
      <label>
        {t("key.label")}
        <input type="password" autocomplete="off" value={key} onInput={(event) => setKey(event.currentTarget.value)} />
      </label>
      <button type="submit">{t("key.submit")}</button>
    </form>
  );
}

function Page() {
  const route = useRoute();
  if (route.page === "run" && route.runId) return <RunPage runId={route.runId} />;
  if (route.page === "runs") return <RunsPage query={route.query} />;
  if (route.page === "costs") return <CostsPage />;
  if (route.page === "evals") return <EvalsPage />;
  return <p>{t("common.notFound", { path: route.path })}</p>;
}

function App() {
  const [language, setShownLanguage] = useState(currentLanguage());
  const [needsKey, setNeedsKey] = useState(false);
  // A new key or language re-mounts the page, so every request and text is made again.
  const [generation, setGeneration] = useState(0);
  const route = useRoute();
  useEffect(() => onKeyRequired(() => setNeedsKey(true)), []);
  const current = (page: string) =>
    route.page === page || (page === "runs" && route.page === "run") ? "page" : undefined;
  return (
    <>
      <a class="skip" href="#main">
        {t("shell.skip")}
      </a>
      <header class="top">
        <span class="brand">探索 Tansuo</span>
        <nav aria-label="Tansuo">
          <a href="#/runs" aria-current={current("runs")}>
            {t("nav.runs")}
          </a>
          <a href="#/costs" aria-current={current("costs")}>
            {t("nav.costs")}
          </a>
          <a href="#/evals" aria-current={current("evals")}>
            {t("nav.evals")}
          </a>
        </nav>
        <label class="language">
          {t("shell.language")}
          <select
            value={language}
            onChange={(event) => {
              const chosen = event.currentTarget.value as Language;
              setLanguage(chosen);
              setShownLanguage(chosen);
              setGeneration((value) => value + 1);
            }}
          >
            {languages.map((option) => (
              <option value={option} key={option}>
                {languageNames[option]}
              </option>
            ))}
          </select>
        </label>
        {storedKey() ? (
          <button
            type="button"
            class="link"
            onClick={() => {
              forgetKey();
              setGeneration((value) => value + 1);
            }}
          >
            {t("key.forget")}
          </button>
        ) : null}
      </header>
      <main id="main" key={`${language}-${generation}`}>
        {needsKey ? (
          <KeyForm
            onDone={() => {
              setNeedsKey(false);
              setGeneration((value) => value + 1);
            }}
          />
        ) : (
          <Page />
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
