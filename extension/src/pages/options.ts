/**
 * The options page: categories, every rule (from the engine, grouped by guide section), the
 * user's word lists, countries, sites, and export/import. Every change goes through the
 * background, which validates it in the engine before storing it.
 */

import { ext } from "../shared/api";
import { CATEGORIES, CATEGORY_LABELS, REGION_NAMES, type RuleInfo, type Settings } from "../shared/engine-types";
import { ask, type State } from "../shared/protocol";
import { defaultMatches, hostOfPattern, parseHost, patternsForHost, userOrigins } from "../shared/sites";
import { byId, download, make, showNotice, toggle } from "./dom";

const LISTS = ["watch_words", "affiliations", "disclosure_phrases"] as const;
const EXPORT_FORMAT = "second-opinion-settings";

let state: State;

function status(text: string, error = false): void {
  const line = byId("status");
  line.textContent = text;
  line.classList.toggle("error", error);
}

/** Only what differs from a rule's default is stored, so new default rules reach the user. */
function compact(settings: State["settings"]): Settings {
  const defaults = new Map(state.rules.map((r) => [r.id, r.default_enabled]));
  const rules = Object.fromEntries(Object.entries(settings.rules).filter(([id, on]) => defaults.get(id) !== on));
  return { ...settings, rules };
}

async function save(change: (settings: State["settings"]) => void): Promise<void> {
  const next = structuredClone(state.settings);
  change(next);
  try {
    await ask("set-settings", { settings: compact(next) });
    state = await ask("state", {});
    showStateNotice();
    status("Saved.");
  } catch (error) {
    status(`Not saved: ${error instanceof Error ? error.message : String(error)}`, true);
  }
}

function showStateNotice(): void {
  const notice = state.notice;
  const exportRefused = make("button", { text: "Export the refused settings" });
  exportRefused.type = "button";
  exportRefused.addEventListener("click", () => download("second-opinion-refused-settings.json", notice?.stored));
  const reset = make("button", { text: "Replace them with the defaults" });
  reset.type = "button";
  reset.addEventListener("click", () => void ask("reset-settings", {}).then(reload));
  showNotice(
    byId("notice"),
    notice,
    make("pre", { text: JSON.stringify(notice?.stored, null, 2) ?? "" }),
    make("p", { text: "Saving any change below also replaces them; a copy is kept in the browser's local storage." }),
    exportRefused,
    document.createTextNode(" "),
    reset,
  );
}

function renderCategories(): void {
  byId("categories").replaceChildren(
    ...CATEGORIES.map((category) =>
      toggle(
        make("span", {}, make("span", { className: `dot ${category}` }), CATEGORY_LABELS[category]),
        state.settings.categories[category],
        (on) => void save((s) => (s.categories[category] = on)),
      ),
    ),
  );
}

function ruleEnabled(rule: RuleInfo): boolean {
  return state.settings.rules[rule.id] ?? rule.default_enabled;
}

function renderRules(): void {
  const sections = new Map<string, RuleInfo[]>();
  for (const rule of state.rules) {
    const key = `Guide §${rule.section} — ${rule.section_title}`;
    sections.set(key, [...(sections.get(key) ?? []), rule]);
  }
  const blocks: Node[] = [];
  // In the guide's order (§01, §02…); within a section, in the rule packs' order.
  const ordered = [...sections].sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }));
  for (const [heading, rules] of ordered) {
    blocks.push(make("h3", { text: heading }));
    for (const rule of rules) {
      const label = make(
        "span",
        { className: "rule" },
        make("span", { className: `dot ${rule.category}` }),
        make("strong", { text: rule.title }),
        ...(rule.region ? [make("span", { className: "tag", text: rule.region })] : []),
        ...(rule.learned ? [make("span", { className: "tag", text: "judges the wording" })] : []),
        make("span", { className: "tag", text: rule.severity }),
        make("div", { className: "description muted", text: rule.description }),
      );
      const row = toggle(label, ruleEnabled(rule), (on) => void save((s) => (s.rules[rule.id] = on)));
      row.querySelector("input")?.setAttribute("data-rule", rule.id);
      blocks.push(row);
    }
  }
  byId("rules").replaceChildren(...blocks);
}

function renderRegions(): void {
  byId("regions").replaceChildren(
    ...state.defaults.regions.map((region) =>
      toggle(REGION_NAMES[region] ?? region, state.settings.regions.includes(region), (on) =>
        void save((s) => {
          s.regions = state.defaults.regions.filter((r) => (r === region ? on : s.regions.includes(r)));
        }),
      ),
    ),
  );
}

function renderLists(): void {
  for (const list of LISTS) byId<HTMLTextAreaElement>(list).value = state.settings[list].join("\n");
}

function readLines(id: string): string[] {
  const lines = byId<HTMLTextAreaElement>(id).value.split("\n").map((l) => l.trim()).filter(Boolean);
  return [...new Set(lines)];
}

function uniqueHosts(patterns: string[]): string[] {
  return [...new Set(patterns.map(hostOfPattern).filter((h): h is string => h !== null))];
}

async function renderSites(): Promise<void> {
  const added = uniqueHosts(await userOrigins());
  const row = (host: string, removable: boolean): HTMLElement => {
    const on = toggle(`Check posts on ${host}`, !state.pausedSites.includes(host), (checked) =>
      void ask("set-site-paused", { site: host, paused: !checked }).then(reload),
    );
    if (!removable) return on;
    const remove = make("button", { text: "Remove" });
    remove.type = "button";
    remove.addEventListener("click", () =>
      void ext.permissions.remove({ origins: patternsForHost(host) }).then(() => renderSites()),
    );
    return make("div", { className: "site" }, on, remove);
  };
  byId("sites").replaceChildren(
    make("h3", { text: "Default sites" }),
    ...uniqueHosts(defaultMatches()).map((h) => row(h, false)),
    make("h3", { text: "Sites you added" }),
    ...(added.length ? added.map((h) => row(h, true)) : [make("p", { className: "muted", text: "None yet." })]),
  );
}

function render(): void {
  showStateNotice();
  renderCategories();
  renderRules();
  renderRegions();
  renderLists();
  void renderSites();
}

async function reload(): Promise<void> {
  state = await ask("state", {});
  render();
}

function addSite(): void {
  const host = parseHost(byId<HTMLInputElement>("new-site").value);
  if (!host) {
    status("That is not a site name, e.g. example.org.", true);
    return;
  }
  // Must be called straight from the click: browsers only ask the user during a gesture.
  ext.permissions.request({ origins: patternsForHost(host) }).then(
    (granted) => {
      status(granted ? `Added ${host}. Reload its open tabs.` : `${host} was not allowed.`, !granted);
      void renderSites();
    },
    (error: unknown) => status(`Could not add ${host}: ${String(error)}`, true),
  );
}

async function importFile(file: File): Promise<void> {
  try {
    const parsed = JSON.parse(await file.text()) as Record<string, unknown>;
    const wrapped = parsed["format"] === EXPORT_FORMAT;
    const settings = (wrapped ? parsed["settings"] : parsed) as Settings;
    await ask("set-settings", { settings });
    const paused = wrapped && Array.isArray(parsed["paused_sites"]) ? parsed["paused_sites"] : null;
    if (paused) {
      const sites = new Set([...state.pausedSites, ...paused.filter((s): s is string => typeof s === "string")]);
      for (const site of sites) await ask("set-site-paused", { site, paused: paused.includes(site) });
    }
    await reload();
    status(`Imported ${file.name}.`);
  } catch (error) {
    status(`Not imported: ${error instanceof Error ? error.message : String(error)}`, true);
  }
}

function wire(): void {
  byId("save-lists").addEventListener("click", () =>
    void save((s) => {
      for (const list of LISTS) s[list] = readLines(list);
    }),
  );
  byId("add-site").addEventListener("click", addSite);
  byId("export").addEventListener("click", () =>
    download("second-opinion-settings.json", {
      format: EXPORT_FORMAT,
      version: 1,
      settings: compact(state.settings),
      paused_sites: state.pausedSites,
    }),
  );
  const input = byId<HTMLInputElement>("import");
  byId("import-button").addEventListener("click", () => input.click());
  input.addEventListener("change", () => {
    const file = input.files?.[0];
    if (file) void importFile(file).finally(() => (input.value = ""));
  });
  // A rule turned off from a card, or settings synced from another computer.
  ext.storage.onChanged.addListener(() => {
    void ask("state", {}).then((next) => {
      if (JSON.stringify(next) !== JSON.stringify(state)) {
        state = next;
        render();
      }
    });
  });
}

wire();
reload().catch((error: unknown) => status(`Second Opinion could not start: ${String(error)}`, true));
